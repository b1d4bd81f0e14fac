/** A staker's position in a vault, and its queued withdrawals. */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { amount, time } from '../format.ts'
import { Address, Amount, Time } from './common.ts'
import { EntityMeta, entityMeta } from './meta.ts'
import { sharesValue } from './vault.ts'

export const Position = Type.Object(
  {
    vault: Address,
    staker: Address,
    shares: Amount,
    value: { ...Amount, description: 'what the shares are worth now (net of pending slashes, rounded down)' },
    deposited: Amount,
    withdrawn: Amount,
    ...EntityMeta,
  },
  { description: "a staker's shares in one vault" },
)

export function positionJson(
  p: View<'positions'>,
  v: View<'vaults'> | undefined,
  finalNumber: number,
  decimals: number,
) {
  return {
    vault: p.vault,
    staker: p.staker,
    shares: amount(p.shares, 18),
    value: amount(v ? sharesValue(v, p.shares) : 0n, decimals),
    deposited: amount(p.deposited, decimals),
    withdrawn: amount(p.withdrawn, decimals),
    ...entityMeta(p, finalNumber),
  }
}

export const Withdrawal = Type.Object(
  {
    vault: Address,
    owner: Address,
    id: Type.Integer({ description: 'the vault’s withdrawal id for this owner' }),
    shares: Amount,
    assets: { ...Amount, description: 'assets at the rate of the request: the most the claim pays' },
    requestedAt: Time,
    readyAt: Time,
    claimed: Type.Boolean(),
    claimedAssets: Type.Union([Amount, Type.Null()]),
    receiver: Type.Union([Address, Type.Null()]),
    ...EntityMeta,
  },
  { description: 'a queued withdrawal: paid after its delay at min(rate at request, rate at claim)' },
)

export function withdrawalJson(w: View<'withdrawals'>, finalNumber: number, decimals: number) {
  return {
    vault: w.vault,
    owner: w.owner,
    id: w.withdrawalId,
    shares: amount(w.shares, 18),
    assets: amount(w.assets, decimals),
    requestedAt: time(w.requestedAt),
    readyAt: time(w.readyAt),
    claimed: w.claimed === 1,
    claimedAssets: w.claimedAssets === null ? null : amount(w.claimedAssets, decimals),
    receiver: w.receiver,
    ...entityMeta(w, finalNumber),
  }
}
