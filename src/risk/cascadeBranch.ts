/**
 * A branch and bound over services for the cascade bound of cascadeBound.ts. The knapsack relaxation there lets
 * a shock's shares pay small deficits on many services at once; fixing services IN (in A) or OUT (not in A) makes
 * the knapsack count what an integral attack must pay.
 *
 * At a node (IN ⊆ A ⊆ IN ∪ FREE), for shares λ with zero shares on OUT services (their members' stake goes to the
 * services still in play; the proof of cascadeBound.ts needs Σ_{s∈A} λ_vs ≤ cost_v only over s ∈ A), every attack
 * (A, B) valid after a shock D in the subtree satisfies Σ_{s∈A} (C_s − π_s) ≤ ρ* − 1. So
 *
 *   loss ≤ Ψ + P_node − 1,  P_node = π(IN) + max{π(F) : F ⊆ FREE, Σ_{F} w_s ≤ ρ* − 1 − Σ_{IN} w_s}  (LP, floored)
 *
 * with w_s = C_s − π_s: IN services count even when their weight is positive (that is what forcing buys). With no
 * IN service the shock alone (≤ Ψ) is in the subtree too. Only the exact bigint value (nodeCascadeBound) prunes.
 *
 * A second exact rule (shockHolds): for s ∈ IN, a(B ∩ N(s)) + α_s a(D ∩ N(s)) ≥ α_s σ(N(s)) and
 * a(B ∩ N(s)) ≤ cost(B) ≤ π(A) − 1 ≤ P_node − 1 (every a_vs ≤ σ_v), so the shock holds
 * a(D ∩ N(s)) ≥ h_s = ⌈(α_s σ(N(s)) − (P_node − 1)) / α_s⌉ (whole units). Summed over IN,
 * Σ_{v∈D} c_v ≥ Σ h_s with c_v = Σ_{s∈IN ∋ v} a_vs, while σ(D) ≤ Ψ caps Σ_{v∈D} c_v by the fractional knapsack
 * of c_v / σ_v (floored: the left side is whole). When Σ h_s exceeds it the node holds no attack.
 */
import { knapsackBound, shockShareCap } from './cascadeBound.ts'
import { shockCapper } from './cascadeShares.ts'
import { type CostShares, toShares } from './costShare.ts'
import { type Network, totalStake } from './network.ts'
import {
  buildShareCore,
  clearOut,
  evaluate,
  FREE,
  IN,
  initialShares,
  OUT,
  type ShareCore,
  step,
  type Workspace,
  workspace,
} from './shareCore.ts'
import { shareTerms } from './shareNodeBound.ts'

/** The node's exact bound (amount units) and P_node, or null when the node holds no attack (nor the shock alone). */
export function nodeCascadeBound(
  n: Network,
  shares: CostShares,
  budget: bigint,
  fixed: Uint8Array,
  wrong?: Wrong,
): { bound: bigint; p: bigint } | null {
  const terms = shareTerms(n, shares, fixed)
  const cap = shockShareCap(n, shares, budget) * shares.unit - shares.den
  return knapsackNodeBound(
    n,
    budget,
    fixed,
    cap,
    (si) => {
      const t = terms[si]
      return t === null || t === undefined ? null : -t * shares.unit // C_s − π_s ≥ −term_s, in amount · den; null: OUT
    },
    // (the test's wrong variant counts an IN service as a FREE one taken whole: no credit for w < 0)
    wrong === 'inNoCredit' ? (w) => (w < 0n ? 0n : w) : undefined,
  )
}

/**
 * A node's exact bound from fixed service weights (C_s − π_s, bounded below) and the knapsack's capacity
 * (ρ* − 1), both in amount · den: Ψ + π(IN) + the knapsack LP over FREE − 1, capped at σ(V); null when the node
 * holds no attack (nor the shock alone). `weight` is null for a service left OUT; `inWeight` (tests' mutants)
 * changes an IN service's weight.
 */
