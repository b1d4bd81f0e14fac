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
import { add, cmp, div, min, ONE, type Rational, rat, sub, toNumber, ZERO } from './rational.ts'

const cache = new WeakMap<Network, Rational | null>()

/**
 * γ exactly, or null when nothing constrains it (no service has a profit from corruption). Computed once per
 * network object (the verdict, the largest attack and the report all ask).
 */
export function certifiedSlack(n: Network): Rational | null {
  if (cache.has(n)) return cache.get(n) ?? null
  const gamma = computeSlack(n)
  cache.set(n, gamma)
  return gamma
}

/**
 * Relative margin within which a float ratio may hide the exact minimum. A trusted float ratio (below) is built
 * from positive normal doubles only: k_s (toNumber, within 2^-50), the amounts (2^-53), one product per term and
 * a sum, so its relative error is below (terms + 8)·2^-53 — under 1e-12 for any network this engine can hold;
 * 1e-9 leaves room to spare.
 */
const FLOAT_MARGIN = 1e-9

/** The smallest normal double: below it a float keeps fewer significant bits, and the margin above no longer holds. */
const MIN_NORMAL = 2 ** -1022

/** A positive finite double with full precision. */
const normal = (x: number): boolean => Number.isFinite(x) && x >= MIN_NORMAL

function computeSlack(n: Network): Rational | null {
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
  // Operators' loads Σ_s a_vs k_s in floats first: exact rational sums over every operator (a gcd per term) took
  // 0.15–0.25 s at 3,000 × 300. Only the operators whose float ratio σ_v / load is within the float error of the
  // smallest are then summed exactly, and the minimum is taken over exact values only.
  const kf = k.map((x) => (x ? toNumber(x) : 0))
  const loadF = new Float64Array(n.operators.length)
  // An operator whose float ratio is not within FLOAT_MARGIN of its exact one (a k_s or an amount beyond a
  // float's range or below its full precision, a load that overflows, a ratio of 0) is always summed exactly,
  // and never sets the float minimum: an overflowing load's ratio of 0 once let every other operator through
  // unchecked (riskb.review.test.ts).
  const untrusted = new Uint8Array(n.operators.length)
  const terms: { a: bigint; s: number }[][] = n.operators.map(() => [])
  n.services.forEach((s, si) => {
    const ks = k[si] as Rational
    if (ks.num === 0n) return
    consider(div(ONE, ks))
    const ksF = kf[si] ?? 0
    s.members.forEach((v, j) => {
      const a = s.memberStake[j] ?? 0n
      if (a <= 0n) return
      const aF = Number(a)
      if (!normal(ksF) || !normal(aF)) untrusted[v] = 1
      loadF[v] = (loadF[v] ?? 0) + aF * ksF
      terms[v]?.push({ a, s: si })
    })
  })
  const ratio = n.operators.map((o, v) => {
    const r = Number(o.stake) / (loadF[v] ?? 0)
    if (!normal(loadF[v] ?? 0) || !normal(r)) untrusted[v] = 1
    return r
  })
  let smallest = Number.POSITIVE_INFINITY
  for (let v = 0; v < ratio.length; v++)
    if ((terms[v]?.length ?? 0) > 0 && !untrusted[v] && (ratio[v] ?? 0) < smallest) smallest = ratio[v] ?? 0
  n.operators.forEach((o, v) => {
    const ts = terms[v] ?? []
    if (ts.length === 0) return
    if (!untrusted[v] && (ratio[v] ?? 0) > smallest * (1 + FLOAT_MARGIN)) return
    let load = ZERO
    for (const { a, s } of ts) {
      const ks = k[s] as Rational
      load = add(load, rat(a * ks.num, ks.den))
    }
    consider(div(rat(o.stake), load))
  })
  return best === null ? null : sub(best, ONE)
}

/** The cascade bound (1 + 1/γ)·ψ, defined only for γ > 0; with γ unbounded nothing can be attacked, so ψ. */
export function cascadeBound(gamma: Rational | null, psi: Rational): Rational | null {
  if (gamma === null) return psi
  if (cmp(gamma, ZERO) <= 0) return null
  return rat((gamma.num + gamma.den) * psi.num, gamma.num * psi.den)
}
