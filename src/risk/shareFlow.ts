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

export type FlowGraph = {
  S: number
  V: number
  /** Adjacency: edges head[u], next[k], … ; the reverse of edge k is k ^ 1. */
  head: Int32Array
  next: Int32Array
  to: Int32Array
  /** Residual capacity. */
  cap: Float64Array
  /** Edge source → service s, service → member (per share edge), operator → sink. */
  srcEdge: Int32Array
  memEdge: Int32Array
  sinkEdge: Int32Array
  level: Int32Array
  iter: Int32Array
  queue: Int32Array
}

export function buildFlowGraph(c: ShareCore): FlowGraph {
  const S = c.S
  const V = c.sigma.length
  const N = S + V + 2
  const M = 2 * (S + c.E + V)
  const head = new Int32Array(N).fill(-1)
  const next = new Int32Array(M)
  const to = new Int32Array(M)
  let m = 0
  const add = (u: number, v: number): number => {
    to[m] = v
    next[m] = head[u] as number
    head[u] = m++
    to[m] = u
    next[m] = head[v] as number
    head[v] = m++
    return m - 2
  }
  const srcEdge = new Int32Array(S)
  const memEdge = new Int32Array(c.E)
  const sinkEdge = new Int32Array(V)
  for (let s = 0; s < S; s++) srcEdge[s] = add(0, 1 + s)
  for (let e = 0; e < c.E; e++) memEdge[e] = add(1 + (c.svcOf[e] as number), 1 + S + (c.owner[e] as number))
  for (let v = 0; v < V; v++) sinkEdge[v] = add(1 + S + v, N - 1)
  return {
    S,
    V,
    head,
    next,
    to,
    cap: new Float64Array(M),
    srcEdge,
    memEdge,
    sinkEdge,
    level: new Int32Array(N),
    iter: new Int32Array(N),
    queue: new Int32Array(N),
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
 */
export function priceBound(
  c: ShareCore,
  g: FlowGraph,
  mu: Float64Array,
  fixed: Uint8Array,
  warm: Float64Array | null,
): PriceEval {
  const { cap, srcEdge, memEdge, sinkEdge } = g
  const S = c.S
  const sink = S + g.V + 1
  cap.fill(0)
  let base = 0
  for (let s = 0; s < S; s++) {
    if (fixed[s] === OUT) continue
    const m = mu[s] as number
    let total = 0
    for (let e = c.svcStart[s] as number; e < (c.svcStart[s + 1] as number); e++) {
      const ce = m * (c.a[e] as number)
      cap[memEdge[e] as number] = ce
      total += ce
    }
    const w = (c.profit[s] as number) - m * (c.need[s] as number) + total
    if (fixed[s] === IN) {
      base += w
      // more than its members can carry: never in the cut, so a forced service stays on the source side
      cap[srcEdge[s] as number] = total * 2 + 1
    } else {
      // w = π_s + μ_s (σ(N(s)) − need_s) > 0 (α ≤ 1): a free service can always send its whole term
      base += w
      cap[srcEdge[s] as number] = w
    }
  }
  for (let v = 0; v < g.V; v++) cap[sinkEdge[v] as number] = c.sigma[v] as number
  let flow = warm ? warmStart(c, g, warm) : 0
  while (bfs(g, sink)) {
    g.iter.set(g.head)
    flow += dfs(g, 0, sink, Number.POSITIVE_INFINITY)
  }
  const lam = new Float64Array(c.E)
  for (let e = 0; e < c.E; e++) lam[e] = cap[(memEdge[e] as number) ^ 1] as number
  // the minimum cut: what the last search still reaches from the source
  const attacked = new Uint8Array(S)
  const grad = new Float64Array(S)
  for (let s = 0; s < S; s++) {
    if (fixed[s] === OUT || (fixed[s] !== IN && (g.level[1 + s] as number) < 0)) continue
    attacked[s] = 1
    let d = -(c.need[s] as number)
    for (let e = c.svcStart[s] as number; e < (c.svcStart[s + 1] as number); e++)
      if ((g.level[1 + S + (c.owner[e] as number)] as number) >= 0) d += c.a[e] as number
    grad[s] = d
  }
  return { value: base - flow, lam, grad, attacked }
}

/**
 * Puts the previous shares back as flow, each cut to its edge's new capacity, then to what its service may send and
 * its operator may take (each unit of flow is one path source → s → v → sink). Returns the flow placed.
 */
function warmStart(c: ShareCore, g: FlowGraph, warm: Float64Array): number {
  const { cap, srcEdge, memEdge, sinkEdge } = g
  let flow = 0
  for (let e = 0; e < c.E; e++) {
    const s = c.svcOf[e] as number
    const v = c.owner[e] as number
    const k = memEdge[e] as number
    const ks = srcEdge[s] as number
    const kv = sinkEdge[v] as number
    const f = Math.min(warm[e] as number, cap[k] as number, cap[ks] as number, cap[kv] as number)
    if (!(f > EPS)) continue
    pushPath(cap, k, ks, kv, f)
    flow += f
  }
  // Then every direct path source → s → v → sink still open, greedily: what the phases would find first, found
  // without a search.
  for (let e = 0; e < c.E; e++) {
    const k = memEdge[e] as number
    const ks = srcEdge[c.svcOf[e] as number] as number
    const kv = sinkEdge[c.owner[e] as number] as number
    const f = Math.min(cap[k] as number, cap[ks] as number, cap[kv] as number)
    if (!(f > EPS)) continue
    pushPath(cap, k, ks, kv, f)
    flow += f
  }
  return flow
}

function bfs(g: FlowGraph, sink: number): boolean {
  const { level, queue, head, next, to, cap } = g
  level.fill(-1)
  level[0] = 0
  let qh = 0
  let qt = 0
  queue[qt++] = 0
  while (qh < qt) {
    const u = queue[qh++] as number
    // nodes as far as the sink or farther lead nowhere in this phase (the final search still runs to the end: it
    // never reaches the sink, and its levels are the minimum cut)
    if ((level[sink] as number) >= 0 && (level[u] as number) >= (level[sink] as number)) break
    for (let k = head[u] as number; k >= 0; k = next[k] as number) {
      const v = to[k] as number
      if ((cap[k] as number) > EPS && (level[v] as number) < 0) {
        level[v] = (level[u] as number) + 1
        queue[qt++] = v
      }
    }
  }
  return (level[sink] as number) >= 0
}

/**
 * Pushes up to f from u towards the sink along the level graph, through as many arcs as it takes (one call per
 * phase from the source: restarting from the source for every path cost 2,400 calls per phase at 1,000 × 100).
 * An arc is passed over only once it cannot take more, so the current-arc pointers keep a phase linear.
 */
function dfs(g: FlowGraph, u: number, sink: number, f: number): number {
  if (u === sink) return f
  const { level, iter, next, to, cap } = g
  let pushed = 0
  for (; (iter[u] as number) >= 0; iter[u] = next[iter[u] as number] as number) {
    const k = iter[u] as number
    const v = to[k] as number
    if ((cap[k] as number) > EPS && level[v] === (level[u] as number) + 1) {
      const want = Math.min(f - pushed, cap[k] as number)
      const d = dfs(g, v, sink, want)
      // v could not take all it was offered: it is blocked for the rest of this phase
      if (d < want) level[v] = -1
      if (d > 0) {
        cap[k] = (cap[k] as number) - d
        cap[k ^ 1] = (cap[k ^ 1] as number) + d
        pushed += d
        if (f - pushed <= EPS) return pushed
      }
    }
  }
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

/** `f` units along source → s → v → sink: the three edges' residual capacities and their reverses. */
function pushPath(cap: Float64Array, k: number, ks: number, kv: number, f: number) {
  push(cap, k, f)
  push(cap, ks, f)
  push(cap, kv, f)
}

function push(cap: Float64Array, edge: number, f: number) {
  cap[edge] = (cap[edge] as number) - f
  cap[edge ^ 1] = (cap[edge ^ 1] as number) + f
}
