/**
 * The cost-sharing bound at a node of the branch and bound over services (serviceBranch.ts), computed exactly in
 * bigint from shares already rounded down (costShare.ts `toShares`): the only thing that may prune a node.
 *
 * For a service s the cheapest fractional cover C_s(λ) = min{λ·x : Σ a_k x_k ≥ α_s σ(N(s)), 0 ≤ x ≤ 1} is bounded
 * below by LP weak duality, for any price μ ≥ 0 per unit of stake:
 *
 *   C_s(λ) ≥ μ · α_s σ(N(s)) − Σ_k max(0, μ a_k − λ_k),
 *
 * with equality at μ = λ_c / a_c for the member c the greedy cover takes last. The member is picked in floats;
 * a wrong pick only weakens the bound, so no exact sort is needed — one pass of bigint arithmetic per service.
 * Each service's term is rounded up to a share unit (unit / den), so the bound can only come out too high: a
 * float error can lose a pruning, never make a wrong one.
 */
import { type CostShares, sharesFit } from './costShare.ts'
import type { Network } from './network.ts'
import { type Rational, rat } from './rational.ts'
import { FREE, IN, OUT } from './shareCore.ts'

const ceilDiv = (p: bigint, q: bigint): bigint => {
  // q > 0
  const d = p / q
  return d * q < p ? d + 1n : d
}

/**
 * Σ_{s∈IN} (π_s − C_s) + Σ_{s∈FREE} max(0, π_s − C_s), an upper bound on the net profit of every attack A with
 * IN ⊆ A ⊆ IN ∪ FREE (amount units). The shares must fit every stake and allocation (sharesFit); shares on
 * services left out only weaken the bound, so they need not be 0.
 */
export function shareNodeBound(n: Network, c: CostShares, fixed: Uint8Array): Rational {
  const terms = shareTerms(n, c, fixed)
  let sum = 0n // in share units: unit / den
  terms.forEach((t, si) => {
    if (t === null) return
    if (fixed[si] === IN || t > 0n) sum += t
  })
  return rat(sum * c.unit, c.den)
}

/**
 * Per service, π_s − C_s(λ) rounded up to a share unit (amount = share units · unit / den), or null for a service
 * left out. What the node bound adds up, and what reduced-cost fixing reads: with the same shares, forcing a free
 * service in changes the bound by min(0, term), leaving it out by −max(0, term).
 */
export function shareTerms(n: Network, c: CostShares, fixed: Uint8Array): (bigint | null)[] {
  if (!sharesFit(n, c)) throw new RangeError('cost shares exceed an operator’s stake or allocation')
  const tables = serviceTables(n)
  return n.services.map((s, si) => {
    const state = fixed[si] ?? FREE
    if (state === OUT) return null
    const row = c.shares[si] ?? []
    const stakes = s.memberStake
    const total = tables.total[si] as bigint
    const { num, den } = s.threshold
    // C_s ≥ P / Q in share units, P and Q from the dual price μ = l_c / a_c.
    let p = 0n
    let q = 1n
    const crit = criticalMember(stakes, tables.stakeF[si] as Float64Array, row, num, den, total)
    if (crit >= 0) {
      const lc = row[crit] as bigint
      const ac = stakes[crit] as bigint
      let excess = 0n
      // Only members cheaper per unit of stake than the critical one have x > 0. A member whose float ratio is
      // above the critical one's by far more than the floats' error (both finite and normal: each a quotient of
      // two correctly rounded integers, relative error below 1e-15) has x < 0 exactly and is skipped; every other
      // member, NaN and infinite ratios included, is computed exactly.
      const rc = scratch[crit] as number
      const skipAbove = Number.isFinite(rc) && rc >= 1e-300 ? rc * (1 + 1e-9) : Number.POSITIVE_INFINITY
      for (let k = 0; k < stakes.length; k++) {
        const rk = scratch[k] as number
        if (rk > skipAbove && rk < Number.POSITIVE_INFINITY) continue
        const x = lc * (stakes[k] as bigint) - (row[k] as bigint) * ac
        if (x > 0n) excess += x
      }
      p = lc * num * total - den * excess
      q = ac * den
      if (p < 0n) p = 0n // the cover costs at least 0: shares are non-negative
    }
    // term = π_s − C_s ≤ π_s·den_shares/unit − P/Q, rounded up to a share unit.
    return ceilDiv(s.profit * c.den * q - p * c.unit, c.unit * q)
  })
}

/**
 * The member the greedy cover takes last (cheapest share per unit of stake first), found in floats; −1 when the
 * service needs no stake. Only a price for the dual bound: any member gives a valid one.
 */
/** Per member of the service at hand, its share per unit of stake in floats (criticalMember fills it; NaN: no stake). */
let scratch = new Float64Array(64)

export function criticalMember(
  stakes: bigint[],
  stakeF: Float64Array,
  row: bigint[],
  num: bigint,
  den: bigint,
  total: bigint,
): number {
  if (total === 0n) return -1
  // typed arrays and one index sort rather than arrays of objects: this runs for every service at every exact
  // check of the branching
  const K = stakes.length
  if (scratch.length < K) scratch = new Float64Array(2 * K)
  const ratio = scratch
  const order: number[] = []
  for (let k = 0; k < K; k++) {
    const a = stakeF[k] as number
    if (a > 0) {
      order.push(k)
      ratio[k] = Number(row[k] as bigint) / a
    } else ratio[k] = Number.NaN
  }
  order.sort((x, y) => (ratio[x] as number) - (ratio[y] as number))
  // Still needed, times den (exact).
  let rest = num * total
  for (const k of order) {
    rest -= (stakes[k] as bigint) * den
    if (rest <= 0n) return k
  }
  return order[order.length - 1] ?? -1
}

/**
 * Per network (never changed once built), each service's total stake σ(N(s)) and its members' stakes as floats:
 * what every exact check would otherwise recompute.
 */
const serviceCache = new WeakMap<Network, { total: bigint[]; stakeF: Float64Array[] }>()
export function serviceTables(n: Network): { total: bigint[]; stakeF: Float64Array[] } {
  let t = serviceCache.get(n)
  if (!t) {
    t = {
      total: n.services.map((s) => s.memberStake.reduce((x, y) => x + y, 0n)),
      stakeF: n.services.map((s) => Float64Array.from(s.memberStake, (a) => Number(a))),
    }
    serviceCache.set(n, t)
  }
  return t
}
