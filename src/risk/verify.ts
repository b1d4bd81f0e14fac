/**
 * Exact (bigint) checks of an attack: the definition the solver's answers are held to. An attack is a set of
 * services A and operators B; after a shock that removed operators D it is measured on what is left.
 */
import { type Network, operatorServices } from './network.ts'

export type Attack = { services: number[]; operators: number[] }

/** π(A). */
export const attackProfit = (n: Network, a: Attack): bigint =>
  a.services.reduce((sum, s) => sum + (n.services[s]?.profit ?? 0n), 0n)

/**
 * What the coalition loses: each operator v in B forfeits min(σ_v, its stake on the services in A). Without
 * allocations its stake on every service is σ_v, so this is σ_v for every v in N(A) — the paper's σ(B).
 */
export function attackCost(n: Network, a: Attack, byOperator = operatorServices(n)): bigint {
  const inA = new Set(a.services)
  let total = 0n
  for (const v of a.operators) {
    let onA = 0n
    for (const e of byOperator[v] ?? []) if (inA.has(e.service)) onA += e.stake
    const own = n.operators[v]?.stake ?? 0n
    total += onA < own ? onA : own
  }
  return total
}

/** For every s in A: σ(B ∩ N(s)) ≥ α_s · σ(N(s) \ D), compared as integers (no division). */
export function meetsThresholds(n: Network, a: Attack, shock: ReadonlySet<number> = new Set()): boolean {
  const inB = new Set(a.operators)
  for (const si of a.services) {
    const s = n.services[si]
    if (!s) return false
    let held = 0n
    let remaining = 0n
    s.members.forEach((v, k) => {
      const stake = s.memberStake[k] ?? 0n
      if (!shock.has(v)) remaining += stake
      if (inB.has(v)) held += stake
    })
    if (held * s.threshold.den < s.threshold.num * remaining) return false
  }
  return true
}

const indices = (xs: unknown, size: number): boolean =>
  Array.isArray(xs) && xs.every((x) => Number.isInteger(x) && x >= 0 && x < size)

/** Valid: B avoids the shock, meets every threshold, and π(A) > cost(B). */
export function isValidAttack(n: Network, a: Attack, shock: ReadonlySet<number> = new Set()): boolean {
  if (a.services.length === 0) return false
  // indices into the network, whole and in range: an attack from elsewhere (a thread's message) with services
  // [0, '0'] passed the set check below and was paid twice; an operator past the end was "valid" at no cost
  if (!indices(a.services, n.services.length) || !indices(a.operators, n.operators.length)) return false
  // A and B are sets: a service listed twice was paid twice by attackProfit (a caller's start of s, s, s "proved"
  // exactly an attack netting 11 where the best nets 2), an operator twice charged twice
  if (new Set(a.services).size !== a.services.length || new Set(a.operators).size !== a.operators.length)
    return false
  if (a.operators.some((v) => shock.has(v))) return false
  return meetsThresholds(n, a, shock) && attackProfit(n, a) > attackCost(n, a)
}

/** Keep only operators that secure some attacked service: the others neither help nor lose anything. */
export function normalizeAttack(n: Network, a: Attack): Attack {
  const members = new Set<number>()
  for (const s of a.services) for (const v of n.services[s]?.members ?? []) members.add(v)
  return {
    services: [...a.services].sort((x, y) => x - y),
    operators: a.operators.filter((v) => members.has(v)).sort((x, y) => x - y),
  }
}
