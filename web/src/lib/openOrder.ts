/** What an open order waits for, and until when: the Due column of the order tables. */
import type { Order } from '../api/types.ts'

/**
 * How long after its bidding window an intent's best bid may still be accepted: the order book's
 * ACCEPTANCE_WINDOW (src/sdk/orders.ts). Repeated here so the first page load does not pull in the SDK.
 */
export const ACCEPTANCE_WINDOW_SECONDS = 86_400

const ZERO = '0x0000000000000000000000000000000000000000'

/** `to` set: a countdown follows the text; unset: the text says it all. */
export type OpenOrderStage = { text: string; to?: number }

export function openOrderStage(
  o: Pick<Order, 'intent' | 'vault' | 'biddingEnds'>,
  now: number,
): OpenOrderStage {
  const ends = o.biddingEnds?.unix
  if (ends === undefined) return { text: 'open' }
  if (!o.intent)
    return now < ends
      ? { text: 'the operator may accept', to: ends }
      : { text: 'not accepted in time: the client may cancel' }
  if (now < ends) return { text: 'bids close', to: ends }
  if (!o.vault) return { text: 'nobody bid: the client may cancel' }
  const closes = ends + ACCEPTANCE_WINDOW_SECONDS
  return now < closes
    ? { text: 'anyone may accept the best bid', to: closes }
    : { text: 'not accepted in time: the client may cancel' }
}

/** A job whose terms name a sensor device is a shipment. */
export const orderKind = (o: Pick<Order, 'kind' | 'terms'>): string =>
  o.kind === 'job' && o.terms.device.toLowerCase() !== ZERO ? 'shipment' : o.kind
