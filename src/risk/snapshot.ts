/**
 * Builds a risk input from what was read off a live deployment. Profit from corruption is the value a service
 * secures: the escrow of its open orders plus the value its owner declared. Each operator's stake is its vault's
 * assets (bond + pool, net of pending slashes) and its stake on a service is its allocation there.
 */
import type { Order } from '../sdk/types.ts'
import type { RiskInput } from './input.ts'

export type ChainReads = {
  vaults: { operator: string; stake: bigint }[]
  services: {
    id: string
    /** Value declared by the service owner (e.g. inventory under a cold-chain SLA). */
    declaredValue: bigint
    /** Escrowed payments of the service's open orders. */
    escrowedOrders: bigint
    /** Attack threshold α; when absent the default is used. */
    threshold?: number | string
  }[]
  allocations: { operator: string; service: string; amount: bigint }[]
}

export type SnapshotOptions = {
  /** α for services that do not state one. Default 1/2: a majority of the stake securing the service. */
  defaultThreshold?: number | string
}

export function buildRiskInput(reads: ChainReads, opts: SnapshotOptions = {}): RiskInput {
  const stakeOf = new Map(reads.vaults.map((v) => [v.operator, v.stake]))
  const members = new Map<string, string[]>()
  const allocations: NonNullable<RiskInput['allocations']> = []
  for (const a of reads.allocations) {
    const stake = stakeOf.get(a.operator)
    // An allocation with no vault behind it, or of nothing, secures nothing.
    if (stake === undefined || a.amount <= 0n) continue
    const list = members.get(a.service) ?? []
    if (list.includes(a.operator)) continue
    list.push(a.operator)
    members.set(a.service, list)
    // A single allocation can be recorded above what the vault now holds (after a slash or withdrawal):
    // what can be forfeited on the service is capped by the vault's assets.
    // biome-ignore lint/complexity/useMathMinMax: bigint, Math.min would throw
    const amount = a.amount < stake ? a.amount : stake
    allocations.push({ operator: a.operator, service: a.service, stake: amount.toString() })
  }
  return {
    operators: reads.vaults.map((v) => ({ id: v.operator, stake: v.stake.toString() })),
    services: reads.services.map((s) => ({
      id: s.id,
      profit: (s.declaredValue + s.escrowedOrders).toString(),
      threshold: s.threshold ?? opts.defaultThreshold ?? 0.5,
      operators: members.get(s.id) ?? [],
    })),
    allocations,
  }
}

/**
 * What an open or active order still holds in escrow, in stake-token units: its unpaid budget, price or lease
 * funds; an order in another token counts its stated value (the contract's collateral base).
 */
export function escrowAtStake(order: Order, stakeToken: string): bigint {
  const p = order.params
  if (p.paymentToken.toLowerCase() !== stakeToken.toLowerCase()) return p.value
  if (order.status === 'Open') return p.budget
  const escrow = p.ratePerSecond > 0n ? p.budget : order.price
  return escrow > order.paid ? escrow - order.paid : 0n
}
