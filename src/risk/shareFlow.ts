/**
 * The cost-share node bound (shareCore.ts) searched over one price per service instead of one share per
 * (operator, service) pair: 100 numbers instead of about 5,000 at 1,000 × 100.
 *
 * For a price μ_s ∈ [0, 1] per unit of stake on s, LP weak duality bounds the cheapest cover:
 * C_s(λ) ≥ μ_s·need_s − Σ_v max(0, μ_s a_vs − λ_vs). With w_s = π_s − μ_s need_s and M_s = μ_s σ(N(s)), the node
 * bound L(λ) is then at most
 *
 *   G(μ, λ) = Σ_{s forced} (w_s + M_s − F_s) + Σ_{s free} max(0, w_s + M_s − F_s),   F_s = Σ_v λ_vs,
 *
 * for shares with λ_vs ≤ μ_s a_vs and Σ_s λ_vs ≤ σ_v. The best shares for given prices are a maximum flow
 * source → s (capacity w_s + M_s when s is free, more than M_s when forced) → v (μ_s a_vs) → sink (σ_v), and
 * g(μ) = Σ (source capacities that count) − max flow. g is convex (a partial minimum of a jointly convex function)
 * and a minimum cut gives a subgradient: for each service on the source side, −need_s plus the stake on s of the
 * operators on the source side (those whose stake is used up). Its minimum is the node's LP value again.
 *
 * Why: a child of the branch and bound over services needs its shares moved a long way (a service forced in must be
 * covered whole, so its members' stake leaves the other services); projected subgradient steps on the shares take
 * thousands of steps to make that move (on hard 1,000 × 100 seed 1, 40 steps from the parent's LP-optimal shares
 * do not lower an in-child's bound at all), while on prices 20 evaluations of g take it most of the way.
 *
 * Floats only, like shareCore.ts: the flow's shares go through the same exact check (shareNodeBound.ts) as any other
 * shares, so nothing here can prune a node on its own.
 */
import { IN, OUT, type ShareCore } from './shareCore.ts'

/** Flows below this (units of the largest amount) are treated as zero: far below the exact check's margin. */
const EPS = 1e-13

/**
 * The flow network source → services → operators → sink, held as flat arrays over the core's edges instead of a
 * general adjacency list: the graph is bipartite, so a residual path alternates service → operator (an edge with
 * room left) and operator → service (an edge carrying flow), and each node's arcs are a contiguous range of the
 * core's service-ordered edges (svcStart) or of its operator-ordered list (opStart/opEdge). Built once per search;
 * every evaluation overwrites it, so nothing is allocated per flow but its result.
 */
export type FlowGraph = {
  S: number
  V: number
  /** Per edge (service-ordered, as the core's): room left on s → v, and the flow on it (the room on v → s). */
  res: Float64Array
  flow: Float64Array
  /** Per service, room left on source → s; per operator, on v → sink. */
  srcRes: Float64Array
  sinkRes: Float64Array
  /** Dinic's levels (−1: unreached, or blocked for the rest of a phase) and current arcs. */
  svcLevel: Int32Array
  opLevel: Int32Array
  sinkLevel: number
  svcIter: Int32Array
  opIter: Int32Array
  /** The breadth-first queue: services as s, operators as S + v. */
  queue: Int32Array
}

export function buildFlowGraph(c: ShareCore): FlowGraph {
  const S = c.S
  const V = c.sigma.length
  return {
    S,
    V,
    res: new Float64Array(c.E),
    flow: new Float64Array(c.E),
    srcRes: new Float64Array(S),
    sinkRes: new Float64Array(V),
    svcLevel: new Int32Array(S),
    opLevel: new Int32Array(V),
    sinkLevel: -1,
    svcIter: new Int32Array(S),
    opIter: new Int32Array(V),
    queue: new Int32Array(S + V),
  }
}

