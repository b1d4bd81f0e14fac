import type { Address } from 'viem'
import { SuretyError } from '../errors.ts'
import { orderBookAbi } from './abis.ts'
import {
  type Order,
  type OrderParams,
  OrderStatus,
  type OrderStatusName,
  type OrderTerms,
  type SuretyReader,
} from './types.ts'

type Opened = { orderId: bigint; params: OrderParams; terms: OrderTerms; blockNumber: bigint }

async function readState(reader: SuretyReader, opened: Opened): Promise<Order> {
  const [, status, settled, startedAt, vault, price, collateral, paid] = await reader.public.readContract({
    address: reader.addresses.orders,
    abi: orderBookAbi,
    functionName: 'order',
    args: [opened.orderId],
  })
  return {
    orderId: opened.orderId,
    params: opened.params,
    terms: opened.terms,
    status: OrderStatus[status] ?? 'None',
    kind: opened.params.ratePerSecond > 0n ? 'lease' : 'job',
    settled: Number(settled),
    startedAt: Number(startedAt),
    vault,
    price,
    collateral,
    paid,
    openedAtBlock: opened.blockNumber,
  }
}

async function openedEvents(
  reader: SuretyReader,
  filter: { orderId?: bigint; client?: Address; serviceId?: bigint },
  fromBlock: bigint,
): Promise<Opened[]> {
  const events = await reader.public.getContractEvents({
    address: reader.addresses.orders,
    abi: orderBookAbi,
    eventName: 'OrderOpened',
    args: filter,
    fromBlock,
  })
  return events.map((e) => ({
    orderId: e.args.orderId!,
    params: e.args.params as OrderParams,
    terms: e.args.terms as OrderTerms,
    blockNumber: e.blockNumber,
  }))
}

/**
 * Reads an order: its state from the order book, its parameters and terms from its OrderOpened event (the order
 * book stores only their hash; the event log is the durable copy).
 */
export async function readOrder(reader: SuretyReader, orderId: bigint, fromBlock = 0n): Promise<Order> {
  const [opened] = await openedEvents(reader, { orderId }, fromBlock)
  if (!opened) throw new SuretyError(`order ${orderId} not found`)
  return readState(reader, opened)
}

export type ReadOrdersFilter = {
  client?: Address
  serviceId?: bigint
  status?: readonly OrderStatusName[]
  fromBlock?: bigint
}

/**
 * Every order opened since `fromBlock` (optionally of one client or service, in some statuses), oldest first.
 * One read per order: fine for a CLI or a devnet; the indexer serves this at scale.
 */
export async function readOrders(reader: SuretyReader, filter: ReadOrdersFilter = {}): Promise<Order[]> {
  const opened = await openedEvents(
    reader,
    { client: filter.client, serviceId: filter.serviceId },
    filter.fromBlock ?? 0n,
  )
  const orders = await Promise.all(opened.map((o) => readState(reader, o)))
  return filter.status ? orders.filter((o) => filter.status!.includes(o.status)) : orders
}

/** Orders still running: taking bids / awaiting acceptance (Open) or accepted with collateral reserved (Active). */
export function readOpenOrders(reader: SuretyReader, filter: Omit<ReadOrdersFilter, 'status'> = {}) {
  return readOrders(reader, { ...filter, status: ['Open', 'Active'] })
}

export type OrderBid = { vault: Address; price: bigint; collateral: bigint; at: number }

/** Every vault's standing bid on an order (its latest), lowest price first, then the earlier bid. */
export async function readBids(reader: SuretyReader, orderId: bigint, fromBlock = 0n): Promise<OrderBid[]> {
  const events = await reader.public.getContractEvents({
    address: reader.addresses.orders,
    abi: orderBookAbi,
    eventName: 'BidPlaced',
    args: { orderId },
    fromBlock,
  })
  // the log order of each vault's latest bid breaks ties as the order book does (several bids share a timestamp)
  const latest = new Map<Address, number>()
  for (const [i, e] of events.entries()) latest.set(e.args.vault!, i)
  const bids = await Promise.all(
    [...latest.keys()].map(async (vault) => {
      const [price, collateral, at] = await reader.public.readContract({
        address: reader.addresses.orders,
        abi: orderBookAbi,
        functionName: 'bidOf',
        args: [orderId, vault],
      })
      return { vault, price, collateral, at: Number(at) }
    }),
  )
  const rank = (b: OrderBid) => latest.get(b.vault)!
  return bids.sort((a, b) => (a.price < b.price ? -1 : a.price > b.price ? 1 : rank(a) - rank(b)))
}
