/**
 * Where the node learns an order's terms and the device keys allowed to report on it. Until the OrderBook
 * contract registers them on chain, the node's config is the source; an on-chain source will implement the same
 * interface, so ingestion and the judge do not change.
 */
import type { Address, Hex } from 'viem'
import type { NodeConfig, OrderConfig } from '../config.ts'

export type OrderTerms = OrderConfig & { serviceId: bigint }

export type OrderSource = {
  get: (orderId: Hex) => OrderTerms | undefined
  list: () => OrderTerms[]
  isDevice: (orderId: Hex, device: Address) => boolean
}

export function configOrderSource(config: NodeConfig): OrderSource {
  const byId = new Map<string, OrderTerms>()
  for (const s of config.services) {
    for (const o of s.orders) byId.set(o.orderId.toLowerCase(), { ...o, serviceId: BigInt(s.serviceId) })
  }
  return {
    get: (orderId) => byId.get(orderId.toLowerCase()),
    list: () => [...byId.values()],
    isDevice: (orderId, device) =>
      byId.get(orderId.toLowerCase())?.devices.some((d) => d.toLowerCase() === device.toLowerCase()) ?? false,
  }
}