export function knapsackNodeBound(
  n: Network,
  budget: bigint,
  fixed: Uint8Array,
  cap: bigint,
  weight: (service: number) => bigint | null,
  inWeight?: (w: bigint) => bigint,
): { bound: bigint; p: bigint } | null {
  let forcedProfit = 0n
  let forcedWeight = 0n
  let anyIn = false
  const profits: bigint[] = []
  const weights: bigint[] = []
  n.services.forEach((s, si) => {
    const w = weight(si)
    if (w === null) return // OUT
    if (fixed[si] === IN) {
      anyIn = true
      forcedProfit += s.profit
      forcedWeight += inWeight ? inWeight(w) : w // counted even when positive: that is what forcing buys
    } else {
      profits.push(s.profit)
      weights.push(w)
    }
  })
  const rest = knapsackBound(profits, weights, cap - forcedWeight)
  const total = totalStake(n)
  const capped = (b: bigint) => (b < total ? b : total)
  if (rest === null) return anyIn ? null : { bound: capped(budget), p: 0n }
  const p = forcedProfit + rest
  // A valid attack has π(A) ≥ cost(B) + 1 ≥ 1.
  if (anyIn) return p < 1n ? null : { bound: capped(budget + p - 1n), p }
  return { bound: capped(p < 1n ? budget : budget + p - 1n), p }
}

/** False when no shock within the budget can hold what the IN services need of it (see the header); exact. */
export function shockHolds(n: Network, budget: bigint, fixed: Uint8Array, p: bigint, wrong?: Wrong): boolean {
  const cover = n.operators.map(() => 0n)
  let need = 0n
  for (let si = 0; si < n.services.length; si++) {
    if (fixed[si] !== IN) continue
    const s = n.services[si]
    if (!s) continue
    let tot = 0n
    for (let k = 0; k < s.members.length; k++) {
      const v = s.members[k] as number
      const a = s.memberStake[k] ?? 0n
      // a(B ∩ N(s)) ≤ cost(B) needs a_vs ≤ σ_v (input.ts enforces it); otherwise no claim.
      if (a > (n.operators[v]?.stake ?? 0n)) return true
      tot += a
      cover[v] = (cover[v] ?? 0n) + a
    }
    const { num, den } = s.threshold
    if (num === 0n) continue
    // h_s = ⌈(num·tot/den − (p − 1)) · den/num⌉ = ⌈(num·tot − den·(p − 1)) / num⌉, counted when positive.
    // (the test's wrong variant forgets that B holds part of N(s): the shock must then hold all of it)
    const x = num * tot - (wrong === 'holdAll' ? 0n : den * (p - 1n))
    if (x > 0n) need += (x + num - 1n) / num
  }
  if (need === 0n) return true
  // max Σ_{v∈D} c_v over σ(D) ≤ Ψ: the fractional knapsack by c_v / σ_v, floored (the true sum is whole).
  const stake = (v: number) => n.operators[v]?.stake ?? 0n
  const order = n.operators.map((_, v) => v).filter((v) => (cover[v] as bigint) > 0n)
  order.sort((v, w) => {
    const d = (cover[w] as bigint) * stake(v) - (cover[v] as bigint) * stake(w)
    return d < 0n ? -1 : d > 0n ? 1 : 0
  })
  let room = budget
  let most = 0n
  for (const v of order) {
    const st = stake(v)
    const c = cover[v] as bigint
    if (st <= room) {
      most += c
      room -= st
    } else {
      most += (c * room) / st // floor: fine, the true Σ c_v is whole
      break
    }
  }
  return need <= most
}

export type FloatKnap = { value: number; theta: number; branch: number }

/**
 * The node's knapsack in floats (IN forced, OUT left out): its value, the dual θ for the share steps, and the
 * FREE service to branch on — the one taken in part, else the taken one with the largest π, else the untaken one
 * with the largest π (−1 when no FREE service has a profit). A wrong pick costs time, never correctness.
 */
