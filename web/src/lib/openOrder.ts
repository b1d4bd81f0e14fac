/** What an open order waits for, and until when: the Due column of the order tables. */
import { openOrderStage } from '../../../src/sdk/orderStage.ts'
import type { Order } from '../api/types.ts'

const ZERO = '0x0000000000000000000000000000000000000000'

/** `to` set: a countdown follows the text; unset: the text says it all. */
export type OpenOrderText = { text: string; to?: number }

/** The order book's windows (src/sdk/orderStage.ts, shared with the CLI), in the Due column's words. */
export function openOrderText(
  o: Pick<Order, 'intent' | 'vault' | 'biddingEnds'>,
  now: number,
): OpenOrderText {
  const ends = o.biddingEnds?.unix
  if (ends === undefined) return { text: 'open' }
  const s = openOrderStage({ intent: o.intent, hasBid: o.vault !== null, biddingEnds: ends }, now)
  switch (s.stage) {
    case 'awaiting-operator':
      return { text: 'the operator may accept', to: s.until }
    case 'bidding':
      return { text: 'bids close', to: s.until }
    case 'best-bid-acceptable':
      return { text: 'anyone may accept the best bid', to: s.until }
    case 'nobody-bid':
      return { text: 'nobody bid: the client may cancel' }
    case 'acceptance-closed':
      return { text: 'not accepted in time: the client may cancel' }
  }
}

/** A job whose terms name a sensor device is a shipment. */
export const orderKind = (o: Pick<Order, 'kind' | 'terms'>): string =>
  o.kind === 'job' && o.terms.device.toLowerCase() !== ZERO ? 'shipment' : o.kind
