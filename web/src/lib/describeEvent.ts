/** One line per event for the feed, in words and token units. */
import { formatUnits, shortAddress } from './format.ts'
import type { LiveEvent } from './liveState.ts'

const tok = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? `${formatUnits(v)} STK` : String(v))
const addr = (v: unknown) => (typeof v === 'string' ? shortAddress(v) : '?')

export function describeEvent(e: Pick<LiveEvent, 'name' | 'args'>): string {
  const a = e.args
  switch (e.name) {
    case 'Deposited':
      return `${addr(a.receiver)} deposited ${tok(a.assets)}`
    case 'WithdrawalRequested':
      return `${addr(a.owner)} asked to withdraw ${tok(a.assets)}`
    case 'SlashRequested':
      return `slash of ${addr(a.vault)} on service #${a.serviceId} requested`
    case 'SlashDisputed':
      return `${addr(a.operator)} disputed a slash, bond ${tok(a.bond)}`
    case 'SlashExecuted':
      return `slash executed: ${tok(a.toClient)} to the client`
    case 'SlashOverturned':
      return 'a slash was overturned'
    case 'OrderOpened':
      return `order #${a.orderId} opened on service #${a.serviceId}`
    case 'OrderAccepted':
      return `order #${a.orderId} accepted for ${tok(a.price)}`
    case 'MilestonePaid':
      return `order #${a.orderId} milestone ${Number(a.milestone) + 1} paid ${tok(a.amount)}`
    case 'OrderCompleted':
      return `order #${a.orderId} completed`
    case 'OrderFailed':
      return `order #${a.orderId} failed, ${tok(a.refund)} refunded`
    case 'BidPlaced':
      return `bid on order #${a.orderId}: ${tok(a.price)}`
    default:
      return ''
  }
}
