/**
 * Floating-point search for cost shares that make cascadeBound.ts's knapsack bound small. Proves nothing: every
 * candidate goes through `cascadeShareBound` (bigint) and only that number is reported.
 *
 * For fixed shares λ the knapsack LP max{π(A) : Σ_{s∈A} (C_s − π_s) ≤ K} (K = Ψ − 1) has the dual
 * min_θ≥0 θK + Σ_s max(0, (1 + θ)π_s − θ C_s(λ)). Written with η = θλ (C_s is positively homogeneous) that is
 * jointly convex in (θ, η) over a convex cone, and for a fixed θ it is θ·(K + L_{π'}(λ)) with π' = (1 + 1/θ)π: the
 * cost-share bound with inflated profits, which shareCore.ts (share steps) and shareFlow.ts (price steps) lower.
 * So the search alternates: θ is read off the current shares' knapsack (the profit per weight of the item the LP
 * takes in part), the profits are set to (1 + 1/θ)π, and one step is taken on L_{π'}, Polyak's step towards the
 * level where the bound would meet the best loss found so far.
 */

import { cascadeShareBound, leastOf } from './cascadeBound.ts'
import { type CostShares, toShares } from './costShare.ts'
import { type Network, totalStake } from './network.ts'
import {
  buildShareCore,
  evaluate,
  FREE,
  initialShares,
  type ShareCore,
  step,
  workspace,
} from './shareCore.ts'
import { buildFlowGraph, priceBound, pricesFromShares } from './shareFlow.ts'

export type CascadeShareSearch = {
  /** The exact bound (amount units) of the best shares found: cascadeShareBound. */
  bound: bigint
  /** Those shares, and the best before the price steps when it differs: cuts for the solver (cascadeCuts.ts). */
  shares: CostShares[]
  /** Share steps and price evaluations taken. */
  steps: number
}

type Knap = { value: number; theta: number }

/**
 * The knapsack LP in floats for covers C (units of the largest amount): its value and the dual θ. With every
 * positive-weight item fitting, θ is that of the last one (any θ is then as good for the float search's purpose).
 */
export function floatKnapsack(profit: Float64Array, cover: Float64Array, cap: number): Knap {
  let value = 0
  let room = cap
  const rest: number[] = []
  for (let s = 0; s < profit.length; s++) {
    const w = (cover[s] as number) - (profit[s] as number)
    if (w <= 0) {
      value += profit[s] as number
      room -= w
    } else if ((profit[s] as number) > 0) rest.push(s)
  }
  if (room < 0) return { value: Number.NEGATIVE_INFINITY, theta: 1e6 }
  const density = (s: number) => (profit[s] as number) / ((cover[s] as number) - (profit[s] as number))
  rest.sort((i, j) => density(j) - density(i))
  let theta = 1e-6
  for (const s of rest) {
    const w = (cover[s] as number) - (profit[s] as number)
    theta = density(s)
    if (w <= room) {
      value += profit[s] as number
      room -= w
    } else {
      value += ((profit[s] as number) * room) / w
      break
    }
  }
  return { value, theta: Math.max(theta, 1e-6) }
}

/**
 * Searches shares for the cascade bound with shock budget `budget` (amount units; 0 for the largest attack), for
 * about `budgetMs`: share steps first (up to `shareSteps`), then price steps (maximum flows). `incumbent` (the best
 * loss found, amount units) sets the level the steps aim at; the search stops early once the exact bound meets it.
 */
