import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { splitServiceRewards } from './splitServiceRewards.ts'

const at = (block: number, logIndex = 0) => ({ block, logIndex })

describe('splitServiceRewards', () => {
  it('splits each distribution by the stake and the commission in force just before it', () => {
    const split = splitServiceRewards(
      [
        { ...at(10), timestamp: 100, amount: 1_000n },
        { ...at(20, 1), timestamp: 200, amount: 1_000n },
      ],
      [
        { ...at(1), vault: 'a', stake: 300n },
        { ...at(2), vault: 'b', stake: 100n },
        // after the first distribution b's stake grows to a's
        { ...at(15), vault: 'b', stake: 300n },
      ],
      [
        { ...at(0), vault: 'a', commissionBps: 1_000 },
        { ...at(0), vault: 'b', commissionBps: 0 },
        // a's new commission, in the same block but after the second distribution: not yet in force
        { ...at(20, 2), vault: 'a', commissionBps: 5_000 },
      ],
    )
    // first: a 750 less 10 % = 675, b 250; second: a 500 less 10 % = 450, b 500
    assert.deepEqual(
      split.map((d) => [d.staker, d.commission]),
      [
        [925n, 75n],
        [950n, 50n],
      ],
    )
  })

  it('rounds each share and each commission down: stakers are never shown more than they got', () => {
    const [d] = splitServiceRewards(
      [{ ...at(5), timestamp: 1, amount: 10n }],
      [
        { ...at(1), vault: 'a', stake: 1n },
        { ...at(1, 1), vault: 'b', stake: 1n },
        { ...at(1, 2), vault: 'c', stake: 1n },
      ],
      [{ ...at(0), vault: 'a', commissionBps: 1_500 }],
    )
    // shares 3, 3, 3 (1 wei rounded away); a's commission 0.45 rounds down to 0
    assert.deepEqual([d!.staker, d!.commission], [9n, 1n])
  })

  it('pays no staker a distribution made while nothing was staked', () => {
    const [d] = splitServiceRewards([{ ...at(1), timestamp: 1, amount: 7n }], [], [])
    assert.deepEqual([d!.staker, d!.commission], [0n, 7n])
  })
})
