/**
 * A better coalition for a known attack's services: the exact cheapest coalition for its A (leafCover.ts), searched
 * for a short time before the solver and the branching start from the attack.
 *
 * Why: the heuristic (heuristic.ts, polish.ts) picks A well but covers it by reverse deletion and swaps, which
 * leave a minimal coalition, not a cheap one. With A fixed the rest is a covering knapsack, and a few rounds of
 * leafCover's LP, c-MIR cuts and rounding find a much cheaper one: in its first half second, +191 tokens on the
 * typical 1,000 × 100 seed 1 with allocations (20,140 → 20,331) and +285 on hard seed 3 (2,528 → 2,813), where the
 * heuristic's last half second gains 0–141. A better start prunes more, both in HiGHS and in serviceBranch.ts.
 *
 * Nothing is proven here: what comes back is an attack checked exactly (verify.ts), or the one given.
 */
import type { Highs } from 'highs'
import type { LiveDeadline } from './deadline.ts'
import { solveLeaf } from './leafCover.ts'
import type { Network } from './network.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from './verify.ts'

const net = (n: Network, a: Attack): bigint => attackProfit(n, a) - attackCost(n, a)

/**
 * The attack on the same services with the cheapest coalition leafCover finds within `budgetMs` (and before
 * `outer`), when it nets more than `attack` (exactly); `attack` itself otherwise. `attack` must be valid.
 */
export function polishByLeaf(
  n: Network,
  attack: Attack,
  highs: Highs,
  budgetMs: number,
  outer: LiveDeadline = Number.POSITIVE_INFINITY,
): Attack {
  if (budgetMs <= 0 || attack.services.length === 0) return attack
  const own = performance.now() + budgetMs
  // `outer` is read live: inside a worker the main thread may move the search's deadline earlier while this runs,
  // and a polish must not outlast the search it serves
  const deadline = typeof outer === 'number' ? Math.min(own, outer) : () => Math.min(own, outer())
  const value = net(n, attack)
  let out: ReturnType<typeof solveLeaf>
  try {
    out = solveLeaf(n, attack.services, value, highs, deadline)
  } catch {
    // a polish is only ever an improvement: a solver failure here leaves the attack as it was, and the search
    // goes on (the branching and the solver report their own failures)
    return attack
  }
  // leafCover's coalitions follow verify.ts's rules; checked again all the same, as every start is
  return out.attack && isValidAttack(n, out.attack) && net(n, out.attack) > value ? out.attack : attack
}
