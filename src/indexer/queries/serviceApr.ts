/**
 * A service's reward rate, annualised the way a vault's is (computeVaultApr, the same integral and rounding):
 *
 *   APR = rewards distributed to the service's stakers in [from, to] × YEAR / ∫ rewardStake dt
 *
 * - rewards: the RewardsDistributed amounts in the window, before each vault's commission (a vault's own APR,
 *   vaultApr.ts, is its stakers' share after it);
 * - the stake that earned them: the service's total reward stake over time, from VaultStakeChanged (its
 *   totalStake after each change), so stake that arrived late does not dilute what was earned before it.
 * The stake history is read from the raw events (there is no per-service stake history table); it is filtered by
 * name in SQL and by service here.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { computeVaultApr, type VaultApr } from '../derived/computeVaultApr.ts'

export async function serviceApr(
  db: Kysely<Database>,
  serviceId: number,
  from: number,
  to: number,
): Promise<VaultApr> {
  const changes = await db
    .selectFrom('events')
    .select(['timestamp', 'args'])
    .where('name', '=', 'VaultStakeChanged')
    .where('timestamp', '<', to)
    .orderBy('block_number')
    .orderBy('log_index')
    .execute()
  const rates = changes
    .map((e) => ({
      timestamp: e.timestamp,
      args: JSON.parse(e.args) as { serviceId: string; totalStake: string },
    }))
    .filter((e) => Number(e.args.serviceId) === serviceId)
    .map((e) => ({ timestamp: e.timestamp, poolAssets: BigInt(e.args.totalStake) }))
  const paid = await db
    .selectFrom('reward_events')
    .select(['timestamp', 'amount'])
    .where('kind', '=', 'distributed')
    .where('service_id', '=', serviceId)
    .where('timestamp', '>', from)
    .where('timestamp', '<=', to)
    .execute()
  return computeVaultApr(
    rates,
    paid.map((p) => ({ timestamp: p.timestamp, amount: BigInt(p.amount), commission: 0n })),
    from,
    to,
  )
}
