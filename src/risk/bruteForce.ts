/**
 * Reference answers by exhaustive enumeration, straight from the definitions — exponential, for tests on small
 * networks only. Nothing here shares code with the MIP except the exact checks in verify.ts.
 */
import { type Network, totalStake } from './network.ts'
import type { Rational } from './rational.ts'
import { type Attack, attackCost, attackProfit, isValidAttack, meetsThresholds } from './verify.ts'

function* subsets(items: readonly number[]): Generator<number[]> {
  for (let mask = 0; mask < 1 << items.length; mask++) yield items.filter((_, i) => mask & (1 << i))
}

/** Every valid attack (B restricted to N(A) \ D), calling `visit` with profit and cost. */
function forEachValidAttack(
  n: Network,
  shock: ReadonlySet<number>,
  visit: (a: Attack, profit: bigint, cost: bigint) => void,
  fixed?: Uint8Array,
) {
  const all = n.services.map((_, i) => i)
  for (const A of subsets(all)) {
    if (A.length === 0) continue
    // under a fixing (0 free, 1 forced in, 2 left out): forced ⊆ A, A ∩ left out = ∅
    if (fixed && all.some((s) => (fixed[s] === 1 && !A.includes(s)) || (fixed[s] === 2 && A.includes(s))))
      continue
    const members = [...new Set(A.flatMap((s) => n.services[s]?.members ?? []))].filter((v) => !shock.has(v))
    for (const B of subsets(members)) {
      const a = { services: A, operators: B }
      if (isValidAttack(n, a, shock)) visit(a, attackProfit(n, a), attackCost(n, a))
    }
  }
}

/** Largest π(A) − cost(B) over valid attacks, or null when secure. */
export function bruteMostProfitable(n: Network): bigint | null {
  let best: bigint | null = null
  forEachValidAttack(n, new Set(), (_, p, c) => {
    if (best === null || p - c > best) best = p - c
  })
  return best
}

/** Largest cost(B) over valid attacks (0 when none). */
export function bruteLargestCost(n: Network, shock: ReadonlySet<number> = new Set()): bigint {
  let best = 0n
  forEachValidAttack(n, shock, (_, __, c) => {
    if (c > best) best = c
  })
  return best
}

/** max over D with σ(D) ≤ ψσ(V) of σ(D) + the largest valid attack's cost without D, in amount units. */
export function bruteCascade(n: Network, psi: Rational): bigint {
  const total = totalStake(n)
  let best = 0n
  for (const D of subsets(n.operators.map((_, i) => i))) {
    const lost = D.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
    if (lost * psi.den > psi.num * total) continue
    const value = lost + bruteLargestCost(n, new Set(D))
    if (value > best) best = value
  }
  return best
}

/**
 * The best net profit, negative included, over every attack whose services A satisfy forced ⊆ A ⊆ forced ∪ free
 * under `fixed` (per service: 0 free, 1 forced in, 2 left out, as in shareCore.ts) and whose coalition meets A's
 * thresholds, profitable or not — what a branch-and-bound node's bound must cover; null when none does. By
 * enumeration: tests only.
 */
export function bruteUnderFixing(n: Network, fixed: Uint8Array): bigint | null {
  const free = n.services.flatMap((_, s) => (fixed[s] === 0 ? [s] : []))
  const forced = n.services.flatMap((_, s) => (fixed[s] === 1 ? [s] : []))
  let best: bigint | null = null
  for (let mask = 0; mask < 1 << free.length; mask++) {
    const A = [...forced, ...free.filter((_, i) => mask & (1 << i))].sort((a, b) => a - b)
    if (A.length === 0) continue
    const members = [...new Set(A.flatMap((s) => n.services[s]?.members ?? []))]
    for (let m = 0; m < 1 << members.length; m++) {
      const a = { services: A, operators: members.filter((_, i) => m & (1 << i)) }
      if (!meetsThresholds(n, a)) continue
      const net = attackProfit(n, a) - attackCost(n, a)
      if (best === null || net > best) best = net
    }
  }
  return best
}

/**
 * bruteCascade over the cascades (D, A, B) whose A respects `fixed` (per service: 0 free, 1 forced in, 2 left out):
 * the shock alone (A = ∅) counts only when nothing is forced in; null when no cascade does. Tests only.
 */
export function bruteCascadeUnderFixing(n: Network, psi: Rational, fixed: Uint8Array): bigint | null {
  const total = totalStake(n)
  const anyIn = fixed.includes(1)
  let best: bigint | null = null
  for (const D of subsets(n.operators.map((_, i) => i))) {
    const lost = D.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
    if (lost * psi.den > psi.num * total) continue
    let cost: bigint | null = anyIn ? null : 0n
    forEachValidAttack(
      n,
      new Set(D),
      (_, __, c) => {
        if (cost === null || c > cost) cost = c
      },
      fixed,
    )
    if (cost !== null && (best === null || lost + cost > best)) best = lost + cost
  }
  return best
}
