/**
 * The two attack questions of `risk analyze`: the most profitable valid attack (its existence is the verdict)
 * and the valid attack that destroys the most stake.
 */
import type { Network } from './network.ts'
import { searchAttack } from './search.ts'
import { type Attack, attackCost, attackProfit } from './verify.ts'

export type AttackReport = {
  services: string[]
  operators: string[]
  /** π(A). */
  profit: bigint
  /** cost(B): the stake the coalition forfeits. */
  cost: bigint
}

export type AttackAnswer = {
  attack: AttackReport | null
  /** False when a time limit stopped the solver: `attack` is the best found, `bound` the best still possible. */
  proven: boolean
  /** Upper bound on the optimum in amount units (net profit, or cost), from the solver. */
  bound: number
}

export function describeAttack(n: Network, a: Attack): AttackReport {
  return {
    services: a.services.map((s) => n.services[s]?.id ?? String(s)),
    operators: a.operators.map((v) => n.operators[v]?.id ?? String(v)),
    profit: attackProfit(n, a),
    cost: attackCost(n, a),
  }
}

export type SolveOptions = { timeLimitSeconds?: number }

/** max π(A) − cost(B) over valid attacks; null means the network is secure. */
export async function mostProfitableAttack(n: Network, opts: SolveOptions = {}): Promise<AttackAnswer> {
  const out = await searchAttack(n, 'profit', opts)
  return { attack: out.attack && describeAttack(n, out.attack), proven: out.proven, bound: out.bound }
}

/** The valid attack with the largest cost(B): the most stake one profitable attack can burn. */
export async function largestAttack(n: Network, opts: SolveOptions = {}): Promise<AttackAnswer> {
  const out = await searchAttack(n, 'cost', opts)
  return { attack: out.attack && describeAttack(n, out.attack), proven: out.proven, bound: out.bound }
}
