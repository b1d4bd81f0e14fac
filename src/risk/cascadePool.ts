/**
 * Branching over services for the cascade bound (as cascadeBranch.ts) with a pool of share vectors: every vector
 * the search has ever built bounds every node, not just the node it was built for and its children.
 *
 * Why it holds. cascadeBound.ts's argument needs nothing of the shares but that they fit every stake and
 * allocation: for ANY shares λ, every attack (A, B) valid after a shock D has Σ_{s∈A} (C_s(λ) − π_s) ≤ ρ*(λ) − 1.
 * So each vector k gives fixed weights w^k_s (a lower bound on C_s − π_s, coverExcess) and a capacity
 * cap^k = ρ*(λ^k) − 1 (shockShareCap), and at a node (IN ⊆ A ⊆ IN ∪ FREE) the loss is at most Ψ + P^k − 1 with
 * P^k = π(IN) + the knapsack LP over FREE with capacity cap^k − Σ_IN w^k (nodeCascadeBound's rule, with the
 * vector's weights instead of weights recomputed for the node). The node's bound is the least over the pool; only
 * the exact bigint value of the vector the floats pick prunes. A node whose pool bound stays above the loss found
 * gets its own vector (cascadeBranch.ts's share steps, IN forced, OUT left out), which joins the pool.
 *
 * What it buys: a vector costs tens of share steps (milliseconds), a pool bound a pass over the services per
 * vector (microseconds), so a node that some earlier vector already prunes costs almost nothing.
 */
import { coverExcess, shockShareCap } from './cascadeBound.ts'
import { cascadeCtx, floatShares, knapsackNodeBound, searchNode, shockHolds } from './cascadeBranch.ts'
import { type CostShares, toShares } from './costShare.ts'
import { MaxHeap } from './maxHeap.ts'
import { type Network, totalStake } from './network.ts'
import { FREE, IN, initialShares, OUT } from './shareCore.ts'

/** One share vector's knapsack: exact weights and capacity (amount · den), their floats (amount units). */
export type PoolVector = {
  w: bigint[]
  cap: bigint
  den: bigint
  wF: Float64Array
  capF: number
  /** Services of positive weight by π/w, highest first (the float knapsack's order). */
  order: Int32Array
  /** The shares in floats (units of the largest amount), a start for the next vectors' steps. */
  lam: Float64Array
  lastWin: number
}

/** Deliberately wrong rules, for the tests to show that they would be caught. Never set outside tests. */
export type PoolWrong = 'capNoShock'

/** A vector from exact shares; `wrong` (tests only) drops the shock's credit from the capacity. */
export function poolVector(
  n: Network,
  shares: CostShares,
  budget: bigint,
  lam: Float64Array,
  wrong?: PoolWrong,
): PoolVector {
  const w = coverExcess(n, shares).map((x) => x * shares.unit)
  const rho = wrong === 'capNoShock' ? 0n : shockShareCap(n, shares, budget)
  const cap = rho * shares.unit - shares.den
  const den = Number(shares.den)
  const wF = Float64Array.from(w, (x) => Number(x) / den)
  const profit = n.services.map((s) => Number(s.profit))
  const pos = n.services.map((_, si) => si).filter((si) => (wF[si] as number) > 0)
  pos.sort((i, j) => (profit[j] as number) / (wF[j] as number) - (profit[i] as number) / (wF[i] as number))
  return {
    w,
    cap,
    den: shares.den,
    wF,
    capF: Number(cap) / den,
    order: Int32Array.from(pos),
    lam,
    lastWin: 0,
  }
}

/**
 * The node's exact bound (amount units) from one vector, and P; null when the node holds no attack (nor the
 * shock alone). Mirrors cascadeBranch.ts's nodeCascadeBound with the vector's fixed weights.
 */
export function poolNodeBound(
  n: Network,
  vec: PoolVector,
  budget: bigint,
  fixed: Uint8Array,
): { bound: bigint; p: bigint } | null {
  return knapsackNodeBound(n, budget, fixed, vec.cap, (si) =>
    (fixed[si] ?? FREE) === OUT ? null : (vec.w[si] as bigint),
  )
}

/**
 * The same knapsack in floats (amount units): P (−∞ when the IN services' weight alone exceeds the capacity) and
 * the FREE service to branch on (taken in part, else the taken one with the largest π, else the untaken one).
 */
function floatNode(vec: PoolVector, fixed: Uint8Array, profit: Float64Array): { p: number; branch: number } {
  let value = 0
  let room = vec.capF
  let taken = -1
  let untaken = -1
  const better = (a: number, b: number) => b < 0 || (profit[a] as number) > (profit[b] as number)
  for (let s = 0; s < profit.length; s++) {
    const f = fixed[s]
    if (f === OUT) continue
    const w = vec.wF[s] as number
    if (f === IN) {
      value += profit[s] as number
      room -= w
    } else if (w <= 0) {
      value += profit[s] as number
      room -= w
      if ((profit[s] as number) > 0 && better(s, taken)) taken = s
    }
  }
  if (room < 0) return { p: Number.NEGATIVE_INFINITY, branch: -1 }
  let partial = -1
  for (const s of vec.order) {
    if (fixed[s] !== FREE) continue
    if (partial >= 0) {
      if (better(s, untaken)) untaken = s
      continue
    }
    const w = vec.wF[s] as number
    if (w <= room) {
      value += profit[s] as number
      room -= w
      if (better(s, taken)) taken = s
    } else {
      value += ((profit[s] as number) * room) / w
      partial = s
    }
  }
  return { p: value, branch: partial >= 0 ? partial : taken >= 0 ? taken : untaken }
}