export function findCascadeShares(
  n: Network,
  budget: bigint,
  opts: { budgetMs?: number; incumbent?: bigint; shareSteps?: number; priceSteps?: number } = {},
): CascadeShareSearch {
  const deadline = performance.now() + (opts.budgetMs ?? 1000)
  const core = buildShareCore(n)
  const unitF = Number(core.unit)
  const base = Float64Array.from(core.profit)
  const psiF = Number(budget) / unitF
  const totalF = Number(totalStake(n)) / unitF
  const shockCap = shockCapper(n, core, psiF)
  const goal = opts.incumbent === undefined ? 0 : Number(opts.incumbent) / unitF
  const ws = workspace(core)
  const free = new Uint8Array(core.S).fill(FREE)
  const cover = new Float64Array(core.S)
  let cap = psiF - 1 / unitF
  let lam = initialShares(core)
  let best = { value: Number.POSITIVE_INFINITY, lam: Float64Array.from(lam) }
  let steps = 0
  // The knapsack of `shares` at the true profits; sets the profits to (1 + 1/θ)π for the next step.
  const knap = (shares: Float64Array): Knap => {
    core.profit.set(base)
    evaluate(core, shares, free, ws)
    for (let s = 0; s < core.S; s++) cover[s] = (base[s] as number) - (ws.term[s] as number)
    cap = shockCap(shares, ws.order) - 1 / unitF
    const k = floatKnapsack(base, cover, cap)
    // never above σ(V), as the exact bound (a network that can lose everything is settled at once)
    const loss = Math.min(totalF, k.value === Number.NEGATIVE_INFINITY ? psiF : psiF + Math.max(0, k.value))
    if (loss < best.value) best = { value: loss, lam: Float64Array.from(shares) }
    for (let s = 0; s < core.S; s++) core.profit[s] = (base[s] as number) * (1 + 1 / k.theta)
    return k
  }
  // L's level: the bound Ψ − 1 + θ(K + L) at the best loss found, or a little under L when that is out of reach.
  const levelFor = (theta: number, value: number) =>
    Math.min(value * 0.7, Math.max(0, (goal - psiF) / theta - cap))
  const maxShare = opts.shareSteps ?? 400
  for (; steps < maxShare && performance.now() < deadline; steps++) {
    const k = knap(lam)
    if (best.value <= goal) break
    const { value, norm } = evaluate(core, lam, free, ws)
    if (norm === 0) break
    step(core, lam, free, ws, (value - levelFor(k.theta, value)) / norm)
  }
  const afterShares = best
  // Price steps from the best shares' covers (the flow keeps its shares within μ·a ≤ a and the stakes).
  const maxPrice = opts.priceSteps ?? 300
  if (maxPrice > 0 && performance.now() < deadline && best.value > goal) {
    lam = Float64Array.from(best.lam)
    const graph = buildFlowGraph(core)
    let k = knap(lam)
    evaluate(core, lam, free, ws)
    const mu = pricesFromShares(core, lam, ws.grad)
    let warm: Float64Array | null = lam
    const dir = new Float64Array(core.S)
    for (let i = 0; i < maxPrice && performance.now() < deadline; i++, steps++) {
      const ev = priceBound(core, graph, mu, free, warm)
      warm = ev.lam
      let norm = 0
      for (let s = 0; s < core.S; s++) {
        dir[s] = (ev.grad[s] as number) + 0.3 * (dir[s] as number)
        norm += (dir[s] as number) ** 2
      }
      const value = ev.value
      k = knap(ev.lam)
      if (best.value <= goal || norm === 0) break
      const size = (value - levelFor(k.theta, value)) / norm
      for (let s = 0; s < core.S; s++)
        mu[s] = Math.min(1, Math.max(0, (mu[s] as number) - size * (dir[s] as number)))
    }
  }
  core.profit.set(base)
  const shares = [best, afterShares]
    .filter((b, i) => i === 0 || b !== best)
    .map((b) => toShares(n, b.lam, core.svcStart))
  const bounds = shares.map((sh) => cascadeShareBound(n, sh, budget))
  const bound = leastOf(bounds)
  return { bound, shares, steps }
}

/**
 * ρ* of cascadeBound.ts's shockShareCap in floats: the fractional knapsack over σ_v ≤ Ψ of the shock's credit
 * κ_v = Σ_s κ_vs, κ_vs = max(0, α_s μ_s a_vs − max(0, μ_s a_vs − λ_vs)), μ_s the share per unit of stake of the
 * member the cheapest cover of s takes last (cascadeBound.ts's shockShares, in floats). `order`: each service's
 * edges sorted by share per unit of stake for these very shares (evaluate()'s ws.order), saving a sort per call.
 */
export function shockCapper(
  n: Network,
  core: ShareCore,
  psiF: number,
): (lam: Float64Array, order?: Int32Array) => number {
  const alpha = Float64Array.from(n.services, (s) => Number(s.threshold.num) / Number(s.threshold.den))
  const V = core.sigma.length
  const rho = new Float64Array(V)
  const byDensity = Array.from({ length: V }, (_, v) => v)
  const edges = Int32Array.from({ length: core.E }, (_, e) => e)
  return (lam, order) => {
    rho.fill(0)
    for (let si = 0; si < core.S; si++) {
      const lo = core.svcStart[si] as number
      const hi = core.svcStart[si + 1] as number
      const ratio = (e: number) => (lam[e] as number) / Math.max(core.a[e] as number, 1e-300)
      // evaluate()'s order for these shares when given (already sorted by ratio: no sort here), else sorted now
      const run = order
        ? order.subarray(lo, hi)
        : edges
            .subarray(lo, hi)
            .slice()
            .sort((e, f) => ratio(e) - ratio(f))
      let rest = core.need[si] as number
      let mu = 0
      for (const e of run) {
        if ((core.a[e] as number) <= 0) continue
        mu = ratio(e)
        rest -= core.a[e] as number
        if (rest <= 0) break
      }
      const al = alpha[si] as number
      for (let e = lo; e < hi; e++) {
        const ma = mu * (core.a[e] as number)
        const k = al * ma - Math.max(0, ma - (lam[e] as number))
        if (k > 0) rho[core.owner[e] as number] = (rho[core.owner[e] as number] as number) + k
      }
    }
    const density = (v: number) => (rho[v] as number) / Math.max(core.sigma[v] as number, 1e-300)
    byDensity.sort((v, w) => density(w) - density(v))
    let room = psiF
    let sum = 0
    for (const v of byDensity) {
      const st = core.sigma[v] as number
      if (st <= room) {
        sum += rho[v] as number
        room -= st
      } else {
        sum += (rho[v] as number) * (room / st)
        break
      }
    }
    return sum
  }
}
