/**
 * Exact repair of a coalition built in floats. Scaled by the largest amount, a member of 1 unit beside 1e30 is
 * 1e-30: a float cover leaves it out, misses a threshold by a few units, and the attack fails the exact check —
 * even one netting a quarter of the largest amount (the solver then missed it too, and the network was reported
 * secure). Adding, per attacked service that misses its threshold, the members still outside the coalition (most
 * stake on the service first) until it is met costs what the floats could not see.
 */
import type { Network } from './network.ts'
import { type Attack, normalizeAttack } from './verify.ts'

/** The attack with every attacked service's threshold met exactly (B grown as little as greedily possible). */
export function repairThresholds(n: Network, a: Attack): Attack {
  const inB = new Set(a.operators)
  for (const si of a.services) {
    const s = n.services[si]
    if (!s) continue
    const total = s.memberStake.reduce((x, y) => x + y, 0n)
    let held = s.members.reduce((x, v, k) => (inB.has(v) ? x + (s.memberStake[k] ?? 0n) : x), 0n)
    const { num, den } = s.threshold
    const outside = s.members
      .map((v, k) => ({ v, a: s.memberStake[k] ?? 0n }))
      .filter((m) => !inB.has(m.v) && m.a > 0n)
      .sort((x, y) => (y.a > x.a ? 1 : y.a < x.a ? -1 : 0))
    for (const m of outside) {
      if (held * den >= num * total) break
      inB.add(m.v)
      held += m.a
    }
  }
  return normalizeAttack(n, { services: a.services, operators: [...inB] })
}
