/**
 * Orders as a fold over the order book's confirmed events. The order book stores only a hash of each order's
 * parameters; OrderOpened carries the parameters and the terms the attesters judge (the device key, the pickup
 * time, the temperature range), and the later events move the order along. Folding confirmed events, rather than
 * reading the chain's latest state, means a reorg that deletes events also un-does what they implied: an order
 * whose acceptance was orphaned is Open again, and nothing is judged or reported for it.
 */
import { type Address, type Hex, numberToHex, zeroAddress } from 'viem'
import type { StoredEvent } from '../../indexer/follower/eventRepo.ts'
import { type OrderStatus, TERMINAL_ORDER_STATUSES } from '../../indexer/status.ts'
import { unpackMilestones } from '../../sdk/orders.ts'
import type { OrderParams, OrderTerms } from '../../sdk/types.ts'

export type WatchedStatus = OrderStatus

export type WatchedOrder = {
  orderId: bigint
  /** The id as 32 bytes of hex: how telemetry readings name the order. */
  key: Hex
  serviceId: bigint
  client: Address
  params: OrderParams
  terms: OrderTerms
  kind: 'job' | 'lease'
  /** Number of milestones of a job (1–4); 0 for a lease. */
  milestones: number
  status: WatchedStatus
  /** The accepted operator's vault (the named vault before acceptance; zero for an intent). */
  vault: Address
  /** Milestones paid. */
  settled: number
  /** A lease: paid to its operator so far, fee included. */
  streamed: bigint
  /** Result hashes committed by the operator, the first per milestone. */
  results: Record<number, Hex>
  acceptedAtBlock: bigint | undefined
}

/** Order book events that change an order's state as the node sees it. */
export const ORDER_EVENTS = new Set([
  'OrderOpened',
  'OrderAccepted',
  'MilestonePaid',
  'LeaseSettled',
  'OrderCompleted',
  'OrderFailed',
  'OrderCancelled',
  'ResultCommitted',
])

export const TERMINAL: ReadonlySet<WatchedStatus> = TERMINAL_ORDER_STATUSES

export const orderKey = (orderId: bigint): Hex => numberToHex(orderId, { size: 32 })

/** The shipment kind of order: its terms name the device that signs its telemetry. */
export const isShipment = (o: WatchedOrder) => o.terms.device.toLowerCase() !== zeroAddress

/** Applies one event to the map of orders (in place); events of orders not in the map are ignored. */
export function applyOrderEvent(orders: Map<bigint, WatchedOrder>, e: StoredEvent): void {
  if (e.orderId === undefined || !ORDER_EVENTS.has(e.name)) return
  const a = e.args
  if (e.name === 'OrderOpened') {
    const params = a.params as OrderParams
    const lease = params.ratePerSecond > 0n
    orders.set(e.orderId, {
      orderId: e.orderId,
      key: orderKey(e.orderId),
      serviceId: params.serviceId,
      client: params.client.toLowerCase() as Address,
      params,
      terms: a.terms as OrderTerms,
      kind: lease ? 'lease' : 'job',
      milestones: lease ? 0 : unpackMilestones(params.milestones).length,
      status: 'Open',
      vault: params.vault.toLowerCase() as Address,
      settled: 0,
      streamed: 0n,
      results: {},
      acceptedAtBlock: undefined,
    })
    return
  }
  const o = orders.get(e.orderId)
  if (!o) return
  switch (e.name) {
    case 'OrderAccepted':
      o.status = 'Active'
      o.vault = (a.vault as Address).toLowerCase() as Address
      o.acceptedAtBlock = e.blockNumber
      break
    case 'MilestonePaid':
      o.settled = Number(a.milestone) + 1
      break
    case 'LeaseSettled':
      o.streamed = a.streamed as bigint
      break
    case 'OrderCompleted':
      o.status = 'Completed'
      break
    case 'OrderFailed':
      o.status = 'Failed'
      break
    case 'OrderCancelled':
      o.status = 'Cancelled'
      break
    case 'ResultCommitted': {
      const m = Number(a.milestone)
      o.results[m] ??= (a.resultHash as Hex).toLowerCase() as Hex
      break
    }
  }
}

export function foldOrderEvents(events: readonly StoredEvent[]): Map<bigint, WatchedOrder> {
  const orders = new Map<bigint, WatchedOrder>()
  for (const e of events) applyOrderEvent(orders, e)
  return orders
}
