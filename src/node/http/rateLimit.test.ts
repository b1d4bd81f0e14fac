import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createRateLimiter } from './rateLimit.ts'

describe('rate limiter', () => {
  test('a burst, then the sustained rate, per key; the key map is bounded', () => {
    let t = 0
    const limiter = createRateLimiter({ ratePerSecond: 2, burst: 3, maxKeys: 2, now: () => t })
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.take('a')),
      [true, true, true, false],
    )
    assert.equal(limiter.take('b'), true, 'another key has its own bucket')
    t += 500
    assert.deepEqual([limiter.take('a'), limiter.take('a')], [true, false], 'one token per half second')
    limiter.take('c')
    assert.equal(limiter.size(), 2, 'the least recently used key is dropped')
  })
})
