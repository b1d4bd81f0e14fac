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
  return n.services.map((s, si) => {
    const state = fixed[si] ?? FREE
    if (state === OUT) return null
    const row = c.shares[si] ?? []
    const stakes = s.memberStake
    let total = 0n
    for (const a of stakes) total += a
    const { num, den } = s.threshold
    // C_s ≥ P / Q in share units, P and Q from the dual price μ = l_c / a_c.
    let p = 0n
    let q = 1n
    const crit = criticalMember(stakes, row, num, den, total)
    if (crit >= 0) {
      const lc = row[crit] as bigint
      const ac = stakes[crit] as bigint
      let excess = 0n
      for (let k = 0; k < stakes.length; k++) {
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
export function criticalMember(
  stakes: bigint[],
  row: bigint[],
  num: bigint,
  den: bigint,
  total: bigint,
): number {
  if (total === 0n) return -1
  // loops rather than flatMap/map: this runs for every service at every exact check (8% of a proof's CPU)
  const ks: number[] = []
  const ratio: number[] = []
  for (let k = 0; k < stakes.length; k++) {
    const a = stakes[k] as bigint
    if (a > 0n) {
      ks.push(k)
      ratio.push(Number(row[k] as bigint) / Number(a))
    }
  }
  const order = ks.map((_, i) => i).sort((x, y) => (ratio[x] as number) - (ratio[y] as number))
  // Still needed, times den (exact).
  let rest = num * total
  for (const i of order) {
    const k = ks[i] as number
    rest -= (stakes[k] as bigint) * den
    if (rest <= 0n) return k
  }
  return ks[order[order.length - 1] as number] ?? -1
}
