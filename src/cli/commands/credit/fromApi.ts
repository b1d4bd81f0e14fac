/**
 * `credit show` from the HTTP API: the account's credits as the index holds them (Credited less CreditWithdrawn,
 * per holder), listed as `readCredits` lists them: the court first, then the vaults in the factory's order.
 */
import { type Address, getAddress } from 'viem'
import { type ApiClient, collect } from '../../../sdk/api/index.ts'

export async function creditsFromApi(api: ApiClient, court: Address, account: Address) {
  const [credits, vaults] = await Promise.all([
    collect(api.credits.all({ account, kind: 'credit', limit: 500 })),
    collect(api.vaults.all({ sort: 'created', order: 'asc', limit: 500 })),
  ])
  const rank = new Map([[court.toLowerCase(), -1], ...vaults.map((v, i) => [v.address, i] as const)])
  return credits
    .filter((c) => BigInt(c.balance.base) > 0n && rank.has(c.holder))
    .sort((a, b) => rank.get(a.holder)! - rank.get(b.holder)!)
    .map((c) => {
      const from = getAddress(c.holder)
      return {
        from,
        what: c.holder === court.toLowerCase() ? 'court' : `vault ${from}`,
        amount: BigInt(c.balance.base),
      }
    })
}
