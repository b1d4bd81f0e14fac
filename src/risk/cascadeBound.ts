/**
 * An exact (bigint) upper bound on the worst-case cascade R_ψ·σ(V) — and, with no shock, on the largest attack —
 * from cost shares (costShare.ts). The only thing in the cascade search that proves anything besides the solver.
 *
 * Shares λ_vs ≥ 0 with λ_vs ≤ a_vs and Σ_s λ_vs ≤ σ_v; C_s(λ) the cheapest fractional cover of s's threshold
 * *before* the shock, priced by λ. Take a shock D (σ(D) ≤ Ψ = ⌊ψ σ(V)⌋: stakes are whole units) and an attack
 * (A, B) valid after it, B ∩ D = ∅. For s ∈ A, σ(B ∩ N(s)) ≥ α_s σ(N(s) \ D) gives
 * a(B ∩ N(s)) + a(D ∩ N(s)) ≥ α_s σ(N(s)) + (1 − α_s) a(D ∩ N(s)) ≥ α_s σ(N(s)): B together with the shocked members
 * covers s's threshold before the shock, so λ(B ∩ N(s)) + λ(D ∩ N(s)) ≥ C_s. Summed over A, with
 * Σ_{s∈A} λ_vs ≤ min(σ_v, Σ_{s∈A} a_vs) = cost_v for v ∈ B and ≤ σ_v for v ∈ D:
 *
 *   Σ_{s∈A} C_s ≤ cost(B) + σ(D),   and more tightly ≤ cost(B) + ρ(D), ρ_v = Σ_s α_s λ_vs ≤ σ_v
 *
 * (shockShareCap: a shocked member lowers s's need by only α_s a_vs). Validity (π(A) > cost(B), whole units) gives
 * cost(B) ≤ π(A) − 1, so for A ≠ ∅, with ρ* = max{ρ(D) : σ(D) ≤ Ψ} ≤ Ψ,
 *
 *   Σ_{s∈A} (C_s − π_s) ≤ ρ(D) − 1 ≤ ρ* − 1,   and the loss σ(D) + cost(B) ≤ Ψ + π(A) − 1;
 *
 * the shock alone loses at most Ψ. So R_ψ σ(V) ≤ Ψ + max(0, P − 1), P = max{π(A) : Σ_{s∈A} w_s ≤ ρ* − 1},
 * w_s = C_s − π_s: a knapsack over services, bounded here by its LP relaxation (floored: π(A) is whole).
 * With Ψ = 0 it bounds the largest attack (ρ* = 0). Dropping the shocked members' shares (ρ* = 0 under a shock)
 * under-bounds: `cascadeBound.test.ts` holds networks where that variant falls below the exhaustive answer.
 *
 * The LP's dual is the Lagrangian view the float search (cascadeShares.ts) uses: for θ ≥ 0 and K = ρ* − 1,
 * P ≤ θK + Σ_s max(0, (1 + θ)π_s − θ C_s) = θ(K + L_{π'}(λ)) with π' = (1 + 1/θ)π and L the cost-share
 * bound Σ_s max(0, π'_s − C_s); the knapsack LP is its minimum over θ, computed exactly below.
 */
import type { CostShares } from './costShare.ts'
import type { Network } from './network.ts'
import { totalStake } from './network.ts'
import type { Rational } from './rational.ts'
import { FREE } from './shareCore.ts'
import { shareTerms } from './shareNodeBound.ts'

/** Ψ = ⌊ψ σ(V)⌋: σ(D) ≤ ψ σ(V) ⇔ σ(D) ≤ Ψ for a whole number of units. */
export const shockBudget = (n: Network, psi: Rational): bigint => (psi.num * totalStake(n)) / psi.den

/**
 * max Σ p_i x_i subject to Σ w_i x_i ≤ cap, 0 ≤ x ≤ 1 (the LP), floored; null when no x satisfies it (even the
 * items of weight ≤ 0 taken whole leave the sum above cap). Weights and cap share one scale; profits are ≥ 0.
 * Pure and exact: items of weight ≤ 0 are taken whole (they raise the profit and free capacity), the others by
 * profit per weight, compared by cross-multiplication, the first that does not fit in part.
 */
export function knapsackBound(profits: bigint[], weights: bigint[], cap: bigint): bigint | null {
  let value = 0n
  let room = cap
  const rest: number[] = []
  profits.forEach((p, i) => {
    const w = weights[i] as bigint
    if (w <= 0n) {
      value += p
      room -= w
    } else if (p > 0n) rest.push(i)
  })
  if (room < 0n) return null
  rest.sort((i, j) => {
    const d =
      (profits[j] as bigint) * (weights[i] as bigint) - (profits[i] as bigint) * (weights[j] as bigint)
    return d < 0n ? -1 : d > 0n ? 1 : 0
  })
  for (const i of rest) {
    const p = profits[i] as bigint
    const w = weights[i] as bigint
    if (w <= room) {
      value += p
      room -= w
    } else {
      value += (p * room) / w // floor: the LP's part of this item is at most that, and π(A) is whole
      break
    }
  }
  return value
}

