import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ACCEPTANCE_WINDOW, openOrderStage } from './orderStage.ts'

const ENDS = 1_700_000_000

test("an open order's stage follows the order book's windows to the second", () => {
  const named = { intent: false, hasBid: true, biddingEnds: ENDS }
  // OrderBook.accept, named: reverts AcceptanceClosed only when now > biddingEnds
  assert.deepEqual(openOrderStage(named, ENDS), { stage: 'awaiting-operator', until: ENDS })
  assert.deepEqual(openOrderStage(named, ENDS + 1), { stage: 'acceptance-closed' })

  const intent = { intent: true, hasBid: true, biddingEnds: ENDS }
  // OrderBook.bid reverts BiddingClosed when now >= biddingEnds; accept reverts BiddingOpen when now < biddingEnds
  assert.deepEqual(openOrderStage(intent, ENDS - 1), { stage: 'bidding', until: ENDS })
  const closes = ENDS + ACCEPTANCE_WINDOW
  assert.deepEqual(openOrderStage(intent, ENDS), { stage: 'best-bid-acceptable', until: closes })
  // _checkAcceptanceWindow reverts only when now > biddingEnds + ACCEPTANCE_WINDOW
  assert.deepEqual(openOrderStage(intent, closes), { stage: 'best-bid-acceptable', until: closes })
  assert.deepEqual(openOrderStage(intent, closes + 1), { stage: 'acceptance-closed' })

  const none = { ...intent, hasBid: false }
  assert.deepEqual(openOrderStage(none, ENDS - 1), { stage: 'bidding', until: ENDS })
  assert.deepEqual(openOrderStage(none, ENDS), { stage: 'nobody-bid' })
  assert.deepEqual(openOrderStage(none, closes + 1), { stage: 'nobody-bid' })
})
