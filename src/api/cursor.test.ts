import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidInputError } from '../errors.ts'
import { decodeCursor, encodeCursor } from './cursor.ts'
import { amount, optionalTime, time } from './format.ts'
import { formatCursor, frame, parseCursor, parseFrom } from './stream/protocol.ts'

const HASH = `0x${'ab'.repeat(32)}` as const

describe('page cursors', () => {
  it('round-trips the sort and its values', () => {
    const token = encodeCursor({ sort: 'bond', values: ['1000', '0xabc'] })
    assert.match(token, /^[A-Za-z0-9_-]+$/)
    assert.deepEqual(decodeCursor(token, 'bond', 2), ['1000', '0xabc'])
  })

  it('refuses a cursor made for another sort, naming both', () => {
    const token = encodeCursor({ sort: 'bond', values: ['1', 'x'] })
    assert.throws(() => decodeCursor(token, 'created', 2), /made for sort 'bond', not 'created'/)
  })

  it('refuses garbage, wrong arity and non-scalar values as not a cursor this API made', () => {
    const bad = [
      'not a cursor!',
      Buffer.from('{"a":1}').toString('base64url'),
      encodeCursor({ sort: 'bond', values: ['1'] }),
      Buffer.from(JSON.stringify(['bond', { x: 1 }, 'y'])).toString('base64url'),
    ]
    for (const token of bad) {
      assert.throws(
        () => decodeCursor(token, 'bond', 2),
        (e: unknown) => e instanceof InvalidInputError && /not a cursor this API made/.test(e.message),
      )
    }
  })
})

describe('amounts and times', () => {
  it('writes exact base units and token units, never a float', () => {
    assert.deepEqual(amount(1_500_000_000_000_000_000n), { base: '1500000000000000000', units: '1.5' })
    assert.deepEqual(amount(1n), { base: '1', units: '0.000000000000000001' })
    assert.deepEqual(amount('123456789', 6), { base: '123456789', units: '123.456789' })
    assert.deepEqual(amount(2n ** 255n).base, (2n ** 255n).toString())
  })

  it('writes unix seconds with an ISO date, and 0 as no time', () => {
    assert.deepEqual(time(1_700_000_000), { unix: 1_700_000_000, iso: '2023-11-14T22:13:20.000Z' })
    assert.equal(optionalTime(0), null)
    assert.equal(optionalTime(null), null)
    assert.equal(time(Number.MAX_SAFE_INTEGER).unix, Number.MAX_SAFE_INTEGER)
  })
})

describe('stream cursors', () => {
  it('round-trips an event id and a block end', () => {
    const id = formatCursor({ block: 42n, logIndex: 3, hash: HASH })
    assert.equal(id, `42:3:${HASH}`)
    assert.deepEqual(parseCursor(id, 'x'), { block: 42n, logIndex: 3, hash: HASH })
    assert.deepEqual(parseCursor(`7:end:${HASH.toUpperCase().replace('0X', '0x')}`, 'x'), {
      block: 7n,
      logIndex: 'end',
      hash: HASH,
    })
    assert.deepEqual(parseCursor('7:end:', 'x'), { block: 7n, logIndex: 'end' })
  })

  it('reads ?from= as a block to start at (everything of the block before is skipped)', () => {
    assert.deepEqual(parseFrom('10'), { block: 9n, logIndex: 'end' })
    assert.deepEqual(parseFrom('0'), { block: -1n, logIndex: 'end' })
  })

  it('refuses a malformed cursor, naming where it came from', () => {
    assert.throws(
      () => parseCursor('12:x:0x00', 'header Last-Event-ID'),
      /header Last-Event-ID '12:x:0x00' is not/,
    )
    assert.throws(() => parseFrom('-1'), /query parameter 'from'/)
  })

  it('frames a message as one SSE event with its id', () => {
    assert.equal(frame('head', '5:end:', { n: 1 }), 'id: 5:end:\nevent: head\ndata: {"n":1}\n\n')
    assert.equal(frame('event', undefined, { s: 'a\nb' }), 'event: event\ndata: {"s":"a\\nb"}\n\n')
  })
})
