/** A member (or candidate) of a service's attester committee. */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { amount, optionalTime } from '../format.ts'
import { Address, Amount, StringEnum, Time } from './common.ts'
import { EntityMeta, entityMeta } from './meta.ts'

export const ATTESTER_STATUSES = [
  'approval-queued',
  'active',
  'exiting',
  'removal-queued',
  'withdrawn',
] as const

export const Attester = Type.Object(
  {
    serviceId: Type.String(),
    address: Address,
    committeeIndex: Type.Union([Type.Integer(), Type.Null()], {
      description: 'its bit in a report’s signer bitmap',
    }),
    bond: Amount,
    status: StringEnum(ATTESTER_STATUSES),
    readyAt: Type.Union([Time, Type.Null()], {
      description: 'when a queued approval, exit or removal may apply',
    }),
    slashed: Amount,
    ...EntityMeta,
  },
  { description: 'an attester of one service' },
)

export function attesterJson(x: View<'attesters'>, finalNumber: number, decimals: number) {
  return {
    serviceId: String(x.serviceId),
    address: x.attester,
    committeeIndex: x.committeeIndex,
    bond: amount(x.bond, decimals),
    status: x.status,
    readyAt: optionalTime(x.readyAt),
    slashed: amount(x.slashed, decimals),
    ...entityMeta(x, finalNumber),
  }
}
