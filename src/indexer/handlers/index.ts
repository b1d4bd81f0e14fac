/** Every contract's handlers, by contract kind. */
import type { ContractKind } from '../events.ts'
import { courtHandlers } from './court.ts'
import { factoryHandlers } from './factory.ts'
import { ordersHandlers } from './orders.ts'
import { registryHandlers } from './registry.ts'
import { rewardsHandlers } from './rewards.ts'
import type { ContractHandlers } from './types.ts'
import { vaultHandlers } from './vault.ts'

export const HANDLERS: { [K in ContractKind]: ContractHandlers<K> } = {
  factory: factoryHandlers,
  vault: vaultHandlers,
  registry: registryHandlers,
  court: courtHandlers,
  rewards: rewardsHandlers,
  orders: ordersHandlers,
}
