/** Ranges sized by log density: small where blocks are busy, the full batch where they are empty, never 0. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { nextRangeBlocks } from './rangeSize.ts'

const sizing = { targetLogs: 5_000, initialBlocks: 10, growth: 4 }

test('the first range is the initial size, capped by the batch', () => {
  assert.equal(nextRangeBlocks(undefined, 2_000, sizing), 10)
  assert.equal(nextRangeBlocks(undefined, 3, sizing), 3)
})

test('a dense range shrinks the next to about the target number of logs', () => {
  // 720 logs a block (the benchmark's chain): 6 blocks ≈ 4,320 logs
  assert.equal(nextRangeBlocks({ blocks: 10, logs: 7_200 }, 2_000, sizing), 6)
  // one block alone holding more than the target: still one block
  assert.equal(nextRangeBlocks({ blocks: 1, logs: 50_000 }, 2_000, sizing), 1)
})

test('a sparse or empty range grows the next at most fourfold, up to the batch', () => {
  assert.equal(nextRangeBlocks({ blocks: 10, logs: 0 }, 2_000, sizing), 40)
  assert.equal(nextRangeBlocks({ blocks: 40, logs: 3 }, 2_000, sizing), 160)
  assert.equal(nextRangeBlocks({ blocks: 1_000, logs: 1 }, 2_000, sizing), 2_000)
})
