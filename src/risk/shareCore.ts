/**
 * The floating-point core of the cost-sharing bound (costShare.ts) at a node of the branch and bound over
 * services (serviceBranch.ts): each service is free, forced into the attack, or left out of it.
 *
 * With shares λ_vs (0 ≤ λ_vs ≤ a_vs, Σ_s λ_vs ≤ σ_v), any attack A with IN ⊆ A ⊆ IN ∪ FREE nets at most
 *
 *   L(λ) = Σ_{s∈IN} (π_s − C_s(λ)) + Σ_{s∈FREE} max(0, π_s − C_s(λ)),
 *
 * C_s the cheapest fractional cover of s priced by λ (members by share per unit of stake, the last one in part):
 * a coalition pays at least its members' shares on A, and on each s ∈ A those members hold a cover. A forced
 * service counts even when its cover costs more than it pays (that is what forcing it buys the bound); a service
 * left out counts nothing, and its shares are set to 0 so its members' stake goes to the services still in play.
 * L is convex in λ; it is lowered by projected subgradient steps (Polyak's step towards a target).
 *
 * Everything here is floats and proves nothing: a node is only pruned once shareNodeBound.ts has recomputed its
 * bound exactly from the shares rounded down.
 */
import { buildEdgeLayout } from './edgeLayout.ts'
import type { Network } from './network.ts'

export const FREE = 0
export const IN = 1
export const OUT = 2

export type ShareCore = {
  S: number
  E: number
  /** Edges (service, member) in service order: service s owns edges svcStart[s] .. svcStart[s+1]. */
  svcStart: Int32Array
  /** Stake of the member on the service, in units of the largest amount. */
  a: Float64Array
  owner: Int32Array
  /** The service of each edge. */
  svcOf: Int32Array
  /** π_s, inflated by a relative 1e-7 so that a float proof survives the exact check (rounding shares down). */
  profit: Float64Array
  need: Float64Array
  sigma: Float64Array
  /** Each operator's edges: opEdge[opStart[v] .. opStart[v+1]]. */
  opStart: Int32Array
  opEdge: Int32Array
  /** The amount scaled to 1. */
  unit: bigint
}

export { largestAmount } from './edgeLayout.ts'

export function buildShareCore(n: Network): ShareCore {
  // the pairs' layout, amounts over the unit and stakes are the coupled Lagrangians' (edgeLayout.ts); the profits
  // (inflated) and the needs (summed over the scaled amounts) are this core's own floats
  const { S, E, svcStart, a, opOf: owner, svcOf, sigma, opStart, opEdges: opEdge, unit } = buildEdgeLayout(n)
  const u = Number(unit)
  const profit = new Float64Array(S)
  const need = new Float64Array(S)
  n.services.forEach((s, si) => {
    let total = 0
    for (let e = svcStart[si] as number; e < (svcStart[si + 1] as number); e++) total += a[e] as number
    profit[si] = (Number(s.profit) / u) * (1 + 1e-7) + 1e-12
    need[si] = (Number(s.threshold.num) / Number(s.threshold.den)) * total
  })
  return { S, E, svcStart, a, owner, svcOf, profit, need, sigma, opStart, opEdge, unit }
}

/** Start: each operator splits its stake in proportion to a_vs · π_s / need_s (what s pays per unit it needs). */
export function initialShares(c: ShareCore): Float64Array {
  const lam = new Float64Array(c.E)
  const weight = new Float64Array(c.E)
  for (let si = 0; si < c.S; si++)
    for (let e = c.svcStart[si] as number; e < (c.svcStart[si + 1] as number); e++)
      weight[e] = ((c.a[e] as number) * (c.profit[si] as number)) / Math.max(c.need[si] as number, 1e-300)
  for (let v = 0; v + 1 < c.opStart.length; v++) {
    let w = 0
    for (let i = c.opStart[v] as number; i < (c.opStart[v + 1] as number); i++)
      w += weight[c.opEdge[i] as number] as number
    if (w > 0)
      for (let i = c.opStart[v] as number; i < (c.opStart[v + 1] as number); i++) {
        const e = c.opEdge[i] as number
        lam[e] = Math.min(c.a[e] as number, ((c.sigma[v] as number) * (weight[e] as number)) / w)
      }
  }
  return lam
}

/** Scratch arrays reused by every evaluation. */
export type Workspace = {
  /** Per edge: the fraction of the member in its service's cheapest cover (0 for services not counted). */
  grad: Float64Array
  /** Per service: π_s − C_s(λ) (−∞ for a service left out). */
  term: Float64Array
  /** Edges per service sorted by share per unit of stake, kept between calls (nearly sorted after a step). */
  order: Int32Array
  touched: Uint8Array
  /** Scratch for one operator's projection breakpoints (two per edge). */
  points: Float64Array
}

export const workspace = (c: ShareCore): Workspace => ({
  grad: new Float64Array(c.E),
  term: new Float64Array(c.S),
  order: Int32Array.from({ length: c.E }, (_, e) => e),
  touched: new Uint8Array(c.sigma.length),
  points: new Float64Array(2 * maxDegree(c)),
})

function maxDegree(c: ShareCore): number {
  let m = 0
  for (let v = 0; v + 1 < c.opStart.length; v++)
    m = Math.max(m, (c.opStart[v + 1] as number) - (c.opStart[v] as number))
  return m
}

