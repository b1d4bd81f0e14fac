/**
 * A service's reward rate, annualised the way a vault's is (computeVaultApr, the same integral and rounding):
 *
 *   APR = what the service's stakers received in [from, to] × YEAR / ∫ rewardStake dt
 *
 * - received: the RewardsDistributed amounts in the window less the operators' commissions, each distribution
 *   split over the vaults by their stake then, at each vault's commission then (splitServiceRewards.ts); the
 *   figure before commissions is kept beside it (`rewards`, and `grossAprPpm` in the API);
 * - the stake that earned them: the service's total reward stake over time, from VaultStakeChanged (its
 *   totalStake after each change), so stake that arrived late does not dilute what was earned before it.
 * The stake and commission histories are read from the raw events (there are no per-service stake or
 * commission history tables); they are filtered by name in SQL and by service or vault here.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { computeVaultApr, type VaultApr, YEAR_SECONDS } from '../derived/computeVaultApr.ts'
import { splitServiceRewards } from '../derived/splitServiceRewards.ts'

export type ServiceApr = VaultApr & {
  /** The rate before the operators' commissions: rewards × YEAR / stakeSeconds, ppm, rounded down. */
  grossAprPpm: bigint | null
}

export async function serviceApr(
  db: Kysely<Database>,
  serviceId: number,
  from: number,
  to: number,
): Promise<ServiceApr> {
  const events = await db
    .selectFrom('events')
    .select(['block_number', 'log_index', 'timestamp', 'address', 'name', 'args'])
    .where('name', 'in', ['VaultStakeChanged', 'VaultCreated', 'TermsChanged'])
    .where('timestamp', '<=', to)
    .orderBy('block_number')
    .orderBy('log_index')
    .execute()
  const decoded = events.map((e) => ({
    ...e,
    position: { block: e.block_number, logIndex: e.log_index },
    args: JSON.parse(e.args) as Record<string, string>,
  }))
  const changes = decoded.filter(
    (e) => e.name === 'VaultStakeChanged' && Number(e.args.serviceId) === serviceId,
  )
  const rates = changes
    .filter((e) => e.timestamp < to)
    .map((e) => ({ timestamp: e.timestamp, poolAssets: BigInt(e.args.totalStake!) }))
  // a vault's commission: set at creation (the factory's event names the vault), changed by its own TermsChanged
  const commissions = decoded.flatMap((e) =>
    e.name === 'VaultCreated' || e.name === 'TermsChanged'
      ? [
          {
            ...e.position,
            vault: (e.name === 'VaultCreated' ? e.args.vault! : e.address).toLowerCase(),
            commissionBps: Number(e.args.commissionBps),
          },
        ]
      : [],
  )
  const paid = await db
    .selectFrom('reward_events')
    .select(['block_number', 'log_index', 'timestamp', 'amount'])
    .where('kind', '=', 'distributed')
    .where('service_id', '=', serviceId)
    .where('timestamp', '>', from)
    .where('timestamp', '<=', to)
    .execute()
  const split = splitServiceRewards(
    paid.map((p) => ({
      block: p.block_number,
      logIndex: p.log_index,
      timestamp: p.timestamp,
      amount: BigInt(p.amount),
    })),
    changes.map((e) => ({ ...e.position, vault: e.args.vault!.toLowerCase(), stake: BigInt(e.args.stake!) })),
    commissions,
  )
  const apr = computeVaultApr(rates, split, from, to)
  return {
    ...apr,
    // the same division as aprPpm, on the rewards before commissions: rounded down
    grossAprPpm:
      apr.stakeSeconds === 0n ? null : (apr.rewards * YEAR_SECONDS * 1_000_000n) / apr.stakeSeconds,
  }
}
