import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { applyLiveMessage, FEED_SIZE, initialLive, parseEventId } from './liveState.ts'

const hash = `0x${'ab'.repeat(32)}`
const id = (block: number, logIndex: number) => `${block}:${logIndex}:${hash}`
const event = (block: number, logIndex = 0, name = 'SlashRequested') => ({
  type: 'event',
  id: id(block, logIndex),
  data: { name, args: { serviceId: '1' }, affects: ['/v1/network'], time: null },
  receivedAt: block,
})
const head = (number: number, changed: string[]) => ({
  type: 'head',
  id: `${number}:end:${hash}`,
  data: { number, hash, finalNumber: number - 2, changed },
  receivedAt: number,
})

describe('live state', () => {
  test('events are kept newest first; a head that names changes bumps the version', () => {
    let s = [event(10), event(11, 2)].reduce(applyLiveMessage, initialLive)
    assert.deepEqual(
      s.events.map((e) => [e.block, e.logIndex, e.name]),
      [
        [11, 2, 'SlashRequested'],
        [10, 0, 'SlashRequested'],
      ],
    )
    assert.equal(s.version, 0, 'events alone do not refetch: the head after them does, once')
    s = applyLiveMessage(s, head(11, ['/v1/network']))
    assert.equal(s.version, 1)
    assert.deepEqual(s.head, { number: 11, finalNumber: 9 })
    s = applyLiveMessage(s, head(12, []))
    assert.equal(s.version, 1, 'an empty block changes nothing')
  })
  test('a replayed message is held once', () => {
    const s = [event(10), event(10)].reduce(applyLiveMessage, initialLive)
    assert.equal(s.events.length, 1)
  })
  test('a retraction drops exactly the events it names', () => {
    const s = [event(10), event(11), event(12)].reduce(applyLiveMessage, initialLive)
    const after = applyLiveMessage(s, {
      type: 'retract',
      id: id(10, 0),
      data: { reason: 'reorg', fromBlock: 11, toBlock: 12, events: [id(11, 0), id(12, 0)] },
      receivedAt: 1,
    })
    assert.deepEqual(
      after.events.map((e) => e.block),
      [10],
    )
    assert.equal(after.retracted, 2)
    assert.ok(after.version > s.version, 'data hooks refetch after a retraction')
  })
  test('a retraction without ids drops everything from its first block', () => {
    const s = [event(10), event(11)].reduce(applyLiveMessage, initialLive)
    const after = applyLiveMessage(s, {
      type: 'retract',
      id: '',
      data: { fromBlock: 11, toBlock: 11, events: null },
      receivedAt: 1,
    })
    assert.deepEqual(
      after.events.map((e) => e.block),
      [10],
    )
  })
  test('the feed is bounded', () => {
    const s = Array.from({ length: FEED_SIZE + 5 }, (_, i) => event(i + 1)).reduce(
      applyLiveMessage,
      initialLive,
    )
    assert.equal(s.events.length, FEED_SIZE)
    assert.equal(s.events[0]!.block, FEED_SIZE + 5)
  })
  test('ids are parsed', () => {
    assert.deepEqual(parseEventId(id(7, 3)), { block: 7, logIndex: 3 })
    assert.equal(parseEventId(`7:end:${hash}`), null)
  })
})

test('retracted ids are remembered, so a list fetched before the retraction cannot bring them back', () => {
  const hash = `0x${'cd'.repeat(32)}`
  const s = applyLiveMessage(initialLive, {
    type: 'retract',
    id: '',
    data: { fromBlock: 5, toBlock: 5, events: [`5:0:${hash}`] },
    receivedAt: 1,
  })
  assert.ok(s.retractedIds.has(`5:0:${hash}`))
})
