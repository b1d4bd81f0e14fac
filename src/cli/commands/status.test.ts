import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseEther } from 'viem'
import { queuedLine } from './status.ts'

test('a queued allocation increase reads as when it may apply, then that it may apply now, then that it lapsed', () => {
  const readyAt = 1_800_000_000n
  const day = 86_400n
  assert.equal(
    queuedLine(parseEther('2500'), readyAt, readyAt - 13n * day - 4n * 3600n),
    'queued +2,500 STK: may apply from 15 Jan 2027 08:00 UTC (in 13 d 4 h)',
  )
  assert.equal(
    queuedLine(parseEther('2500'), readyAt, readyAt + day),
    'queued +2,500 STK: may apply now (since 15 Jan 2027 08:00 UTC)',
  )
  assert.equal(
    queuedLine(parseEther('2500'), readyAt, readyAt + day + 1n),
    'queued +2,500 STK: lapsed (not applied within a day of 15 Jan 2027 08:00 UTC)',
  )
})
