/**
 * The operator–service pairs ("edges") of a network laid out for the two coupled Lagrangians (coupledCore.ts, the
 * most profitable attack's; cascadeCoupled.ts, the cascade's): each service's edges in members' order, each
 * operator's edges grouped, and the amounts as floats over one unit (the largest amount), for their float searches.
 * Both searches are checked exactly in bigint afterwards, so these floats only steer them.
 */
import type { Network } from './network.ts'

export type EdgeLayout = {
  S: number
  E: number
  V: number
  /** edges of service s: svcStart[s] … svcStart[s+1] − 1, in members' order */
  svcStart: Int32Array
  svcOf: Int32Array
  opOf: Int32Array
  /** the operator's edges, grouped: opEdges[opStart[v] … opStart[v+1] − 1] */
  opStart: Int32Array
  opEdges: Int32Array
  /** a_vs over `unit` */
  a: Float64Array
  /** ā_vs / need_s (min(a_vs, need_s) / need_s; 0 where need_s = 0) */
  w: Float64Array
  /** need_s = α_s · Σ a_vs, over `unit` */
  need: Float64Array
  /** α_s as a float */
  alpha: Float64Array
  pi: Float64Array
  /**
   * 1 where need_s > 0. Where it is 0 (no members, or none with stake) the threshold row says nothing and the exact
   * checks take μ_s = 0: p_s is held at 0 in the searches too, or they would price such a service away for free and
   * report a value below the bound they hand on (by π_s).
   */
  priced: Uint8Array
  sigma: Float64Array
  unit: bigint
}

/** The unit the floats are scaled by: the largest stake or profit (1 at least). */
export function largestAmount(n: Network): bigint {
  let m = 1n
  for (const o of n.operators) if (o.stake > m) m = o.stake
  for (const s of n.services) if (s.profit > m) m = s.profit
  return m
}

export function buildEdgeLayout(n: Network): EdgeLayout {
  const unit = largestAmount(n)
  const u = Number(unit)
  const S = n.services.length
  const V = n.operators.length
  const svcStart = new Int32Array(S + 1)
  n.services.forEach((s, si) => {
    svcStart[si + 1] = (svcStart[si] as number) + s.members.length
  })
  const E = svcStart[S] as number
  const svcOf = new Int32Array(E)
  const opOf = new Int32Array(E)
  const a = new Float64Array(E)
  const w = new Float64Array(E)
  const need = new Float64Array(S)
  const alpha = new Float64Array(S)
  const pi = new Float64Array(S)
  const priced = new Uint8Array(S)
  const opCount = new Int32Array(V + 1)
  n.services.forEach((s, si) => {
    pi[si] = Number(s.profit) / u
    const al = Number(s.threshold.num) / Number(s.threshold.den)
    const total = s.memberStake.reduce((x, y) => x + Number(y), 0)
    const ns = al * total
    alpha[si] = al
    need[si] = ns / u
    priced[si] = ns > 0 ? 1 : 0
    const base = svcStart[si] as number
    s.members.forEach((v, k) => {
      const e = base + k
      const av = Number(s.memberStake[k])
      svcOf[e] = si
      opOf[e] = v
      a[e] = av / u
      w[e] = ns > 0 ? Math.min(av, ns) / ns : 0
      opCount[v + 1] = (opCount[v + 1] as number) + 1
    })
  })
  const opStart = new Int32Array(V + 1)
  for (let v = 0; v < V; v++) opStart[v + 1] = (opStart[v] as number) + (opCount[v + 1] as number)
  const fill = opStart.slice(0, V)
  const opEdges = new Int32Array(E)
  for (let e = 0; e < E; e++) {
    const v = opOf[e] as number
    opEdges[fill[v] as number] = e
    fill[v] = (fill[v] as number) + 1
  }
  const sigma = new Float64Array(V)
  n.operators.forEach((o, v) => {
    sigma[v] = Number(o.stake) / u
  })
  return { S, E, V, svcStart, svcOf, opOf, opStart, opEdges, a, w, need, alpha, pi, priced, sigma, unit }
}