export type PoolBranchResult = {
  /** Upper bound on R_ψ σ(V) (amount units), exact: at least the incumbent. */
  bound: bigint
  /** Nothing is left above the incumbent: bound = incumbent. */
  proven: boolean
  nodes: number
  vectors: number
}

type Node = { fixed: Uint8Array; bound: bigint }

/**
 * Best-first branch and bound over services, every node bounded by the whole pool. `incumbent` is a loss found
 * (exact); `rootShares` (e.g. the cost shares' search's best) seed the pool. Ends at `deadline`
 * (performance.now() ms) or `maxNodes` with the largest open bound.
 */
export function poolBranchCascade(
  n: Network,
  budget: bigint,
  incumbent: bigint,
  opts: {
    deadline?: number
    maxNodes?: number
    /** Share steps for a node's own vector (0: the pool is never grown past the root). */
    nodeSteps?: number
    rootSteps?: number
    rootBound?: bigint
    rootShares?: CostShares
    maxVectors?: number
    wrong?: PoolWrong
  } = {},
): PoolBranchResult {
  const total = totalStake(n)
  const ctx = cascadeCtx(n, budget, incumbent)
  const { core, unitF } = ctx
  const profit = Float64Array.from(n.services, (s) => Number(s.profit))
  const deadline = opts.deadline ?? Number.POSITIVE_INFINITY
  const maxNodes = opts.maxNodes ?? 1_000_000
  const maxVectors = opts.maxVectors ?? 200
  const nodeSteps = opts.nodeSteps ?? 30
  const pool: PoolVector[] = []
  let clock = 0
  const addVector = (lam: Float64Array) => {
    const v = poolVector(n, toShares(n, lam, core.svcStart), budget, lam, opts.wrong)
    v.lastWin = ++clock
    if (pool.length >= maxVectors) {
      // the vector that has not bounded a node for longest makes room
      let old = 0
      for (let i = 1; i < pool.length; i++)
        if ((pool[i] as PoolVector).lastWin < (pool[old] as PoolVector).lastWin) old = i
      pool[old] = v
    } else pool.push(v)
    return v
  }
  if (opts.rootShares) addVector(floatShares(opts.rootShares, core))
  else addVector(initialShares(core))
  const open = new MaxHeap<Node>()
  const rootBound = opts.rootBound !== undefined && opts.rootBound < total ? opts.rootBound : total
  open.push(Number(rootBound), { fixed: new Uint8Array(core.S).fill(FREE), bound: rootBound })
  let leafMax = incumbent
  let nodes = 0
  const floatLoss = (p: number, anyIn: boolean) =>
    p === Number.NEGATIVE_INFINITY
      ? anyIn
        ? Number.NEGATIVE_INFINITY
        : ctx.psiF * unitF
      : anyIn
        ? p < 1
          ? Number.NEGATIVE_INFINITY
          : Number(budget) + p - 1
        : Number(budget) + Math.max(0, p - 1)
  /** The pool's best vector for a node by the floats, and its exact bound. */
  const boundNode = (fixed: Uint8Array, anyIn: boolean) => {
    let best = pool[0] as PoolVector
    let bestLoss = Number.POSITIVE_INFINITY
    let branch = -1
    for (const v of pool) {
      const f = floatNode(v, fixed, profit)
      const loss = floatLoss(f.p, anyIn)
      if (loss < bestLoss) {
        bestLoss = loss
        best = v
        branch = f.branch
      }
    }
    best.lastWin = ++clock
    return { vec: best, exact: poolNodeBound(n, best, budget, fixed), branch }
  }
  while (open.size > 0 && nodes < maxNodes && performance.now() < deadline) {
    const node = open.pop() as Node
    if (node.bound <= incumbent) continue
    nodes++
    const anyIn = node.fixed.includes(IN)
    let { vec, exact, branch } = boundNode(node.fixed, anyIn)
    const settle = (e: { bound: bigint; p: bigint } | null): bigint | null => {
      if (e === null) return null
      if (anyIn && !shockHolds(n, budget, node.fixed, e.p)) return null
      return e.bound < node.bound ? e.bound : node.bound
    }
    let bound = settle(exact)
    if (bound !== null && bound > incumbent && nodeSteps > 0) {
      // The pool does not prune it: the node's own vector, from the pool's best, joins the pool.
      const steps = nodes === 1 ? (opts.rootSteps ?? 200) : nodeSteps
      const { lam } = searchNode(ctx, Float64Array.from(vec.lam), node.fixed, steps)
      vec = addVector(lam)
      exact = poolNodeBound(n, vec, budget, node.fixed)
      const own = settle(exact)
      if (own === null || own < bound) {
        bound = own
        branch = floatNode(vec, node.fixed, profit).branch
      }
    }
    if (bound === null || bound <= incumbent) continue
    if (branch < 0) {
      if (bound > leafMax) leafMax = bound
      continue
    }
    const fixIn = Uint8Array.from(node.fixed)
    fixIn[branch] = IN
    const fixOut = node.fixed
    fixOut[branch] = OUT
    open.push(Number(bound), { fixed: fixIn, bound })
    open.push(Number(bound), { fixed: fixOut, bound })
  }
  let bound = leafMax
  while (open.size > 0) {
    const o = open.pop() as Node
    if (o.bound > bound) bound = o.bound
  }
  const proven = bound <= incumbent
  return { bound: bound < incumbent ? incumbent : bound, proven, nodes, vectors: pool.length }
}