export function nodeFloatKnapsack(
  profit: Float64Array,
  cover: Float64Array,
  cap: number,
  fixed: Uint8Array,
): FloatKnap {
  let value = 0
  let room = cap
  const rest: number[] = []
  let taken = -1
  let untaken = -1
  const better = (a: number, b: number) => b < 0 || (profit[a] as number) > (profit[b] as number)
  for (let s = 0; s < profit.length; s++) {
    if (fixed[s] === OUT) continue
    const w = (cover[s] as number) - (profit[s] as number)
    if (fixed[s] === IN) {
      value += profit[s] as number
      room -= w
    } else if (w <= 0) {
      value += profit[s] as number
      room -= w
      if ((profit[s] as number) > 0 && better(s, taken)) taken = s
    } else if ((profit[s] as number) > 0) rest.push(s)
  }
  if (room < 0) return { value: Number.NEGATIVE_INFINITY, theta: 1e6, branch: -1 }
  const density = (s: number) => (profit[s] as number) / ((cover[s] as number) - (profit[s] as number))
  rest.sort((i, j) => density(j) - density(i))
  let theta = 1e-6
  let partial = -1
  for (const s of rest) {
    const w = (cover[s] as number) - (profit[s] as number)
    if (partial >= 0) {
      if (better(s, untaken)) untaken = s
      continue
    }
    theta = density(s)
    if (w <= room) {
      value += profit[s] as number
      room -= w
      if (better(s, taken)) taken = s
    } else {
      value += ((profit[s] as number) * room) / w
      partial = s
    }
  }
  const branch = partial >= 0 ? partial : taken >= 0 ? taken : untaken
  return { value, theta: Math.max(theta, 1e-6), branch }
}

export type Ctx = {
  n: Network
  core: ShareCore
  ws: Workspace
  base: Float64Array
  cover: Float64Array
  psiF: number
  unitF: number
  goal: number
  shockCap: (lam: Float64Array, order?: Int32Array) => number
}

/** The float search's context for a cascade branching (this file's and cascadePool.ts's) over a shock budget. */
export function cascadeCtx(n: Network, budget: bigint, incumbent: bigint): Ctx {
  const core = buildShareCore(n)
  const unitF = Number(core.unit)
  return {
    n,
    core,
    ws: workspace(core),
    base: Float64Array.from(core.profit),
    cover: new Float64Array(core.S),
    psiF: Number(budget) / unitF,
    unitF,
    goal: Number(incumbent) / unitF,
    shockCap: shockCapper(n, core, Number(budget) / unitF),
  }
}

/** Share steps at a node from `lam` (changed in place); returns the best shares found and their float knapsack. */
export function searchNode(
  ctx: Ctx,
  lam: Float64Array,
  fixed: Uint8Array,
  steps: number,
): { lam: Float64Array; k: FloatKnap } {
  const { core, ws, base, cover } = ctx
  clearOut(core, lam, fixed)
  let best: { value: number; lam: Float64Array; k: FloatKnap } | null = null
  for (let i = 0; i <= steps; i++) {
    core.profit.set(base)
    evaluate(core, lam, fixed, ws)
    for (let s = 0; s < core.S; s++) cover[s] = (base[s] as number) - (ws.term[s] as number)
    const cap = ctx.shockCap(lam, ws.order) - 1 / ctx.unitF
    const k = nodeFloatKnapsack(base, cover, cap, fixed)
    if (best === null || k.value < best.value) best = { value: k.value, lam: Float64Array.from(lam), k }
    if (i === steps || k.value === Number.NEGATIVE_INFINITY || ctx.psiF + k.value <= ctx.goal) break
    // One step on L at profits (1 + 1/θ)π (cascadeShares.ts), aimed where the bound would meet the loss found.
    for (let s = 0; s < core.S; s++) core.profit[s] = (base[s] as number) * (1 + 1 / k.theta)
    const { value, norm } = evaluate(core, lam, fixed, ws)
    if (norm === 0) break
    const level = Math.min(value * 0.7, Math.max(0, (ctx.goal - ctx.psiF) / k.theta - cap))
    step(core, lam, fixed, ws, (value - level) / norm)
  }
  core.profit.set(base)
  const b = best as { lam: Float64Array; k: FloatKnap }
  return { lam: b.lam, k: b.k }
}

export type CascadeBranchResult = {
  /** Upper bound on R_ψ σ(V) (amount units), exact: at least the incumbent. */
  bound: bigint
  /** The tree was exhausted and no leaf or open node lies above the incumbent: bound = incumbent. */
  proven: boolean
  nodes: number
}

