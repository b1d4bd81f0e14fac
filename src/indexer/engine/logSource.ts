/**
 * Where the indexer's logs come from: eth_getLogs over the deployment's core contracts and every vault the factory
 * made (one query, 500 addresses at most), then over the vaults created inside the same range (found in that
 * query's VaultCreated logs), merged in chain order.
 *
 * Ranges are sized by the log density of the last one (rangeSize.ts), so a dense backfill asks for a few thousand
 * logs at a time: well inside RPC response limits, and small enough to read the next range while this one is
 * written. A range the RPC still refuses or fails is split in halves down to one block, then retried with backoff
 * (the client's own retries are off for eth_getLogs: retrying a response that was too large only repeats it).
 */
import type { Address, Hex, Log, PublicClient, RpcLog } from 'viem'
import { numberToHex } from 'viem'
import { sleep } from '../../chain/retry.ts'
import { SuretyError } from '../../errors.ts'
import type { SuretyAddresses } from '../../sdk/types.ts'
import type { ContractKind } from '../events.ts'
import type { StoredEvent } from '../follower/eventRepo.ts'
import type { LogSource } from '../follower/follower.ts'
import { decodeLog, selectorOf } from './decode.ts'
import { nextRangeBlocks, type RangeSizing } from './rangeSize.ts'
import { type IndexerStats, newIndexerStats } from './stats.ts'

const VAULT_CREATED = selectorOf('factory', 'VaultCreated')
const ADDRESSES_PER_QUERY = 500

export type IndexerLogSource = LogSource & {
  rangeBlocks(max: number): number
  /** Vaults known to the source (from the database at start, and every VaultCreated decoded since). */
  vaults: Set<string>
  /**
   * Replaces the known vaults with `load()`'s before the next read (after a reorg: vaults of the orphaned branch
   * are forgotten with it). A failing load fails that read, and is tried again by the next.
   */
  resetVaults(load: () => Promise<Iterable<string>>): void
  stats: IndexerStats
}

/** A log as the RPC sends it, with the few conversions the indexer needs (viem's formatLog does far more). */
export function toLog(raw: RpcLog): Log {
  const ts = (raw as RpcLog & { blockTimestamp?: Hex | null }).blockTimestamp
  return {
    address: raw.address,
    topics: raw.topics,
    data: raw.data,
    blockHash: raw.blockHash,
    blockNumber: raw.blockNumber === null ? null : BigInt(raw.blockNumber),
    logIndex: raw.logIndex === null ? null : Number(raw.logIndex),
    transactionHash: raw.transactionHash,
    transactionIndex: raw.transactionIndex === null ? null : Number(raw.transactionIndex),
    removed: raw.removed,
    ...(ts ? { blockTimestamp: BigInt(ts) } : {}),
  } as Log
}

const chainOrder = (a: Log, b: Log) =>
  a.blockNumber === b.blockNumber ? a.logIndex! - b.logIndex! : a.blockNumber! < b.blockNumber! ? -1 : 1

