import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ACCEPTANCE_WINDOW } from '../../../src/sdk/orderStage.ts'
import { openOrderText, orderKind } from './openOrder.ts'

const at = (unix: number) => ({ unix, iso: new Date(unix * 1000).toISOString() })
const ENDS = 1_000_000
const VAULT = '0x00000000000000000000000000000000000000aa'

test('a named order waits for its operator until the window ends, then only the client can end it', () => {
  const named = { intent: false, vault: VAULT, biddingEnds: at(ENDS) }
  assert.deepEqual(openOrderText(named, ENDS), { text: 'the operator may accept', to: ENDS })
  assert.deepEqual(openOrderText(named, ENDS + 1), { text: 'not accepted in time: the client may cancel' })
})

test('an intent takes bids, then its best bid may be accepted for the acceptance window; with no bid it can only be cancelled', () => {
  const bid = { intent: true, vault: VAULT, biddingEnds: at(ENDS) }
  const none = { ...bid, vault: null }
  assert.deepEqual(openOrderText(none, ENDS - 5), { text: 'bids close', to: ENDS })
  assert.deepEqual(openOrderText(none, ENDS), { text: 'nobody bid: the client may cancel' })
  assert.deepEqual(openOrderText(bid, ENDS), {
    text: 'anyone may accept the best bid',
    to: ENDS + ACCEPTANCE_WINDOW,
  })
  assert.deepEqual(openOrderText(bid, ENDS + ACCEPTANCE_WINDOW + 1), {
    text: 'not accepted in time: the client may cancel',
  })
})

test('a job with a sensor device is a shipment; a lease stays a lease', () => {
  const terms = (device: string) => ({ device }) as Parameters<typeof orderKind>[0]['terms']
  assert.equal(
    orderKind({ kind: 'job', terms: terms('0x000000000000000000000000000000000000dEaD') }),
    'shipment',
  )
  assert.equal(orderKind({ kind: 'job', terms: terms('0x0000000000000000000000000000000000000000') }), 'job')
  assert.equal(
    orderKind({ kind: 'lease', terms: terms('0x0000000000000000000000000000000000000000') }),
    'lease',
  )
})
