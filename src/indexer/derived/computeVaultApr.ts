/**
 * A vault's staker APR from the rewards actually paid over a window, with its inputs, as a pure function.
 *
 *   APR = stakerRewards × YEAR / stakeSeconds
 *
 * - stakerRewards: the vault's RewardsClaimed inside [from, to], less the operator's commission (what joined the
 *   pool, i.e. what stakers earned).
 * - stakeSeconds: ∫ poolAssets dt over [from, to], from the exchange-rate history — the stake that was there to
 *   earn the rewards, not the stake at the end of the window (which inflates or deflates the figure whenever
 *   stake arrived or left during the window).
 * Rounded down (in parts per million), as every derived figure the protocol shows a staker.
 */
export const YEAR_SECONDS = 365n * 24n * 3600n

export type RatePoint = { timestamp: number; poolAssets: bigint }
export type RewardClaim = { timestamp: number; amount: bigint; commission: bigint }

export type VaultApr = {
  from: number
  to: number
  windowSeconds: number
  claims: number
  rewards: bigint
  commission: bigint
  stakerRewards: bigint
  /** ∫ poolAssets dt, asset-seconds. */
  stakeSeconds: bigint
  /** stakeSeconds / window: the time-weighted stake, the denominator. */
  averageStake: bigint
  /** Parts per million per year (50,000 = 5 %), rounded down; null when no stake was there to earn. */
  aprPpm: bigint | null
}

/** `rates` sorted by time; the last point at or before `from` gives the stake at the window's start. */
export function computeVaultApr(
  rates: RatePoint[],
  claims: RewardClaim[],
  from: number,
  to: number,
): VaultApr {
  if (!(to > from)) throw new RangeError(`the window must end after it starts (from ${from}, to ${to})`)
  let stakeSeconds = 0n
  let current = 0n
  let t = from
  for (const r of rates) {
    if (r.timestamp <= from) {
      current = r.poolAssets
      continue
    }
    if (r.timestamp >= to) break
    stakeSeconds += current * BigInt(r.timestamp - t)
    current = r.poolAssets
    t = r.timestamp
  }
  stakeSeconds += current * BigInt(to - t)
  const inWindow = claims.filter((c) => c.timestamp > from && c.timestamp <= to)
  const rewards = inWindow.reduce((s, c) => s + c.amount, 0n)
  const commission = inWindow.reduce((s, c) => s + c.commission, 0n)
  const stakerRewards = rewards - commission
  const window = BigInt(to - from)
  return {
    from,
    to,
    windowSeconds: to - from,
    claims: inWindow.length,
    rewards,
    commission,
    stakerRewards,
    stakeSeconds,
    averageStake: stakeSeconds / window,
    aprPpm: stakeSeconds === 0n ? null : (stakerRewards * YEAR_SECONDS * 1_000_000n) / stakeSeconds,
  }
}