export type PriceEval = {
  /** g(μ): an upper bound on L(λ) for the flow's shares `lam`. */
  value: number
  /** The flow's shares (parallel to the service-ordered edges). */
  lam: Float64Array
  /** A subgradient of g at μ. */
  grad: Float64Array
  /** Per service: 1 when on the source side of the minimum cut (the bound attacks it), else 0. */
  attacked: Uint8Array
}

/**
 * g(μ) at a node (fixed: FREE / IN / OUT per service) by a maximum flow (Dinic). `warm` holds the shares of the
 * last evaluation at nearby prices: they start the flow, cut back to the new capacities.
 *
 * The arcs are tried in the order of the general adjacency list this replaced (from the source, services in
 * descending order; from a service, its edges in descending order; from an operator, its sink arc first, then its
 * edges in descending order), so the flow — the shares the node bound and the exact check read — is the same to
 * the bit, and so is the search over services: 109 and 1,067 nodes for hard 1,000 × 100 seeds 1 and 2, as before.
 * Another maximum flow would give the same g and cut but other shares, hence other node bounds.
 */
export function priceBound(
  c: ShareCore,
  g: FlowGraph,
  mu: Float64Array,
  fixed: Uint8Array,
  warm: Float64Array | null,
): PriceEval {
  const S = c.S
  const base = setCapacities(c, g, mu, fixed, warm)
  let total = base.placed
  const { srcRes, svcLevel } = g
  while (bfs(c, g)) {
    resetArcs(c, g)
    // one pass over the source's arcs per phase, services in descending order
    let phase = 0
    for (let s = S - 1; s >= 0; s--) {
      const room = srcRes[s] as number
      if (!(room > EPS) || svcLevel[s] !== 1) continue
      const d = dfsService(c, g, s, room)
      // s could not send all it was offered: it is blocked for the rest of this phase
      if (d < room) svcLevel[s] = -1
      if (d > 0) {
        srcRes[s] = room - d
        phase += d
      }
    }
    total += phase
  }
  const lam = g.flow.slice()
  // the minimum cut: what the last search still reaches from the source
  const attacked = new Uint8Array(S)
  const grad = new Float64Array(S)
  const { svcStart, owner, a, need } = c
  const opLevel = g.opLevel
  for (let s = 0; s < S; s++) {
    if (fixed[s] === OUT || (fixed[s] !== IN && (svcLevel[s] as number) < 0)) continue
    attacked[s] = 1
    let d = -(need[s] as number)
    const hi = svcStart[s + 1] as number
    for (let e = svcStart[s] as number; e < hi; e++)
      if ((opLevel[owner[e] as number] as number) >= 0) d += a[e] as number
    grad[s] = d
  }
  return { value: base.counted - total, lam, grad, attacked }
}

/**
 * The capacities at prices μ, with the previous shares (`warm`) put back as flow as it goes: each share cut to its
 * edge's new capacity, then to what its service may still send and its operator may still take (each unit of flow
 * is one path source → s → v → sink). Then every direct path source → s → v → sink still open, greedily: what the
 * phases would find first, found without a search. Returns the source capacities that count (Σ w_s) and the flow
 * placed.
 */
