import assert from 'node:assert/strict'
import { test } from 'node:test'
import { computeVaultApr, YEAR_SECONDS } from './computeVaultApr.ts'

const DAY = 86_400

test('the denominator is the stake that was there to earn, not the stake at the end', () => {
  // 1,000 staked all window; 9,000 more arrive for the last day of ten; 10 paid to stakers (12 less 2 commission)
  const rates = [
    { timestamp: 0, poolAssets: 1_000n },
    { timestamp: 9 * DAY, poolAssets: 10_000n },
  ]
  const apr = computeVaultApr(rates, [{ timestamp: 10 * DAY, amount: 12n, commission: 2n }], 0, 10 * DAY)
  assert.equal(apr.stakerRewards, 10n)
  assert.equal(apr.stakeSeconds, 1_000n * 9n * BigInt(DAY) + 10_000n * BigInt(DAY))
  assert.equal(apr.averageStake, 1_900n)
  // 10 / 1,900 over 10 days: 19.21 % a year (the end stake would say 3.65 %)
  assert.equal(apr.aprPpm, (10n * YEAR_SECONDS * 1_000_000n) / apr.stakeSeconds)
  assert.equal(apr.aprPpm, 192_105n)
})

test('claims outside the window and rate points before it count only as the starting stake', () => {
  const rates = [
    { timestamp: 0, poolAssets: 5n },
    { timestamp: 50, poolAssets: 100n },
    { timestamp: 500, poolAssets: 7n },
  ]
  const apr = computeVaultApr(
    rates,
    [
      { timestamp: 60, amount: 999n, commission: 0n },
      { timestamp: 150, amount: 4n, commission: 1n },
    ],
    100,
    200,
  )
  assert.equal(apr.claims, 1)
  assert.equal(apr.stakerRewards, 3n)
  assert.equal(apr.stakeSeconds, 100n * 100n)
})

test('no stake in the window gives no APR rather than a division by zero; a backwards window is refused', () => {
  assert.equal(computeVaultApr([], [], 0, 10).aprPpm, null)
  assert.throws(() => computeVaultApr([], [], 10, 10), /must end after it starts/)
})
