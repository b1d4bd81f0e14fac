/** A vault's allocation to a service: amount, queued changes, reservations, jail, reputation. */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { amount, optionalTime } from '../format.ts'
import { Address, Amount, Time } from './common.ts'
import { EntityMeta, entityMeta } from './meta.ts'

const Queued = Type.Union([
  Type.Object({ amount: Amount, readyAt: Type.Union([Time, Type.Null()]) }),
  Type.Null(),
])

export const Allocation = Type.Object(
  {
    vault: Address,
    serviceId: Type.String(),
    amount: Amount,
    queuedIncrease: Queued,
    deallocation: Queued,
    reserved: { ...Amount, description: 'collateral open orders (and their pending slashes) hold' },
    pendingSlash: Amount,
    rewardStake: Amount,
    jailedUntil: Type.Union([Time, Type.Null()]),
    banned: Type.Boolean(),
    reputation: Type.Object({
      score: Type.String({ description: 'as last written on chain (decays with time; raw fixed point)' }),
      scoredAt: Type.Union([Time, Type.Null()]),
      orderSuccesses: Type.Integer(),
      orderFailures: Type.Integer(),
    }),
    rewardsClaimed: Amount,
    ...EntityMeta,
  },
  { description: "a vault's allocation to one service" },
)

export function allocationJson(x: View<'allocations'>, finalNumber: number, decimals: number) {
  const a = (v: bigint) => amount(v, decimals)
  return {
    vault: x.vault,
    serviceId: String(x.serviceId),
    amount: a(x.amount),
    queuedIncrease:
      x.queuedIncrease === 0n
        ? null
        : { amount: a(x.queuedIncrease), readyAt: optionalTime(x.queuedReadyAt) },
    deallocation:
      x.deallocationRequested === 0n
        ? null
        : { amount: a(x.deallocationRequested), readyAt: optionalTime(x.deallocationReadyAt) },
    reserved: a(x.reserved),
    pendingSlash: a(x.pendingSlash),
    rewardStake: a(x.rewardStake),
    jailedUntil: optionalTime(x.jailedUntil),
    banned: x.banned === 1,
    reputation: {
      score: x.reputationScore.toString(),
      scoredAt: optionalTime(x.reputationScoredAt),
      orderSuccesses: x.orderSuccesses,
      orderFailures: x.orderFailures,
    },
    rewardsClaimed: a(x.rewardsClaimed),
    ...entityMeta(x, finalNumber),
  }
}