function setCapacities(
  c: ShareCore,
  g: FlowGraph,
  mu: Float64Array,
  fixed: Uint8Array,
  warm: Float64Array | null,
): { counted: number; placed: number } {
  const { res, flow, srcRes, sinkRes } = g
  const { svcStart, a, owner, profit, need } = c
  sinkRes.set(c.sigma)
  let counted = 0
  let placed = 0
  for (let s = 0; s < c.S; s++) {
    const lo = svcStart[s] as number
    const hi = svcStart[s + 1] as number
    if (fixed[s] === OUT) {
      res.fill(0, lo, hi)
      flow.fill(0, lo, hi)
      srcRes[s] = 0
      continue
    }
    const m = mu[s] as number
    let total = 0
    for (let e = lo; e < hi; e++) {
      const ce = m * (a[e] as number)
      res[e] = ce
      total += ce
    }
    const w = (profit[s] as number) - m * (need[s] as number) + total
    counted += w
    // forced: more than its members can carry, so never in the cut and a forced service stays on the source side;
    // free: w = π_s + μ_s (σ(N(s)) − need_s) > 0 (α ≤ 1), so a free service can always send its whole term
    let room = fixed[s] === IN ? total * 2 + 1 : w
    if (warm === null) {
      flow.fill(0, lo, hi)
      srcRes[s] = room
      continue
    }
    // the edges of s are one block, in the order of the edges: the same cuts as one pass over all edges
    for (let e = lo; e < hi; e++) {
      const v = owner[e] as number
      const left = sinkRes[v] as number
      const f = Math.min(warm[e] as number, res[e] as number, room, left)
      if (!(f > EPS)) {
        flow[e] = 0
        continue
      }
      res[e] = (res[e] as number) - f
      flow[e] = f
      room -= f
      sinkRes[v] = left - f
      placed += f
    }
    srcRes[s] = room
  }
  if (warm === null) return { counted, placed }
  // service by service, as above: a service with no room left sends nothing on any of its edges
  for (let s = 0; s < c.S; s++) {
    let room = srcRes[s] as number
    if (!(room > EPS)) continue
    const hi = svcStart[s + 1] as number
    for (let e = svcStart[s] as number; e < hi; e++) {
      const v = owner[e] as number
      const left = sinkRes[v] as number
      const r = res[e] as number
      const f = Math.min(r, room, left)
      if (!(f > EPS)) continue
      res[e] = r - f
      flow[e] = (flow[e] as number) + f
      room -= f
      sinkRes[v] = left - f
      placed += f
    }
    srcRes[s] = room
  }
  return { counted, placed }
}

/**
 * Dinic's levels from the source over the residual graph; true when the sink is reached. Services sit at odd
 * levels, operators at even ones. Nodes as far as the sink or farther lead nowhere in a phase, so the search stops
 * at the sink's level; the final search never reaches the sink and runs to the end: its levels are the minimum cut.
 */
function bfs(c: ShareCore, g: FlowGraph): boolean {
  const { svcLevel, opLevel, queue, res, flow, srcRes, sinkRes } = g
  const { svcStart, owner, opStart, opEdge, svcOf } = c
  const S = c.S
  svcLevel.fill(-1)
  opLevel.fill(-1)
  let sinkLevel = -1
  let qt = 0
  for (let s = S - 1; s >= 0; s--)
    if ((srcRes[s] as number) > EPS) {
      svcLevel[s] = 1
      queue[qt++] = s
    }
  for (let qh = 0; qh < qt; qh++) {
    const u = queue[qh] as number
    if (u < S) {
      const l = svcLevel[u] as number
      if (sinkLevel >= 0 && l >= sinkLevel) break
      const lo = svcStart[u] as number
      for (let e = (svcStart[u + 1] as number) - 1; e >= lo; e--) {
        if (!((res[e] as number) > EPS)) continue
        const v = owner[e] as number
        if ((opLevel[v] as number) < 0) {
          opLevel[v] = l + 1
          queue[qt++] = S + v
        }
      }
    } else {
      const v = u - S
      const l = opLevel[v] as number
      if (sinkLevel >= 0 && l >= sinkLevel) break
      if (sinkLevel < 0 && (sinkRes[v] as number) > EPS) sinkLevel = l + 1
      // a service as far as the sink leads nowhere in this phase: the depth-first search would only find it blocked
      if (sinkLevel === l + 1) continue
      const lo = opStart[v] as number
      for (let i = (opStart[v + 1] as number) - 1; i >= lo; i--) {
        const e = opEdge[i] as number
        if (!((flow[e] as number) > EPS)) continue
        const s = svcOf[e] as number
        if ((svcLevel[s] as number) < 0) {
          svcLevel[s] = l + 1
          queue[qt++] = s
        }
      }
    }
  }
  g.sinkLevel = sinkLevel
  return sinkLevel >= 0
}

