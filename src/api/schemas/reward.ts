/** Reward flows: distributions, fees, subsidies, sweeps and vault claims, one row per event. */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { amount, time } from '../format.ts'
import { Address, Amount, StringEnum, Time } from './common.ts'

export const REWARD_KINDS = ['distributed', 'fee', 'subsidy', 'claimed', 'fees-swept'] as const

export const RewardEvent = Type.Object(
  {
    id: Type.String({ description: '<block>:<logIndex>' }),
    kind: StringEnum(REWARD_KINDS),
    serviceId: Type.String(),
    account: Type.Union([Address, Type.Null()], {
      description: 'the vault of a claim; the payer of a fee or subsidy',
    }),
    amount: Amount,
    commission: Type.Union([Amount, Type.Null()], {
      description: 'a claim: the operator’s commission out of amount',
    }),
    after: Type.Union([Type.String(), Type.Null()], {
      description:
        'a claim: the vault’s pool assets after it; a distribution: the accumulator after it (raw)',
    }),
    block: Type.Integer(),
    logIndex: Type.Integer(),
    time: Time,
    final: Type.Boolean(),
  },
  { description: 'one reward flow' },
)

export function rewardJson(r: View<'reward_events'>, finalNumber: number, decimals: number) {
  return {
    id: `${r.blockNumber}:${r.logIndex}`,
    kind: r.kind,
    serviceId: String(r.serviceId),
    account: r.account,
    amount: amount(r.amount, decimals),
    commission: r.commission === null ? null : amount(r.commission, decimals),
    after: r.after === null ? null : r.after.toString(),
    block: r.blockNumber,
    logIndex: r.logIndex,
    time: time(r.timestamp),
    final: r.blockNumber <= finalNumber,
  }
}
