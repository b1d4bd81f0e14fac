/** Human-readable lines for orders, shared by `surety order` and `surety status`. */
import { zeroAddress } from 'viem'
import { openOrderStage } from '../sdk/orderStage.ts'
import { unpackMilestones } from '../sdk/orders.ts'
import type { Order } from '../sdk/types.ts'
import { countdown, formatAmount } from './orderArgs.ts'

export type TokenInfo = { symbol: string; decimals: number }

/** What happens next to an order, and when. */
export function nextStep(o: Order, now: bigint): string {
  if (o.status === 'Open') {
    // the order book's windows, shared with the dashboard (src/sdk/orderStage.ts); unix seconds fit a number
    const s = openOrderStage(
      {
        intent: o.params.vault === zeroAddress,
        hasBid: o.vault !== zeroAddress,
        biddingEnds: Number(o.params.biddingEnds),
      },
      Number(now),
    )
    const left = (until: number) => countdown(BigInt(until) - now)
    switch (s.stage) {
      case 'awaiting-operator':
        return `awaiting the operator, ${left(s.until)} left`
      case 'bidding':
        return `bidding closes in ${left(s.until)}`
      case 'best-bid-acceptable':
        return `bidding closed: anyone may accept the best bid, ${left(s.until)} left`
      case 'nobody-bid':
        return 'nobody bid: the client may cancel it for a full refund'
      case 'acceptance-closed':
        return 'acceptance closed: the client may cancel'
    }
  }
  if (o.status === 'Active') {
    if (o.kind === 'lease') return 'streaming'
    const deadline = BigInt(o.params.deadline)
    return deadline > now
      ? `deadline in ${countdown(deadline - now)}`
      : 'deadline passed: anyone may expire it'
  }
  return o.status.toLowerCase()
}

export function milestoneText(o: Order): string {
  const shares = unpackMilestones(o.params.milestones)
  return shares.length === 1 ? '1 milestone' : `milestones ${shares.map((s) => `${s / 100}%`).join('/')}`
}

/** One line per order: id, kind, status, price, operator, progress, next step. */
export function orderLine(o: Order, token: TokenInfo, now: bigint): string {
  const t = (wei: bigint) => `${formatAmount(wei, token.decimals)} ${token.symbol}`
  const intent = o.params.vault === zeroAddress
  const bidding = intent && o.status === 'Open'
  // while an intent takes bids, `price` and `vault` are its best bid so far
  const what =
    o.kind === 'lease'
      ? `lease of ${t(o.params.budget)} at ${bidding ? `most ${t(o.params.ratePerSecond)}` : t(o.price)}/s`
      : `${o.terms.device === zeroAddress ? 'job' : 'shipment'} of ${t(bidding ? o.params.budget : o.price)}, ${milestoneText(o)}`
  const biddingOpen = bidding && BigInt(o.params.biddingEnds) > now
  const who = bidding
    ? o.vault === zeroAddress
      ? biddingOpen
        ? 'no bids yet'
        : 'no bids'
      : `best bid ${t(o.price)} by vault ${o.vault}`
    : `vault ${o.vault}`
  const progress =
    o.status !== 'Active'
      ? ''
      : o.kind === 'job'
        ? `, ${o.settled} of ${unpackMilestones(o.params.milestones).length} paid`
        : `, ${t(o.paid)} paid`
  return `#${o.orderId}  ${o.status.padEnd(9)} ${what}${intent ? ' (intent)' : ''}${progress}  ${who}  ${nextStep(o, now)}`
}
