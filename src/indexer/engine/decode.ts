/**
 * Decodes raw logs of Surety contracts into typed events. The selector of every event is computed once here
 * (viem's decodeEventLog hashes the ABI item on each call, which would dominate a backfill), and arguments are
 * decoded with decodeAbiParameters straight from the topics and the data.
 */
import {
  type AbiEvent,
  type AbiParameter,
  decodeAbiParameters,
  type Hex,
  type Log,
  toEventSelector,
} from 'viem'
import { CONTRACT_ABIS, type ContractKind, type IndexedEvent } from '../events.ts'

type Decoder = { name: string; indexed: AbiParameter[]; data: readonly AbiParameter[] }

const DECODERS: Record<ContractKind, Map<Hex, Decoder>> = Object.fromEntries(
  Object.entries(CONTRACT_ABIS).map(([kind, abi]) => {
    const map = new Map<Hex, Decoder>()
    for (const item of abi as readonly { type: string }[]) {
      if (item.type !== 'event') continue
      const ev = item as AbiEvent
      map.set(toEventSelector(ev), {
        name: ev.name,
        indexed: ev.inputs.filter((i) => i.indexed),
        data: ev.inputs.filter((i) => !i.indexed),
      })
    }
    return [kind, map]
  }),
) as Record<ContractKind, Map<Hex, Decoder>>

/** Selectors of an event name in a contract's ABI (the factory's VaultCreated, to find new vaults). */
export const selectorOf = (kind: ContractKind, name: string): Hex => {
  for (const [sel, d] of DECODERS[kind]) if (d.name === name) return sel
  throw new Error(`no event ${name} in ${kind}`)
}

/** One log of a contract of `kind` into a typed event, or undefined when the ABI has no such event. */
export function decodeLog(kind: ContractKind, log: Log, timestamp: bigint): IndexedEvent | undefined {
  const topics = log.topics as Hex[]
  const d = DECODERS[kind].get(topics[0]!)
  if (!d) return undefined
  const args: Record<string, unknown> = {}
  for (let i = 0; i < d.indexed.length; i++) {
    const p = d.indexed[i]!
    args[p.name!] = decodeAbiParameters([p], topics[i + 1]!)[0]
  }
  if (d.data.length > 0) {
    const values = decodeAbiParameters(d.data, log.data)
    for (let i = 0; i < d.data.length; i++) args[d.data[i]!.name!] = values[i]
  }
  return {
    contract: kind,
    name: d.name,
    args,
    address: log.address.toLowerCase() as Hex,
    blockNumber: log.blockNumber!,
    logIndex: log.logIndex!,
    blockHash: log.blockHash!,
    txHash: log.transactionHash!,
    timestamp,
  } as IndexedEvent
}
