/**
 * `risk analyze`: the verdict, the attacks behind it, the certified slack, and per-service leverage and
 * concentration — everything about a network that does not need a shock.
 */
import { type AttackAnswer, largestAttack, type SolveOptions, solveMostProfitable } from './attack.ts'
import { type Nakamoto, nakamotoCoefficients, networkNakamoto } from './concentration.ts'
import { type Network, serviceStake, totalStake } from './network.ts'
import { type Rational, rat } from './rational.ts'
import { certifiedSlack } from './slack.ts'

export type ServiceReport = {
  id: string
  profit: bigint
  /** σ(N(s)): the stake allocated to (securing) the service. */
  allocatedStake: bigint
  /** π_s / σ(N(s)), null when nothing secures it. */
  leverage: Rational | null
  nakamoto: Nakamoto
}

export type AnalyzeReport = {
  /** null when a time limit left the verdict open (no attack found, none ruled out). */
  secure: boolean | null
  /** The verdict is a proof: an attack verified exactly, or the solver's bound shows none can profit. */
  verdictProven: boolean
  /**
   * The verdict holds exactly, in bigint arithmetic — a verified attack, or security proven by the certified
   * slack, cost shares or the branch and bound over services — rather than within the MIP solver's tolerances.
   */
  verdictExact: boolean
  /** Both searches finished: the attacks reported are optimal (false when a time limit stopped one). */
  proven: boolean
  /** `proven`, and both proofs exact (not the solver's). */
  provenExact: boolean
  attack: AttackAnswer['attack']
  largestAttack: AttackAnswer['attack']
  /** Upper bound on the most profitable attack's net profit (solver float, amount units). */
  profitBound: number
  slack: Rational | null
  totalStake: bigint
  services: ServiceReport[]
  nakamoto: Nakamoto
}

export async function analyzeNetwork(n: Network, opts: SolveOptions = {}): Promise<AnalyzeReport> {
  const solved = await solveMostProfitable(n, opts)
  const best = solved.answer
  // Warm start: the most profitable attack is itself valid, so the largest-attack search starts from it.
  const largest = await largestAttack(n, {
    ...opts,
    start: solved.attack ?? opts.start,
    provenSecure: best.attack === null && best.proven,
    provenExact: best.exact,
  })
  // The largest-attack search needs a margin above break-even (attackModel.ts); never report one smaller than
  // the most profitable attack, which is itself valid.
  let large = largest.attack
  if (best.attack && (!large || best.attack.cost > large.cost)) large = best.attack
  const verdictProven = best.attack !== null || best.proven || best.bound <= 0
  return {
    secure: best.attack !== null ? false : verdictProven ? true : null,
    verdictProven,
    verdictExact: best.attack !== null || (best.proven && best.exact),
    proven: best.proven && largest.proven,
    provenExact: best.proven && largest.proven && best.exact && largest.exact,
    attack: best.attack,
    largestAttack: large,
    profitBound: best.bound,
    slack: certifiedSlack(n),
    totalStake: totalStake(n),
    services: n.services.map((s) => {
      const stake = serviceStake(s)
      return {
        id: s.id,
        profit: s.profit,
        allocatedStake: stake,
        leverage: stake === 0n ? null : rat(s.profit, stake),
        nakamoto: nakamotoCoefficients(s.memberStake),
      }
    }),
    nakamoto: networkNakamoto(n),
  }
}