/** Deliberately wrong rules, for the tests to show that they would be caught. Never set outside tests. */
export type Wrong = 'inNoCredit' | 'holdAll'

/** Exact shares back to floats in units of the largest amount (amount = share · unit / den). */
export function floatShares(c: CostShares, core: ShareCore): Float64Array {
  const lam = new Float64Array(core.E)
  const scale = Number(c.unit) / Number(core.unit) / Number(c.den)
  c.shares.forEach((row, si) => {
    row.forEach((l, k) => {
      lam[(core.svcStart[si] as number) + k] = Number(l) * scale
    })
  })
  return lam
}

type Node = { fixed: Uint8Array; lam: Float64Array; bound: bigint }

/**
 * Best-first branch and bound over services for the cascade bound. `incumbent` is a loss found (exact); nodes
 * whose exact bound is ≤ it are pruned. Ends at `deadline` (performance.now() ms) or `maxNodes` with the largest
 * open bound. `rootBound` (an exact bound already known, e.g. cascadeShareBound) caps the root.
 */
export function branchCascade(
  n: Network,
  budget: bigint,
  incumbent: bigint,
  opts: {
    deadline?: number
    maxNodes?: number
    rootSteps?: number
    nodeSteps?: number
    rootBound?: bigint
    rootShares?: CostShares
    wrong?: Wrong
  } = {},
): CascadeBranchResult {
  const total = totalStake(n)
  const ctx = cascadeCtx(n, budget, incumbent)
  const { core } = ctx
  const deadline = opts.deadline ?? Number.POSITIVE_INFINITY
  const maxNodes = opts.maxNodes ?? 100_000
  const rootBound = opts.rootBound !== undefined && opts.rootBound < total ? opts.rootBound : total
  // From the shares that gave rootBound when there are any (the root's own steps would have to find them again).
  const rootLam = opts.rootShares ? floatShares(opts.rootShares, core) : initialShares(core)
  const open: Node[] = [{ fixed: new Uint8Array(core.S).fill(FREE), lam: rootLam, bound: rootBound }]
  let leafMax = incumbent
  let nodes = 0
  while (open.length > 0 && nodes < maxNodes && performance.now() < deadline) {
    // best first: the open node with the largest bound
    let at = 0
    for (let i = 1; i < open.length; i++) if ((open[i] as Node).bound > (open[at] as Node).bound) at = i
    const node = open[at] as Node
    open[at] = open[open.length - 1] as Node
    open.pop()
    if (node.bound <= incumbent) continue
    nodes++
    const { lam, k } = searchNode(
      ctx,
      node.lam,
      node.fixed,
      nodes === 1 ? (opts.rootSteps ?? 200) : (opts.nodeSteps ?? 60),
    )
    const exact = nodeCascadeBound(n, toShares(n, lam, core.svcStart), budget, node.fixed, opts.wrong)
    if (exact === null) continue // no attack in this subtree (nor the shock alone: some service is IN)
    if (node.fixed.includes(IN) && !shockHolds(n, budget, node.fixed, exact.p, opts.wrong)) continue
    // The subtree is part of the parent's, so the parent's bound holds here too.
    const bound = exact.bound < node.bound ? exact.bound : node.bound
    if (bound <= incumbent) continue
    if (k.branch < 0) {
      if (bound > leafMax) leafMax = bound
      continue
    }
    const fixIn = Uint8Array.from(node.fixed)
    fixIn[k.branch] = IN
    const fixOut = Uint8Array.from(node.fixed)
    fixOut[k.branch] = OUT
    open.push({ fixed: fixIn, lam: Float64Array.from(lam), bound }, { fixed: fixOut, lam, bound })
  }
  let bound = leafMax
  for (const o of open) if (o.bound > bound && o.bound > incumbent) bound = o.bound
  // proven only when nothing is left open above the incumbent and no leaf stayed above it
  const proven = bound <= incumbent
  return { bound: bound < incumbent ? incumbent : bound, proven, nodes }
}