/**
 * The most the shocked members' shares can pay towards the covers: for s ∈ A the point x = 1 on B ∩ N(s) and
 * x = α_s on D ∩ N(s) is a fractional cover of s (a(B ∩ N(s)) + α_s a(D ∩ N(s)) ≥ α_s σ(N(s))), so in fact
 * C_s ≤ λ(B ∩ N(s)) + α_s λ(D ∩ N(s)), and Σ_{s∈A} C_s ≤ cost(B) + Σ_{v∈D} ρ_v with ρ_v = Σ_s α_s λ_vs ≤ σ_v. The
 * shock picks D: max{ρ(D) : σ(D) ≤ Ψ} is at most the fractional knapsack by ρ_v / σ_v. In share units, each ρ_v
 * rounded up (a sum of ceilings is at least the ceiling of the sum) and the knapsack's part rounded up too.
 */
export function shockShareCap(n: Network, shares: CostShares, budget: bigint): bigint {
  const rho = shockShares(n, shares)
  const stake = (v: number) => n.operators[v]?.stake ?? 0n
  // An operator with no stake costs no budget: taken whole, outside the sort. (In the sort its ρ/σ = 0/0 compared
  // equal to every other, so it could sit before a denser operator, and the loop below stopped at its ρ = 0: a
  // zero-stake operator on no share left ρ* at 5 where it is 10, and the bound at 13 below the true 20.)
  let sum = 0n
  const order: number[] = []
  n.operators.forEach((_, v) => {
    const r = rho[v] as bigint
    if (r === 0n) return
    if (stake(v) <= 0n) sum += r
    else order.push(v)
  })
  // The others by ρ_v / σ_v, highest first (cross-multiplied: σ_v > 0, a consistent order).
  order.sort((v, w) => {
    const d = (rho[w] as bigint) * stake(v) - (rho[v] as bigint) * stake(w)
    return d < 0n ? -1 : d > 0n ? 1 : 0
  })
  let room = budget
  for (const v of order) {
    const r = rho[v] as bigint
    const st = stake(v)
    if (st <= room) {
      sum += r
      room -= st
    } else {
      sum += ceilDiv(r * room, st) // the part of v the LP takes, rounded up: a cap never below the truth
      break
    }
  }
  return sum
}

/** ρ_v = Σ_s α_s λ_vs per operator in share units, each term rounded up: at least the true ρ_v. */
export function shockShares(n: Network, shares: CostShares): bigint[] {
  const rho = n.operators.map(() => 0n)
  n.services.forEach((s, si) => {
    const row = shares.shares[si] ?? []
    const { num, den } = s.threshold
    s.members.forEach((v, k) => {
      rho[v] = (rho[v] ?? 0n) + ceilDiv((row[k] ?? 0n) * num, den)
    })
  })
  return rho
}

/**
 * Per service, a lower bound on C_s − π_s in share units (−term_s, term_s ≥ π_s − C_s from shareTerms): the
 * knapsack's weights, and the cascade cuts' coefficients.
 */
export function coverExcess(n: Network, shares: CostShares): bigint[] {
  const free = new Uint8Array(n.services.length).fill(FREE)
  return shareTerms(n, shares, free).map((t) => -(t ?? 0n))
}

/** The least of some bigints (Math.min takes numbers only). */
export function leastOf(xs: readonly bigint[]): bigint {
  let m = xs[0] as bigint
  for (const x of xs) if (x < m) m = x
  return m
}

const ceilDiv = (p: bigint, q: bigint): bigint => {
  // p ≥ 0, q > 0
  const d = p / q
  return d * q < p ? d + 1n : d
}

/**
 * The bound in amount units: Ψ + max(0, P − 1) with P the knapsack LP max{π(A) : Σ_{s∈A} (C_s − π_s) ≤ ρ* − 1},
 * ρ* = shockShareCap (at most Ψ), or Ψ when no attacked set passes it. Each C_s is bounded below exactly by
 * shareNodeBound.ts's `shareTerms` (π_s − C_s rounded up to a share unit), so every weight is at most the true
 * C_s − π_s: the knapsack is a relaxation of the true one, and a float error in the shares can only loosen the
 * bound. Never above σ(V) (shock and attack burn disjoint stake).
 */
export function cascadeShareBound(n: Network, shares: CostShares, budget: bigint): bigint {
  // w_s = C_s − π_s ≥ −term_s (share units: amount = units · unit / den). In amount · den: −term_s · unit.
  const weights = coverExcess(n, shares).map((w) => w * shares.unit)
  const profits = n.services.map((s) => s.profit)
  const cap = shockShareCap(n, shares, budget) * shares.unit - shares.den
  const p = knapsackBound(profits, weights, cap)
  const bound = p === null || p < 1n ? budget : budget + p - 1n
  const total = totalStake(n)
  return bound < total ? bound : total
}
