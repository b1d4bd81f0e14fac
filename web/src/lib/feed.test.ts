import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChainEvent } from '../api/types.ts'
import { mergeFeed } from './feed.ts'
import type { LiveEvent } from './liveState.ts'

const h = `0x${'ee'.repeat(32)}`
const fetched = (block: number, logIndex: number): ChainEvent => ({
  id: `${block}:${logIndex}:${h}`,
  name: 'Deposited',
  contract: '0x',
  block: { number: block, hash: h, final: false },
  time: null,
  txHash: h,
  args: {},
})
const live = (block: number, logIndex: number): LiveEvent => ({
  id: `${block}:${logIndex}:${h}`,
  name: 'Deposited',
  block,
  logIndex,
  time: null,
  args: { fromStream: true },
  affects: [],
  receivedAt: 1,
})

test('the feed merges fetched and streamed events once each, newest first, without retracted ones', () => {
  const out = mergeFeed(
    [live(9, 1), live(8, 0)],
    [fetched(8, 0), fetched(7, 3), fetched(6, 0)],
    new Set([`6:0:${h}`]),
  )
  assert.deepEqual(
    out.map((e) => [e.block, e.logIndex]),
    [
      [9, 1],
      [8, 0],
      [7, 3],
    ],
  )
  assert.equal(out[1]!.args.fromStream, true, 'the streamed copy wins')
})
