import type { Kysely } from 'kysely'
import { netPoolAssets, toAssetsDown } from '../../model/sharesMath.ts'
import { toView, type View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import { decodeCursor, encodeCursor, type Page, type PageParams, pageLimit } from './page.ts'

export type RatePointView = View<'vault_rates'> & {
  /** Assets one whole share (10^18 units) redeems for at this point, net of pending slashes, rounded down. */
  sharePrice: bigint
}

/**
 * A vault's exchange-rate history, oldest first: its pool, pending liabilities, supply and bond at the end of every
 * block that changed them, with the share price the vault quoted then (OperatorVault.previewRedeem's formula).
 */
export async function exchangeRateHistory(
  db: Kysely<Database>,
  vault: string,
  p: PageParams & { fromTimestamp?: number | undefined; toTimestamp?: number | undefined } = {},
): Promise<Page<RatePointView>> {
  const limit = pageLimit(p)
  let q = db.selectFrom('vault_rates').selectAll().where('vault', '=', vault.toLowerCase())
  if (p.fromTimestamp !== undefined) q = q.where('timestamp', '>=', p.fromTimestamp)
  if (p.toTimestamp !== undefined) q = q.where('timestamp', '<=', p.toTimestamp)
  if (p.after !== undefined) q = q.where('block_number', '>', decodeCursor(p.after, ['number'])[0] as number)
  const rows = await q
    .orderBy('block_number')
    .limit(limit + 1)
    .execute()
  const items = rows.slice(0, limit).map((r) => {
    const v = toView('vault_rates', r)
    const net = netPoolAssets(v.poolAssets, v.bond, v.pendingLiabilities)
    return { ...v, sharePrice: toAssetsDown(10n ** 18n, net, v.totalSupply) }
  })
  return { items, next: rows.length > limit ? encodeCursor([items.at(-1)!.blockNumber]) : null }
}
