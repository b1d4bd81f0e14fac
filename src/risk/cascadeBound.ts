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
 * (shockShareCap: a shocked member lowers s's need by only α_s a_vs; tighter still, ρ_v = Σ_s κ_vs with κ_vs ≤ α_s λ_vs
 * its credit at the cover's price, see shockShares; and cascadeSplitBound splits κ_vs with the services). Validity (π(A) > cost(B), whole units) gives
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
import { criticalMember, serviceTables, shareTerms } from './shareNodeBound.ts'

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
  return shockCap(n, shockShares(n, shares), budget)
}

/**
 * max{Σ_{v∈D} ρ_v : σ(D) ≤ Ψ} for credits ρ_v ≥ 0 (share units), bounded above by the fractional knapsack by
 * ρ_v / σ_v, its part rounded up: a cap never below the truth.
 */
export function shockCap(n: Network, rho: readonly bigint[], budget: bigint): bigint {
  const stake = (v: number) => n.operators[v]?.stake ?? 0n
  // An operator with no stake costs no budget: taken whole, outside the sort. (In the sort its ρ/σ = 0/0 compared
  // equal to every other, so it could sit before a denser operator, and the loop below stopped at its ρ = 0: a
  // zero-stake operator on no share left ρ* at 5 where it is 10, and the bound at 13 below the true 20.)
  let sum = 0n
  const order: number[] = []
  n.operators.forEach((_, v) => {
    const r = rho[v] ?? 0n
    if (r <= 0n) return
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

/**
 * The shock's credit per operator, κ_v = Σ_s κ_vs in share units, each term rounded up: at least the true κ_v, and
 * at most ρ_v = Σ_s α_s λ_vs (the credit before this one: a shocked member counted like x = α_s in the cover).
 *
 * Why it holds. For s ∈ A after a shock D, B ∩ N(s) is a cover of the lowered need α_s σ(N(s)) − α_s a(D ∩ N(s)) by
 * members outside D, so by LP weak duality, for the same price μ_s ≥ 0 that shareTerms uses for C_s (the share per
 * unit of stake of the member the float cover takes last; any μ_s ≥ 0 is valid, the same one is what matters),
 *
 *   λ(B ∩ N(s)) ≥ μ_s (need_s − α_s a(D ∩ N(s))) − Σ_{v ∈ N(s) \ D} max(0, μ_s a_vs − λ_vs)
 *             = T_s − Σ_{v ∈ D ∩ N(s)} κ_vs,    κ_vs = α_s μ_s a_vs − max(0, μ_s a_vs − λ_vs),
 *
 * T_s = μ_s need_s − Σ_{v ∈ N(s)} max(0, μ_s a_vs − λ_vs) the dual bound on C_s that shareTerms computes (clamped at
 * 0 there: λ(B ∩ N(s)) ≥ 0 anyway). κ_vs ≤ α_s λ_vs (if μa ≤ λ: αμa ≤ αλ; else λ − (1 − α)μa ≤ αλ), and a negative
 * κ_vs only helps the attacker less, so it is counted as 0. Summed over A: Σ_{s∈A} T_s ≤ cost(B) + Σ_{v∈D} κ_v. A
 * shocked member lowers s's cover by at most its stake at the cover's marginal price, not by its share: an
 * expensive member (λ > μa) credits α μ a, a cheap one (in the cover, λ < μa) λ − (1 − α)μa.
 */
export function shockShares(n: Network, shares: CostShares): bigint[] {
  const kappa = n.operators.map(() => 0n)
  shockEdgeCredits(n, shares).forEach((row, si) => {
    n.services[si]?.members.forEach((v, k) => {
      kappa[v] = (kappa[v] ?? 0n) + (row[k] ?? 0n)
    })
  })
  return kappa
}

/** κ_vs per share edge (parallel to `services[s].members`), in share units rounded up; see shockShares. */
export function shockEdgeCredits(n: Network, shares: CostShares): bigint[][] {
  const tables = serviceTables(n)
  return n.services.map((s, si) => {
    const row = shares.shares[si] ?? []
    const stakes = s.memberStake
    const total = tables.total[si] as bigint
    const { num, den } = s.threshold
    const crit = criticalMember(stakes, tables.stakeF[si] as Float64Array, row, num, den, total)
    // no stake on s: every a_vs = 0, so every κ_vs = 0
    if (crit < 0) return s.members.map(() => 0n)
    // μ = lc / ac; κ_k = (num·lc·a_k − den·max(0, lc·a_k − λ_k·ac)) / (den·ac), rounded up (a credit never low).
    const lc = row[crit] as bigint
    const ac = stakes[crit] as bigint
    const q = den * ac
    return s.members.map((_, k) => {
      const a = stakes[k] as bigint
      const l = row[k] ?? 0n
      const over = lc * a - l * ac
      const x = num * lc * a - (over > 0n ? den * over : 0n)
      return x > 0n ? ceilDiv(x, q) : 0n
    })
  })
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
  return boundOf(n, shares, budget, weights, shockShareCap(n, shares, budget))
}

/** β_vs of cascadeSplitBound as numerators over this (0 … SPLIT_DEN). */
export const SPLIT_DEN = 1n << 20n

/**
 * cascadeShareBound with each shock credit κ_vs split between its service and its operator: β_vs κ_vs lowers s's
 * weight whether or not v is shocked, (1 − β_vs) κ_vs counts towards v's credit in ρ*. Valid for any β ∈ [0, 1]:
 * the credit the shock brings an attack is Σ_{s∈A} Σ_{v∈D ∩ N(s)} κ_vs — only on attacked services — and for
 * s ∈ A, v ∈ D, [s ∈ A][v ∈ D] ≤ β_vs [s ∈ A] + (1 − β_vs) [v ∈ D], so
 *
 *   Σ_{s∈A} (C_s − π_s − Σ_{v∈N(s)} β_vs κ_vs) ≤ Σ_{v∈D} Σ_s (1 − β_vs) κ_vs − 1,
 *
 * the same knapsack with lower weights and a lower ρ*. β = 0 is cascadeShareBound. With β from the duals of the
 * LP that links the two (cascadeSplit.ts: u_vs ≤ y_s, u_vs ≤ d_v) the knapsack stops counting a shocked member's
 * credit on services the attack leaves alone. Both parts of each split are rounded up (a larger service credit or
 * operator credit only raises the bound). `kappa` defaults to shockEdgeCredits (tests pass wrong ones).
 */
export function cascadeSplitBound(
  n: Network,
  shares: CostShares,
  budget: bigint,
  split: readonly (readonly bigint[])[],
  kappa: readonly (readonly bigint[])[] = shockEdgeCredits(n, shares),
): bigint {
  const excess = coverExcess(n, shares)
  const rho = n.operators.map(() => 0n)
  const weights = n.services.map((s, si) => {
    let credit = 0n
    s.members.forEach((v, k) => {
      const kp = kappa[si]?.[k] ?? 0n
      if (kp === 0n) return
      const raw = split[si]?.[k] ?? 0n
      const b = raw < 0n ? 0n : raw > SPLIT_DEN ? SPLIT_DEN : raw
      credit += ceilDiv(kp * b, SPLIT_DEN)
      rho[v] = (rho[v] ?? 0n) + ceilDiv(kp * (SPLIT_DEN - b), SPLIT_DEN)
    })
    return ((excess[si] ?? 0n) - credit) * shares.unit
  })
  return boundOf(n, shares, budget, weights, shockCap(n, rho, budget))
}

/** Ψ + max(0, P − 1) from the knapsack's weights (amount · den) and ρ* (share units); never above σ(V). */
function boundOf(n: Network, shares: CostShares, budget: bigint, weights: bigint[], rhoStar: bigint): bigint {
  const profits = n.services.map((s) => s.profit)
  const cap = rhoStar * shares.unit - shares.den
  const p = knapsackBound(profits, weights, cap)
  const bound = p === null || p < 1n ? budget : budget + p - 1n
  const total = totalStake(n)
  return bound < total ? bound : total
}
