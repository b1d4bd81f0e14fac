/**
 * The restaking network in the model of Durvasula & Roughgarden (2024), extended with Surety's allocations.
 * All amounts are bigint units sharing one decimal scale (`scale` places), so every comparison is exact.
 */
import type { Rational } from './rational.ts'

export type Operator = { id: string; stake: bigint }

export type Service = {
  id: string
  /** π_s: what corrupting the service is worth to the attacker. */
  profit: bigint
  /** α_s ∈ (0, 1]: the fraction of the service's stake an attack must control. */
  threshold: Rational
  /** Indices into `operators` of N(s). */
  members: number[]
  /** Stake each member has on this service, parallel to `members`: its allocation, or its whole stake. */
  memberStake: bigint[]
}

export type Network = {
  /** Decimal places of every amount's units. */
  scale: number
  operators: Operator[]
  services: Service[]
  /** Whether the input gave allocations (Surety's model) rather than whole-stake security (the paper's). */
  hasAllocations: boolean
}

/** σ(N(s)): the stake securing a service. */
export const serviceStake = (s: Service): bigint => s.memberStake.reduce((a, b) => a + b, 0n)

export const totalStake = (n: Network): bigint => n.operators.reduce((a, o) => a + o.stake, 0n)

/** For each operator, the (service index, stake on it) pairs: N(s) read from the operator's side. */
export function operatorServices(n: Network): { service: number; stake: bigint }[][] {
  const out: { service: number; stake: bigint }[][] = n.operators.map(() => [])
  n.services.forEach((s, si) => {
    s.members.forEach((v, k) => {
      out[v]?.push({ service: si, stake: s.memberStake[k] ?? 0n })
    })
  })
  return out
}
