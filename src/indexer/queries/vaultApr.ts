import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { computeVaultApr, type VaultApr } from '../derived/computeVaultApr.ts'

/** A vault's staker APR over [from, to] (unix seconds) from the rewards it actually claimed; see computeVaultApr. */
export async function vaultApr(
  db: Kysely<Database>,
  vault: string,
  from: number,
  to: number,
): Promise<VaultApr> {
  const v = vault.toLowerCase()
  const startRow = await db
    .selectFrom('vault_rates')
    .select(['timestamp', 'pool_assets'])
    .where('vault', '=', v)
    .where('timestamp', '<=', from)
    .orderBy('block_number', 'desc')
    .limit(1)
    .executeTakeFirst()
  const inWindow = await db
    .selectFrom('vault_rates')
    .select(['timestamp', 'pool_assets'])
    .where('vault', '=', v)
    .where('timestamp', '>', from)
    .where('timestamp', '<', to)
    .orderBy('block_number')
    .execute()
  const claims = await db
    .selectFrom('reward_events')
    .select(['timestamp', 'amount', 'commission'])
    .where('kind', '=', 'claimed')
    .where('account', '=', v)
    .where('timestamp', '>', from)
    .where('timestamp', '<=', to)
    .execute()
  const rates = [...(startRow ? [startRow] : []), ...inWindow].map((r) => ({
    timestamp: r.timestamp,
    poolAssets: BigInt(r.pool_assets),
  }))
  return computeVaultApr(
    rates,
    claims.map((c) => ({
      timestamp: c.timestamp,
      amount: BigInt(c.amount),
      commission: BigInt(c.commission ?? '0'),
    })),
    from,
    to,
  )
}
