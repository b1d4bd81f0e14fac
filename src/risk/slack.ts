/**
 * The certified slack γ of Durvasula & Roughgarden's sufficient condition: for every operator v,
 *   Σ_{s∋v} (a_vs / σ(N(s))) · (1+γ) · π_s / α_s ≤ σ_v.
 * With k_s = π_s / (α_s σ(N(s))) this is (1+γ) ≤ σ_v / Σ_s a_vs k_s, so the largest γ is a minimum over operators.
 *
 * Allocations (a_vs < σ_v) need one more condition, (1+γ) k_s ≤ 1 for every service: an attacker then forfeits
 * only its allocations to the attacked services, which can be far below σ_v. With whole-stake security
 * (a_vs = σ_v) it is implied by the first, so the paper's γ is unchanged. Both together give, for any attack,
 * π(A) ≤ cost(B)/(1+γ) — so γ ≥ 0 proves security, and after a shock D, cost(B) < σ(D)/γ, i.e.
 * R_ψ < (1 + 1/γ)·ψ for γ > 0 (docs/risk.md has the derivation).
 */
import { type Network, serviceStake } from './network.ts'
import { add, cmp, div, min, ONE, type Rational, rat, sub, ZERO } from './rational.ts'

/** γ exactly, or null when nothing constrains it (no service has a profit from corruption). */
export function certifiedSlack(n: Network): Rational | null {
  // k_s, or null for "infinite" (profit with no stake behind it: attackable for free).
  const k = n.services.map((s) => {
    const stake = serviceStake(s)
    if (stake === 0n) return s.profit === 0n ? ZERO : null
    return div(rat(s.profit), rat(stake * s.threshold.num, s.threshold.den))
  })
  if (k.some((x) => x === null)) return rat(-1n) // 1 + γ = 0
  let best: Rational | null = null
  const consider = (x: Rational) => {
    best = best === null ? x : min(best, x)
  }
  const load: Rational[] = n.operators.map(() => ZERO)
  n.services.forEach((s, si) => {
    const ks = k[si] as Rational
    if (ks.num === 0n) return
    consider(div(ONE, ks))
    s.members.forEach((v, j) => {
      const a = s.memberStake[j] ?? 0n
      if (a > 0n) load[v] = add(load[v] as Rational, rat(a * ks.num, ks.den))
    })
  })
  n.operators.forEach((o, v) => {
    const l = load[v] as Rational
    if (l.num > 0n) consider(div(rat(o.stake), l))
  })
  return best === null ? null : sub(best, ONE)
}

/** The cascade bound (1 + 1/γ)·ψ, defined only for γ > 0; with γ unbounded nothing can be attacked, so ψ. */
export function cascadeBound(gamma: Rational | null, psi: Rational): Rational | null {
  if (gamma === null) return psi
  if (cmp(gamma, ZERO) <= 0) return null
  return rat((gamma.num + gamma.den) * psi.num, gamma.num * psi.den)
}
