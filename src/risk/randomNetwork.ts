/**
 * Seeded random networks for tests (against brute force) and benchmarks. Profits are drawn around the stake
 * needed to attack each service, so both secure and insecure networks come up.
 */
import type { CostShares } from './costShare.ts'
import type { RiskInput } from './input.ts'
import type { Network } from './network.ts'
import type { Rng } from './rng.ts'

export type RandomNetworkOptions = {
  operators: number
  services: number
  /** Operators per service, inclusive range. */
  membersPerService: [number, number]
  /** Give each (operator, service) pair an allocation below the operator's stake. */
  allocations?: boolean
  /** Profit as a multiple of α·σ(N(s)), drawn uniformly from this range. */
  profitFactor?: readonly [number, number]
  thresholds?: readonly number[]
}

/** Profit factors of small networks in the typical, boundary and hard regimes, for tests that cycle through them. */
export const SMALL_REGIMES: readonly (readonly [number, number])[] = [
  [0.2, 1.2],
  [0.15, 0.6],
  [0.05, 0.35],
]

export function randomNetwork(rng: Rng, o: RandomNetworkOptions): RiskInput {
  const stakes = Array.from({ length: o.operators }, () => rng.int(1, 100))
  const operators = stakes.map((stake, i) => ({ id: `v${i}`, stake }))
  const [fLo, fHi] = o.profitFactor ?? [0.2, 1.2]
  const thresholds = o.thresholds ?? [1 / 3, 0.5, 2 / 3, 1]
  const allocations: NonNullable<RiskInput['allocations']> = []
  const services = Array.from({ length: o.services }, (_, si) => {
    const size = Math.min(o.operators, rng.int(o.membersPerService[0], o.membersPerService[1]))
    // Partial Fisher–Yates: a uniform random subset of the operators.
    const pool = Array.from({ length: o.operators }, (_, i) => i)
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(rng.next() * (o.operators - i))
      ;[pool[i], pool[j]] = [pool[j] as number, pool[i] as number]
    }
    const members = pool.slice(0, size)
    let secured = 0
    for (const v of members) {
      const full = stakes[v] as number
      const a = o.allocations ? rng.int(0, full) : full
      if (o.allocations) allocations.push({ operator: `v${v}`, service: `s${si}`, stake: a })
      secured += a
    }
    const t = thresholds[rng.int(0, thresholds.length - 1)] as number
    const threshold = Number(t.toFixed(4))
    const profit = Math.max(1, Math.round(secured * threshold * (fLo + rng.next() * (fHi - fLo))))
    return { id: `s${si}`, profit, threshold, operators: members.map((v) => `v${v}`) }
  })
  return o.allocations ? { operators, services, allocations } : { operators, services }
}

/**
 * Random cost shares within every allocation and stake (exact), for tests: a bound built on shares must hold for
 * any shares, not just good ones.
 */
export function randomShares(rng: Rng, n: Network): CostShares {
  const den = 1n << 20n
  const used = n.operators.map(() => 0n)
  const shares = n.services.map((s) =>
    s.members.map((v, k) => {
      const a = s.memberStake[k] ?? 0n
      const room = (n.operators[v]?.stake ?? 0n) * den - (used[v] ?? 0n)
      const max = a * den < room ? a * den : room
      const l = max > 0n ? (max * BigInt(rng.int(0, 1000))) / 1000n : 0n
      used[v] = (used[v] ?? 0n) + l
      return l
    }),
  )
  return { shares, unit: 1n, den }
}

/**
 * Small dense networks at the bench's hard regime (profits 0.05–0.35 of a lone attack, for even i) and the edge
 * above it (0.2–0.7, odd i), with allocations for every third (i % 3 = 2): many insecure ones, for the exact
 * searches' tests against brute force. Sizes are inclusive ranges.
 */
export function hardRegimeInput(
  rng: Rng,
  i: number,
  size: { operators: [number, number]; services: [number, number]; members: [number, number] },
): RiskInput {
  return randomNetwork(rng, {
    operators: rng.int(...size.operators),
    services: rng.int(...size.services),
    membersPerService: size.members,
    allocations: i % 3 === 2,
    profitFactor: i % 2 === 0 ? [0.05, 0.35] : [0.2, 0.7],
  })
}
