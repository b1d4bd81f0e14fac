/**
 * What an open order waits for, and until when — one rule for the CLI's `order` lines and the dashboard's Due
 * column, each wording it its own way. The windows are the order book's (contracts/src/OrderBook.sol):
 * - a named order's operator may accept while `now ≤ biddingEnds`;
 * - an intent takes bids while `now < biddingEnds`, and its best bid may be accepted (or another picked) from
 *   `biddingEnds` while `now ≤ biddingEnds + ACCEPTANCE_WINDOW`;
 * - otherwise only the client can end it, by cancelling (an intent nobody bid on, at once).
 * Times are unix seconds as numbers (the dashboard's type; far inside a double's exact range). No imports, so the
 * dashboard's first page pulls nothing else in.
 */

/** OrderBook.ACCEPTANCE_WINDOW: an intent can be accepted (or a bid picked) until this long after biddingEnds. */
export const ACCEPTANCE_WINDOW = 24 * 3600

export type OpenOrderStage =
  /** a named order: its operator may accept until `until` */
  | { stage: 'awaiting-operator'; until: number }
  /** an intent taking bids until `until` */
  | { stage: 'bidding'; until: number }
  /** bidding closed with a best bid, which anyone may accept until `until` */
  | { stage: 'best-bid-acceptable'; until: number }
  /** bidding closed without a bid: the client may cancel for a full refund */
  | { stage: 'nobody-bid' }
  /** nobody accepted in time: the client may cancel */
  | { stage: 'acceptance-closed' }

export function openOrderStage(
  o: { intent: boolean; hasBid: boolean; biddingEnds: number },
  now: number,
): OpenOrderStage {
  if (!o.intent)
    return now <= o.biddingEnds
      ? { stage: 'awaiting-operator', until: o.biddingEnds }
      : { stage: 'acceptance-closed' }
  if (now < o.biddingEnds) return { stage: 'bidding', until: o.biddingEnds }
  if (!o.hasBid) return { stage: 'nobody-bid' }
  const closes = o.biddingEnds + ACCEPTANCE_WINDOW
  return now <= closes ? { stage: 'best-bid-acceptable', until: closes } : { stage: 'acceptance-closed' }
}
