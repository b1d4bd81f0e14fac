/**
 * The typed event core: every Surety contract's events, their arguments typed from the `as const` ABIs the
 * compiler generates (src/generated/contracts.ts), so a contract change that renames or retypes an argument breaks
 * the handlers at compile time, not at run time.
 */
import type { Address, ContractEventArgsFromTopics, ContractEventName, Hex } from 'viem'
import {
  operatorVaultAbi,
  orderBookAbi,
  rewardsDistributorAbi,
  serviceRegistryAbi,
  slashingCourtAbi,
  vaultFactoryAbi,
} from '../generated/contracts.ts'

export const CONTRACT_ABIS = {
  factory: vaultFactoryAbi,
  vault: operatorVaultAbi,
  registry: serviceRegistryAbi,
  court: slashingCourtAbi,
  rewards: rewardsDistributorAbi,
  orders: orderBookAbi,
} as const

export type ContractKind = keyof typeof CONTRACT_ABIS
export type ContractAbi<K extends ContractKind> = (typeof CONTRACT_ABIS)[K]
export type EventName<K extends ContractKind> = ContractEventName<ContractAbi<K>>
export type EventArgs<K extends ContractKind, N extends EventName<K>> = ContractEventArgsFromTopics<
  ContractAbi<K>,
  N
>

/** Where and when an event happened. */
export type EventMeta = {
  address: Address
  blockNumber: bigint
  logIndex: number
  blockHash: Hex
  txHash: Hex
  /** The block's timestamp, seconds. */
  timestamp: bigint
}

/** One decoded event of contract kind K, named N, with its typed arguments. */
export type IndexedEvent<
  K extends ContractKind = ContractKind,
  N extends EventName<K> = EventName<K>,
> = EventMeta & {
  contract: K
  name: N
  args: EventArgs<K, N>
}
