/** A credit: a payout a token refused to push (held by a vault or the court), or a refund the order book owes. */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { amount } from '../format.ts'
import { Address, Amount, StringEnum } from './common.ts'
import { EntityMeta, entityMeta } from './meta.ts'

export const CREDIT_KINDS = ['credit', 'owed'] as const

export const Credit = Type.Object(
  {
    holder: {
      ...Address,
      description: 'the contract holding it: a vault or the court (credit), the token owed (owed)',
    },
    account: Address,
    kind: StringEnum(CREDIT_KINDS, {
      description: 'credit: withdraw it from the holder; owed: the order book owes it in that token',
    }),
    credited: Amount,
    withdrawn: Amount,
    balance: { ...Amount, description: 'credited less withdrawn: what the account can withdraw now' },
    ...EntityMeta,
  },
  { description: 'what a contract holds for an account because a transfer to it was refused' },
)

/** Amounts in the stake token's decimals: vaults and the court credit stake; `owed` rows are the order book's. */
export function creditJson(c: View<'credits'>, finalNumber: number, decimals: number) {
  const a = (v: bigint) => amount(v, decimals)
  return {
    holder: c.holder,
    account: c.account,
    kind: c.kind as (typeof CREDIT_KINDS)[number],
    credited: a(c.credited),
    withdrawn: a(c.withdrawn),
    balance: a(c.credited - c.withdrawn),
    ...entityMeta(c, finalNumber),
  }
}
