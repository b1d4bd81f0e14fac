import type { Kysely } from 'kysely'
import { netPoolAssets, toAssetsDown } from '../../model/sharesMath.ts'
import { decodeRow } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'

export type QueuedWithdrawalExposure = {
  withdrawalId: number
  /** What the claim pays at most (the rate of the request; a slash before the claim lowers it). */
  assets: bigint
  /** The withdrawal's ETA: claimable from then, and slashable until then. */
  readyAt: number
  secondsLeft: number
}

export type PositionExposure = {
  vault: string
  shares: bigint
  /** What the shares redeem for now, net of pending slashes, rounded down (OperatorVault.previewRedeem). */
  assets: bigint
  /** Services the vault is allocated to: where a slash can come from. */
  services: number[]
  /** Assets a slash can reach now: the shares' value and the queued withdrawals (0 if the vault serves nothing). */
  slashableNow: bigint
  /**
   * Until when the shares stay slashable: the earliest end if the staker asked to leave now (now + withdrawal
   * delay); a queued withdrawal stays slashable until its own readyAt.
   */
  slashableUntilIfLeavingNow: number
  queued: QueuedWithdrawalExposure[]
  /** The operator's bond, which a slash takes first: the cushion in front of the stakers. */
  bondInFront: bigint
}

/**
 * What a staker has at stake in each vault, and until when: shares and queued withdrawals, what a slash could
 * reach now, and when each part stops being slashable. `now` is the chain time to measure from (seconds).
 */
export async function positionExposure(
  db: Kysely<Database>,
  staker: string,
  now: number,
): Promise<PositionExposure[]> {
  const s = staker.toLowerCase()
  const positions = (await db.selectFrom('positions').selectAll().where('staker', '=', s).execute()).map(
    (r) => decodeRow('positions', r),
  )
  const queued = (
    await db.selectFrom('withdrawals').selectAll().where('owner', '=', s).where('claimed', '=', 0).execute()
  ).map((r) => decodeRow('withdrawals', r))
  const vaults = [...new Set([...positions.map((p) => p.vault), ...queued.map((q) => q.vault)])].sort()
  const out: PositionExposure[] = []
  for (const vault of vaults) {
    const vr = await db.selectFrom('vaults').selectAll().where('vault', '=', vault).executeTakeFirst()
    if (!vr) continue
    const v = decodeRow('vaults', vr)
    const allocations = await db
      .selectFrom('allocations')
      .select(['service_id', 'amount'])
      .where('vault', '=', vault)
      .execute()
    const services = allocations.filter((a) => BigInt(a.amount) > 0n).map((a) => a.service_id)
    const shares = positions.find((p) => p.vault === vault)?.shares ?? 0n
    const assets = toAssetsDown(
      shares,
      netPoolAssets(v.pool_assets, v.bond, v.pending_liabilities),
      v.total_supply,
    )
    const mine = queued
      .filter((q) => q.vault === vault)
      .map((q) => ({
        withdrawalId: q.withdrawal_id,
        assets: q.assets,
        readyAt: q.ready_at,
        secondsLeft: Math.max(0, q.ready_at - now),
      }))
    const reachable = assets + mine.reduce((sum, q) => sum + q.assets, 0n)
    out.push({
      vault,
      shares,
      assets,
      services,
      slashableNow: services.length === 0 ? 0n : reachable,
      slashableUntilIfLeavingNow: now + v.withdrawal_delay,
      queued: mine,
      bondInFront: v.bond,
    })
  }
  return out
}