/** L(λ) at a node, with ‖g‖² of its subgradient; fills ws.grad and ws.term. */
export function evaluate(
  c: ShareCore,
  lam: Float64Array,
  fixed: Uint8Array,
  ws: Workspace,
): { value: number; norm: number } {
  const { grad, term, order } = ws
  const a = c.a
  grad.fill(0)
  let value = 0
  let norm = 0
  for (let si = 0; si < c.S; si++) {
    const state = fixed[si] as number
    if (state === OUT) {
      term[si] = Number.NEGATIVE_INFINITY
      continue
    }
    const lo = c.svcStart[si] as number
    const hi = c.svcStart[si + 1] as number
    sortByRatio(order, lo, hi, lam, a)
    let rest = c.need[si] as number
    let cost = 0
    let end = lo
    for (; end < hi && rest > 0; end++) {
      const e = order[end] as number
      const ae = a[e] as number
      const x = ae >= rest ? rest / ae : 1
      cost += x * (lam[e] as number)
      rest -= x * ae
      grad[e] = x
    }
    const gain = (c.profit[si] as number) - cost
    // With α ≤ 1 all members always reach the threshold, so a cover always exists; a float shortfall left after
    // every member (a rounding error) is ignored: the cover is then all of them, and the exact check decides.
    term[si] = gain
    if (state === FREE && gain <= 0) {
      for (let i = lo; i < end; i++) grad[order[i] as number] = 0
      continue
    }
    value += gain
    for (let i = lo; i < end; i++) norm += (grad[order[i] as number] as number) ** 2
  }
  return { value, norm }
}

/**
 * One projected subgradient step of size `step` along ws.grad: raise the shares each counted service's cheapest
 * cover charges, then project the operators whose shares moved back onto their stake. Shares on services left out
 * stay 0.
 */
export function step(c: ShareCore, lam: Float64Array, fixed: Uint8Array, ws: Workspace, size: number): void {
  const { grad, touched } = ws
  touched.fill(0)
  for (let e = 0; e < c.E; e++) {
    const g = grad[e] as number
    if (g === 0) continue
    lam[e] = (lam[e] as number) + size * g
    touched[c.owner[e] as number] = 1
  }
  for (let v = 0; v < touched.length; v++) if (touched[v]) project(c, lam, v, fixed, ws.points)
}

/** Sets the shares on services left out to 0 (their members' stake is then free for the others). */
export function clearOut(c: ShareCore, lam: Float64Array, fixed: Uint8Array): void {
  for (let si = 0; si < c.S; si++)
    if (fixed[si] === OUT) lam.fill(0, c.svcStart[si] as number, c.svcStart[si + 1] as number)
}

/**
 * Sorts one service's edges by share per unit of stake, ascending; members with no stake on the service last
 * (their ratio is 0/0: compared as "equal to everything" they would stop the others from passing). Insertion sort:
 * between two steps only a few covers move, so the order kept from the last call is nearly sorted.
 */
function sortByRatio(ord: Int32Array, lo: number, hi: number, lam: Float64Array, a: Float64Array): void {
  for (let i = lo + 1; i < hi; i++) {
    const e = ord[i] as number
    const le = lam[e] as number
    const ae = a[e] as number
    let j = i - 1
    while (j >= lo) {
      const f = ord[j] as number
      const af = a[f] as number
      const before = af === 0 ? ae !== 0 : ae !== 0 && le * af < (lam[f] as number) * ae
      if (!before) break
      ord[j + 1] = f
      j--
    }
    ord[j + 1] = e
  }
}

/**
 * Euclidean projection of operator v's shares onto {0 ≤ λ_e ≤ a_e, Σ λ_e ≤ σ_v} (0 on services left out): the
 * shift τ ≥ 0 with Σ clamp(λ_e − τ, 0, a_e) = σ_v, found exactly between the breakpoints of that piecewise-linear
 * sum (a few per operator). No closures: this runs for every touched operator at every step.
 */
function project(c: ShareCore, lam: Float64Array, v: number, fixed: Uint8Array, points: Float64Array): void {
  const lo = c.opStart[v] as number
  const hi = c.opStart[v + 1] as number
  const sigma = c.sigma[v] as number
  let sum = 0
  let count = 0
  for (let i = lo; i < hi; i++) {
    const e = c.opEdge[i] as number
    if (fixed[c.svcOf[e] as number] === OUT) lam[e] = 0
    const l = lam[e] as number
    const a = c.a[e] as number
    sum += Math.min(a, Math.max(0, l))
    if (l > 0) points[count++] = l
    if (l - a > 0) points[count++] = l - a
  }
  let tau = 0
  if (sum > sigma) {
    // insertion sort of the breakpoints, ascending
    for (let i = 1; i < count; i++) {
      const x = points[i] as number
      let j = i - 1
      while (j >= 0 && (points[j] as number) > x) {
        points[j + 1] = points[j] as number
        j--
      }
      points[j + 1] = x
    }
    // f(τ) falls from f(0) > σ to 0 at the largest point; find the interval where it crosses σ, interpolate.
    let prev = 0
    let fPrev = sum
    tau = count > 0 ? (points[count - 1] as number) : 0
    for (let k = 0; k < count; k++) {
      const t = points[k] as number
      let fp = 0
      for (let i = lo; i < hi; i++) {
        const e = c.opEdge[i] as number
        const x = (lam[e] as number) - t
        const a = c.a[e] as number
        fp += Math.min(a, Math.max(0, x))
      }
      if (fp <= sigma) {
        tau = fPrev === fp ? t : prev + ((fPrev - sigma) * (t - prev)) / (fPrev - fp)
        break
      }
      prev = t
      fPrev = fp
    }
  }
  for (let i = lo; i < hi; i++) {
    const e = c.opEdge[i] as number
    const x = (lam[e] as number) - tau
    const a = c.a[e] as number
    lam[e] = Math.min(a, Math.max(0, x))
  }
}
