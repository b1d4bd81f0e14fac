/** Where an account has credits: the court (dispute bonds, attester penalties) and every vault (slash payouts). */
import type { Address } from 'viem'
import { readCredit } from '../../../sdk/index.ts'
import { allVaults } from '../../lib/allVaults.ts'
import type { Context } from '../../lib/connect.ts'

export async function readCredits(ctx: Context, account: Address) {
  const vaults = await allVaults(ctx)
  const places = [
    { from: ctx.deployment.addresses.court, what: 'court' },
    ...vaults.map((v) => ({ from: v, what: `vault ${v}` })),
  ]
  const amounts = await Promise.all(places.map((p) => readCredit(ctx.reader, { from: p.from, account })))
  return places.map((p, i) => ({ ...p, amount: amounts[i]! })).filter((c) => c.amount > 0n)
}
