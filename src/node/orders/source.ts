/**
 * The orders this node watches, from the order book's confirmed events (fold.ts): every order opened and not yet
 * completed, failed or cancelled, with the device key its telemetry must be signed by. Kept in memory, updated by
 * the follower as events are confirmed, and rebuilt from the store when a reorg rolls events back; so telemetry
 * ingestion, the judges, the submitter and the keeper all see the same confirmed view.
 */
import type { Address, Hex } from 'viem'
import type { StoredEvent } from '../../indexer/follower/eventRepo.ts'
import type { FollowerListener } from '../../indexer/follower/follower.ts'
import type { Store } from '../store/store.ts'
import { applyOrderEvent, foldOrderEvents, TERMINAL, type WatchedOrder } from './fold.ts'

export type OrderSource = {
  /** A running (Open or Active) order by its 32-byte key, as telemetry names it. */
  get: (key: Hex) => WatchedOrder | undefined
  byId: (orderId: bigint) => WatchedOrder | undefined
  /** Every running order, oldest first. */
  list: () => WatchedOrder[]
  /** Whether `device` is the key registered for the running order `key` (OrderOpened's terms.device). */
  isDevice: (key: Hex, device: Address) => boolean
  /** Every service an order was opened for since the start block. */
  serviceIds: () => bigint[]
}

export function createChainOrderSource(store: Store): OrderSource & FollowerListener {
  let orders = new Map<bigint, WatchedOrder>()
  const byKey = new Map<string, bigint>()
  const services = new Set<bigint>()

  const index = () => {
    byKey.clear()
    for (const o of orders.values()) byKey.set(o.key.toLowerCase(), o.orderId)
  }
  const rebuild = () => {
    orders = foldOrderEvents(store.chain.openOrderEvents())
    index()
    services.clear()
    for (const s of store.chain.orderServiceIds()) services.add(s)
  }
  rebuild()

  const get = (key: Hex) => {
    const id = byKey.get(key.toLowerCase())
    return id === undefined ? undefined : orders.get(id)
  }
  return {
    get,
    byId: (orderId) => orders.get(orderId),
    list: () => [...orders.values()],
    isDevice: (key, device) => get(key)?.terms.device.toLowerCase() === device.toLowerCase(),
    serviceIds: () => [...services],
    onEvents: (events: StoredEvent[]) => {
      for (const e of events) {
        if (e.orderId === undefined) continue
        applyOrderEvent(orders, e)
        const o = orders.get(e.orderId)
        if (!o) continue
        if (e.name === 'OrderOpened') {
          byKey.set(o.key.toLowerCase(), o.orderId)
          services.add(o.serviceId)
        }
        if (TERMINAL.has(o.status)) {
          orders.delete(o.orderId)
          byKey.delete(o.key.toLowerCase())
        }
      }
    },
    onRollback: () => rebuild(),
  }
}