/** Current arcs back to each node's first: a service's edges in descending order, an operator's sink arc first. */
function resetArcs(c: ShareCore, g: FlowGraph): void {
  const { svcIter, opIter } = g
  const { svcStart, opStart } = c
  for (let s = 0; s < c.S; s++) svcIter[s] = (svcStart[s + 1] as number) - 1
  for (let v = 0; v < g.V; v++) opIter[v] = opStart[v + 1] as number
}

/**
 * Pushes up to f from service s towards the sink along the level graph, through as many arcs as it takes (one
 * call per service per phase: restarting from the source for every path cost 2,400 calls per phase at
 * 1,000 × 100). An arc is passed over only once it cannot take more, so the current arcs keep a phase linear.
 */
function dfsService(c: ShareCore, g: FlowGraph, s: number, f: number): number {
  const { res, flow, opLevel, svcIter } = g
  const owner = c.owner
  const next = (g.svcLevel[s] as number) + 1
  const lo = c.svcStart[s] as number
  let pushed = 0
  let e = svcIter[s] as number
  for (; e >= lo; e--) {
    const room = res[e] as number
    if (!(room > EPS)) continue
    const v = owner[e] as number
    if (opLevel[v] !== next) continue
    const want = Math.min(f - pushed, room)
    const d = dfsOperator(c, g, v, want)
    // v could not take all it was offered: it is blocked for the rest of this phase
    if (d < want) opLevel[v] = -1
    if (d > 0) {
      res[e] = room - d
      flow[e] = (flow[e] as number) + d
      pushed += d
      if (f - pushed <= EPS) {
        svcIter[s] = e
        return pushed
      }
    }
  }
  svcIter[s] = e
  return pushed
}

/** As dfsService from operator v: its sink arc first, then back along its edges that carry flow. */
function dfsOperator(c: ShareCore, g: FlowGraph, v: number, f: number): number {
  const { res, flow, svcLevel, opIter, sinkRes } = g
  const { opEdge, svcOf } = c
  const next = (g.opLevel[v] as number) + 1
  const lo = c.opStart[v] as number
  let i = opIter[v] as number
  let pushed = 0
  if (i === (c.opStart[v + 1] as number)) {
    const room = sinkRes[v] as number
    if (room > EPS && g.sinkLevel === next) {
      const d = Math.min(f, room)
      sinkRes[v] = room - d
      pushed = d
      if (f - pushed <= EPS) return pushed
    }
    i--
  }
  for (; i >= lo; i--) {
    const e = opEdge[i] as number
    const back = flow[e] as number
    if (!(back > EPS)) continue
    const s = svcOf[e] as number
    if (svcLevel[s] !== next) continue
    const want = Math.min(f - pushed, back)
    const d = dfsService(c, g, s, want)
    if (d < want) svcLevel[s] = -1
    if (d > 0) {
      flow[e] = back - d
      res[e] = (res[e] as number) + d
      pushed += d
      if (f - pushed <= EPS) {
        opIter[v] = i
        return pushed
      }
    }
  }
  opIter[v] = i
  return pushed
}

/**
 * Starting prices from shares: per service, the share per unit of stake of the member its cheapest cover takes
 * last (the best price for those shares), read off `inCover` (the fraction of each member in the cover).
 */
export function pricesFromShares(c: ShareCore, lam: Float64Array, inCover: Float64Array): Float64Array {
  const mu = new Float64Array(c.S)
  for (let s = 0; s < c.S; s++) {
    let m = 0
    for (let e = c.svcStart[s] as number; e < (c.svcStart[s + 1] as number); e++) {
      const a = c.a[e] as number
      if ((inCover[e] as number) > 0 && a > 0) m = Math.max(m, (lam[e] as number) / a)
    }
    mu[s] = Math.min(1, m)
  }
  return mu
}
