/**
 * Where the indexer's logs come from: eth_getLogs over the deployment's core contracts, then over every vault
 * the factory made (including vaults created inside the same range, found in the first query's VaultCreated
 * logs), merged in chain order. A failing or too-large range is split in halves down to one block, then retried
 * with backoff: public RPCs cap the logs or the blocks of one query, and a local node may time out on huge ones.
 */
import {
  type Address,
  formatLog,
  type Hex,
  type Log,
  numberToHex,
  type PublicClient,
  type RpcLog,
} from 'viem'
import { sleep } from '../../chain/retry.ts'
import { SuretyError } from '../../errors.ts'
import type { SuretyAddresses } from '../../sdk/types.ts'
import type { ContractKind } from '../events.ts'
import type { StoredEvent } from '../follower/eventRepo.ts'
import type { LogSource } from '../follower/follower.ts'
import { decodeLog, selectorOf } from './decode.ts'

const VAULT_CREATED = selectorOf('factory', 'VaultCreated')
const ADDRESSES_PER_QUERY = 500

export type IndexerLogSource = LogSource & {
  /** Vaults known to the source (from the database at start, and every VaultCreated decoded since). */
  vaults: Set<string>
  /** Logs fetched and RPC requests made, for the progress line. */
  stats: { requests: number; splits: number }
}

export function createLogSource(deps: {
  client: PublicClient
  addresses: SuretyAddresses
  vaults: Iterable<string>
  retries?: number
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
  const stats = { requests: 0, splits: 0 }
  const retries = deps.retries ?? 5

  async function getLogs(address: string[], from: bigint, to: bigint, attempt = 0): Promise<Log[]> {
    try {
      stats.requests++
      const raw = (await deps.client.request({
        method: 'eth_getLogs',
        params: [{ address: address as Address[], fromBlock: numberToHex(from), toBlock: numberToHex(to) }],
      })) as RpcLog[]
      return raw.map((l) => formatLog(l))
    } catch (error) {
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

  async function fetch(from: bigint, to: bigint): Promise<Log[]> {
    const coreLogs = await getLogs([...core.keys()], from, to)
    const wanted = new Set(vaults)
    for (const l of coreLogs) {
      if (l.topics[0] === VAULT_CREATED && core.get(l.address.toLowerCase()) === 'factory' && l.topics[2]) {
        wanted.add(`0x${l.topics[2].slice(26)}`.toLowerCase())
      }
    }
    const list = [...wanted]
    const chunks: Promise<Log[]>[] = []
    for (let i = 0; i < list.length; i += ADDRESSES_PER_QUERY) {
      chunks.push(getLogs(list.slice(i, i + ADDRESSES_PER_QUERY), from, to))
    }
    const all = coreLogs.concat(...(await Promise.all(chunks)))
    return all.sort((a, b) =>
      a.blockNumber === b.blockNumber ? a.logIndex! - b.logIndex! : a.blockNumber! < b.blockNumber! ? -1 : 1,
    )
  }

  async function decode(logs: Log[]): Promise<StoredEvent[]> {
    const stamps = await timestamps(logs)
    // a vault's constructor mints its dead shares before the factory logs VaultCreated: know the vault first
    for (const l of logs) {
      if (l.topics[0] === VAULT_CREATED && core.get(l.address.toLowerCase()) === 'factory' && l.topics[2]) {
        vaults.add(`0x${l.topics[2].slice(26)}`.toLowerCase())
      }
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

  return { fetch, decode, vaults, stats }
}

export type { Hex }
