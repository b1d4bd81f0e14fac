import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chainNow, noteBlockTime } from './clock.ts'

test('now is the later of the wall clock and the newest block seen', () => {
  assert.equal(chainNow(1_000_000), 1000, 'no block seen: the wall clock')
  noteBlockTime(5000) // a devnet moved forward
  assert.equal(chainNow(1_000_000), 5000)
  noteBlockTime(4000) // an older answer never moves time back
  assert.equal(chainNow(1_000_000), 5000)
  assert.equal(chainNow(9_000_000), 9000, 'an idle chain: the wall clock again')
})
