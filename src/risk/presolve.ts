/**
 * Reductions specific to the attack model, each exact (it never changes an optimum) and each tested against brute
 * force with a case where applying it wrongly would change the answer (presolve.test.ts):
 *
 *  - **Worthless services** (π_s = 0) are never attacked by the most profitable attack: dropping one from A keeps
 *    every other threshold and can only lower the cost, so some optimum avoids them. Not for the largest attack or
 *    the cascade: there a worthless service lets more operators join and burn stake.
 *  - **Forced members**: an operator without which a service cannot reach its threshold,
 *    σ(N(s)) − a_vs < α_s σ(N(s)), is in every coalition attacking s: x_v ≥ y_s. With α = 1 that is every member
 *    with stake. Not under a shock, which lowers what the rest must hold.
 *  - **Capped coefficients**: in a threshold row no member counts for more than the row needs: with binaries,
 *    Σ min(a_vs, need_s) x_v ≥ need_s y_s holds exactly when Σ a_vs x_v ≥ need_s y_s does, and its LP relaxation
 *    is tighter.
 */
import { type Network, type Service, serviceStake } from './network.ts'

/** Services the most profitable attack may leave out without loss: those worth nothing to corrupt. */
export const worthlessServices = (n: Network): boolean[] => n.services.map((s) => s.profit === 0n)

/** Indices into `s.members` of the operators every attack on s must include (exact, in bigint). */
export function forcedMembers(s: Service): number[] {
  const total = serviceStake(s)
  const { num, den } = s.threshold
  const out: number[] = []
  s.memberStake.forEach((a, k) => {
    // (σ(N(s)) − a)·den < num·σ(N(s)): without this member the rest cannot reach α·σ(N(s)).
    if (a > 0n && (total - a) * den < num * total) out.push(k)
  })
  return out
}

/** min(a, need): a member's coefficient in its threshold row, capped at what the row needs. */
export const cappedCoefficient = (a: number, need: number): number => Math.min(a, need)
