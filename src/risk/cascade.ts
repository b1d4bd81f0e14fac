/**
 * Worst-case cascade R_ψ: the largest share of all stake lost to a shock D with σ(D) ≤ ψ·σ(V) plus the largest
 * valid attack it enables on what is left, found exactly by one joint MIP over (D, A, B) (see attackModel.ts).
 */
import { type AttackReport, describeAttack, type SolveOptions } from './attack.ts'
import { deadlineOf, mipSetupMs, msLeft } from './deadline.ts'
import { type Network, totalStake } from './network.ts'
import { type Rational, rat, toNumber } from './rational.ts'
import { searchAttack } from './search.ts'
import { cascadeBound, certifiedSlack } from './slack.ts'
import { smallCascade } from './smallCascade.ts'

export type CascadeReport = {
  psi: Rational
  /** R_ψ of the shock and attack found, exactly. Equal to the maximum when `proven`. */
  worstLoss: Rational
  /** Upper bound on R_ψ from the solver (a float); equals worstLoss up to tolerance when proven. */
  worstLossBound: number
  proven: boolean
  /** `proven` holds exactly: found by exhaustive search in bigint (smallCascade.ts), not the solver. */
  exact: boolean
  shock: { operators: string[]; stake: bigint }
  attack: AttackReport | null
  gamma: Rational | null
  /** (1 + 1/γ)·ψ when γ > 0 (or ψ when γ is unbounded); null otherwise. */
  bound: Rational | null
}

export type CascadeOptions = SolveOptions & {
  /**
   * Search small networks exhaustively (smallCascade.ts) before the MIP (default true). Off only where a test
   * must exercise the MIP on a small network.
   */
  exhaustive?: boolean
}

/**
 * The solver's float bound on the loss (amount units) as a share of all stake. R_ψ never exceeds 1 (the shock and
 * the attack burn disjoint stake), so a bound that is not a number, or not finite beside a total past a float's
 * range (∞/∞, or x/∞ = 0, which would claim less than the loss found), reads as 1: a bound never under the truth.
 */
export function shareBound(bound: number, total: bigint): number {
  if (total === 0n) return 0
  const share = bound / Number(total)
  return Number.isFinite(share) && Number.isFinite(Number(total)) ? Math.min(1, share) : 1
}

export async function worstCaseLoss(
  n: Network,
  psi: Rational,
  opts: CascadeOptions = {},
): Promise<CascadeReport> {
  // The limit counts from the question's start: the exhaustive search below takes up to 0.1–0.3 s before it
  // gives up, and that time is the MIP's no longer.
  const deadline = deadlineOf(opts.timeLimitSeconds)
  const total = totalStake(n)
  const gamma = certifiedSlack(n)
  const denom = total === 0n ? 1n : total
  // Small networks (a devnet's few operators) are searched exhaustively: exact, and in milliseconds where the
  // MIP took HiGHS 0.2–1 s per ψ.
  const small = opts.exhaustive === false ? null : smallCascade(n, psi)
  if (small) {
    const stake = small.shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
    return {
      psi,
      worstLoss: rat(small.value, denom),
      worstLossBound: toNumber(rat(small.value, denom)),
      proven: true,
      exact: true,
      shock: { operators: small.shock.map((v) => n.operators[v]?.id ?? String(v)), stake },
      attack: small.attack && describeAttack(n, small.attack),
      gamma,
      bound: cascadeBound(gamma, psi),
    }
  }
  // The largest attack without a shock (when the caller knows it) is a valid start: D = ∅.
  // The solver's setup is not interruptible (deadline.ts): its limit leaves room for it, and it always runs,
  // since it is the only answer here beyond the shock-free start.
  const out = await searchAttack(n, 'cascade', {
    timeLimitSeconds:
      deadline === undefined ? undefined : Math.max(0.01, (msLeft(deadline) - mipSetupMs(n)) / 1000),
    shock: psi,
    start: opts.start ? { attack: opts.start, shock: [] } : undefined,
  })
  const shockStake = out.shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
  return {
    psi,
    worstLoss: rat(out.value, denom),
    worstLossBound: shareBound(out.bound, total),
    proven: out.proven,
    exact: false,
    shock: { operators: out.shock.map((v) => n.operators[v]?.id ?? String(v)), stake: shockStake },
    attack: out.attack && describeAttack(n, out.attack),
    gamma,
    bound: cascadeBound(gamma, psi),
  }
}