export function createLogSource(deps: {
  client: PublicClient
  addresses: SuretyAddresses
  vaults: Iterable<string>
  retries?: number
  sizing?: RangeSizing
  stats?: IndexerStats
  onRetry?: (error: unknown, from: bigint, to: bigint, attempt: number) => void
}): IndexerLogSource {
  const core = new Map<string, ContractKind>([
    [deps.addresses.factory.toLowerCase(), 'factory'],
    [deps.addresses.registry.toLowerCase(), 'registry'],
    [deps.addresses.court.toLowerCase(), 'court'],
    [deps.addresses.rewards.toLowerCase(), 'rewards'],
    [deps.addresses.orders.toLowerCase(), 'orders'],
  ])
  const vaults = new Set([...deps.vaults].map((v) => v.toLowerCase()))
  const stats = deps.stats ?? newIndexerStats()
  const retries = deps.retries ?? 5
  let last: { blocks: number; logs: number } | undefined
  let reset: (() => Promise<Iterable<string>>) | undefined

  async function getLogs(address: string[], from: bigint, to: bigint, attempt = 0): Promise<Log[]> {
    const started = performance.now()
    try {
      stats.requests++
      const raw = (await deps.client.request(
        {
          method: 'eth_getLogs',
          params: [{ address: address as Address[], fromBlock: numberToHex(from), toBlock: numberToHex(to) }],
        },
        { retryCount: 0 },
      )) as RpcLog[]
      const logs = raw.map(toLog)
      stats.rpcMs += performance.now() - started
      return logs
    } catch (error) {
      stats.rpcMs += performance.now() - started
      if (to > from) {
        stats.splits++
        const mid = from + (to - from) / 2n
        const [a, b] = await Promise.all([getLogs(address, from, mid), getLogs(address, mid + 1n, to)])
        return a.concat(b)
      }
      if (attempt >= retries) {
        throw new SuretyError(
          `cannot read the logs of block ${from} from the RPC after ${retries + 1} attempts`,
          {
            cause: error,
            retryable: true,
          },
        )
      }
      deps.onRetry?.(error, from, to, attempt + 1)
      await sleep(Math.min(5_000, 200 * 2 ** attempt))
      return getLogs(address, from, to, attempt + 1)
    }
  }

  const inChunks = async (list: string[], from: bigint, to: bigint): Promise<Log[]> => {
    const chunks: Promise<Log[]>[] = []
    for (let i = 0; i < list.length; i += ADDRESSES_PER_QUERY)
      chunks.push(getLogs(list.slice(i, i + ADDRESSES_PER_QUERY), from, to))
    return (await Promise.all(chunks)).flat()
  }

  const createdVault = (l: Log): string | undefined =>
    l.topics[0] === VAULT_CREATED && core.get(l.address.toLowerCase()) === 'factory' && l.topics[2]
      ? `0x${l.topics[2].slice(26)}`.toLowerCase()
      : undefined

  async function fetch(from: bigint, to: bigint): Promise<Log[]> {
    if (reset) {
      const known = await reset()
      vaults.clear()
      for (const v of known) vaults.add(v.toLowerCase())
      reset = undefined
    }
    const logs = await inChunks([...core.keys(), ...vaults], from, to)
    const created = new Set<string>()
    for (const l of logs) {
      const v = createdVault(l)
      if (v && !vaults.has(v)) created.add(v)
    }
    if (created.size > 0) logs.push(...(await inChunks([...created], from, to)))
    last = { blocks: Number(to - from) + 1, logs: logs.length }
    stats.logs += logs.length
    return logs.sort(chainOrder)
  }

  async function decode(logs: Log[]): Promise<StoredEvent[]> {
    const stamps = await timestamps(logs)
    const started = performance.now()
    // a vault's constructor mints its dead shares before the factory logs VaultCreated: know the vault first
    for (const l of logs) {
      const v = createdVault(l)
      if (v) vaults.add(v)
    }
    const out: StoredEvent[] = []
    for (const l of logs) {
      const address = l.address.toLowerCase()
      const kind = core.get(address) ?? (vaults.has(address) ? 'vault' : undefined)
      if (!kind) continue
      const e = decodeLog(kind, l, stamps.get(l.blockNumber!)!)
      if (!e) continue
      out.push({
        blockNumber: e.blockNumber,
        logIndex: e.logIndex,
        blockHash: e.blockHash,
        txHash: e.txHash,
        name: e.name,
        args: e.args as Record<string, unknown>,
        address: e.address,
        contract: e.contract,
        blockTimestamp: e.timestamp,
      })
    }
    stats.decodeMs += performance.now() - started
    return out
  }

  /** Block timestamps of the logs: from the logs themselves when the RPC includes them, else from the blocks. */
  async function timestamps(logs: Log[]): Promise<Map<bigint, bigint>> {
    const out = new Map<bigint, bigint>()
    const missing = new Set<bigint>()
    for (const l of logs) {
      const ts = (l as Log & { blockTimestamp?: bigint | null }).blockTimestamp
      if (ts !== undefined && ts !== null) out.set(l.blockNumber!, ts)
      else if (!out.has(l.blockNumber!)) missing.add(l.blockNumber!)
    }
    const list = [...missing].filter((n) => !out.has(n))
    for (let i = 0; i < list.length; i += 50) {
      const blocks = await Promise.all(
        list
          .slice(i, i + 50)
          .map((n) => deps.client.getBlock({ blockNumber: n, includeTransactions: false })),
      )
      for (const b of blocks) out.set(b.number!, b.timestamp)
    }
    return out
  }

  return {
    fetch,
    decode,
    rangeBlocks: (max) => nextRangeBlocks(last, max, deps.sizing),
    vaults,
    resetVaults(load) {
      reset = load
    },
    stats,
  }
}
