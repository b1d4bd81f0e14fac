/**
 * Follows the chain at a confirmation depth and survives reorganisations.
 *
 * Only blocks at least `confirmations` below the head are processed, so the usual shallow reorg never reaches
 * the store. A deeper one is caught by comparing the hash stored for the cursor block with the chain's: the
 * follower then walks back over the hashes it stored (batch ends and every block that had an event) to the
 * newest one the chain still has, deletes every event above it, tells its listeners what was removed, and
 * processes the new branch from there. Derived state (open slashes, report states) is a fold over stored events,
 * so deleting orphaned events is all it takes to stop acting on them.
 */
import {
  type Abi,
  type Address,
  BlockNotFoundError,
  type Hex,
  type Log,
  type PublicClient,
  parseEventLogs,
} from 'viem'
import { SuretyError } from '../../errors.ts'
import { errorFields, type Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import { withRetry } from '../retry.ts'
import type { BlockRef, StoredEvent } from '../store/chainRepo.ts'
import type { Store } from '../store/store.ts'

export type EventSource = { address: Address; abi: Abi }

export type FollowerListener = {
  /** Confirmed events, just committed. */
  onEvents?: (events: StoredEvent[]) => void
  /** Events that a reorg removed from the store. */
  onRollback?: (removed: StoredEvent[], to: BlockRef) => void
}

export type FollowerOptions = {
  confirmations: number
  batchBlocks: number
  startBlock: bigint
  /** How many stored hashes to keep below the cursor (the deepest reorg the follower can walk back cleanly). */
  keepBlocks?: number
  /** Retries of a failed block read before the tick fails (it is tried again on the next tick). */
  readRetries?: number
}

export type TickResult =
  | { kind: 'idle'; head: bigint }
  | { kind: 'processed'; from: bigint; to: bigint; events: number }
  | { kind: 'reorg'; from: BlockRef; to: BlockRef; removed: number }
  | { kind: 'unstable' }

export function createFollower(deps: {
  client: PublicClient
  store: Store
  sources: EventSource[]
  metrics: NodeMetrics
  log: Logger
  options: FollowerOptions
  listeners: FollowerListener[]
}) {
  const { client, store, metrics, log, options } = deps
  const keep = BigInt(options.keepBlocks ?? 10_000)

  /**
   * The chain's hash at height `n`, or undefined only when the chain says there is no such block (a reorg to a
   * shorter branch). Any other failure (the RPC down, a timeout, a 5xx) is retried with backoff and then thrown:
   * an error is never read as absence, which would turn one failed read into a reorg and an outage during the
   * walk-back into a rollback to the start block that deletes every stored event.
   */
  const hashAt = (n: bigint): Promise<Hex | undefined> =>
    withRetry(
      async () => {
        try {
          return (await client.getBlock({ blockNumber: n })).hash ?? undefined
        } catch (error) {
          if (error instanceof BlockNotFoundError) return undefined
          throw new SuretyError(`cannot read block ${n} from the RPC`, { retryable: true, cause: error })
        }
      },
      {
        retries: options.readRetries ?? 4,
        baseMs: 200,
        maxMs: 5_000,
        onRetry: (error, attempt, delayMs) =>
          log.warn('block read failed, retrying', { block: n, attempt, delayMs, ...errorFields(error) }),
      },
    )

  async function findForkPoint(cursor: BlockRef): Promise<BlockRef> {
    let below = cursor.number - 1n
    for (;;) {
      const stored = store.chain.blocksAtOrBelow(below, 64)
      if (stored.length === 0) break
      for (const b of stored) {
        if ((await hashAt(b.number)) === b.hash) return b
      }
      below = stored.at(-1)!.number - 1n
    }
    // nothing we stored survives: start again from the configured start block
    const start = options.startBlock - 1n
    const hash = start >= 0n ? await hashAt(start) : undefined
    return { number: start, hash: hash ?? ('0x' as Hex) }
  }

  async function rollback(cursor: BlockRef): Promise<TickResult> {
    const to = await findForkPoint(cursor)
    const removed = store.chain.rollbackTo(to)
    metrics.reorgs.inc()
    metrics.reorgDepth.set(Number(cursor.number - to.number))
    metrics.lastBlock.set(Number(to.number))
    log.warn('chain reorganisation: rolled back', {
      from: cursor.number,
      to: to.number,
      removedEvents: removed.length,
    })
    for (const l of deps.listeners) l.onRollback?.(removed, to)
    return { kind: 'reorg', from: cursor, to, removed: removed.length }
  }

  async function tick(): Promise<TickResult> {
    const head = await client.getBlockNumber({ cacheTime: 0 })
    metrics.chainHead.set(Number(head))
    const cursor = store.chain.cursor()
    if (cursor && cursor.number >= 0n && cursor.hash !== '0x') {
      const onChain = await hashAt(cursor.number)
      if (onChain !== cursor.hash) return rollback(cursor)
    }
    const last = cursor?.number ?? options.startBlock - 1n
    const target = head - BigInt(options.confirmations)
    if (target <= last) return { kind: 'idle', head }
    const from = last + 1n
    const to =
      from + BigInt(options.batchBlocks) - 1n < target ? from + BigInt(options.batchBlocks) - 1n : target

    const first = await client.getBlock({ blockNumber: from })
    if (cursor && cursor.hash !== '0x' && first.parentHash !== cursor.hash) {
      // the block after our cursor does not build on it: the branch changed between our two reads
      return { kind: 'unstable' }
    }
    const endBefore = await client.getBlock({ blockNumber: to })
    const logs =
      deps.sources.length === 0
        ? []
        : await client.getLogs({ address: deps.sources.map((s) => s.address), fromBlock: from, toBlock: to })
    // every block that has a log must still be the block the log came from
    const logBlocks = new Map<bigint, Hex>()
    for (const l of logs) {
      if (l.blockNumber === null || l.blockHash === null) return { kind: 'unstable' }
      logBlocks.set(l.blockNumber, l.blockHash)
    }
    for (const [n, h] of logBlocks) {
      if (n === to ? endBefore.hash !== h : (await hashAt(n)) !== h) return { kind: 'unstable' }
    }
    const endAfter = await hashAt(to)
    if (endAfter !== endBefore.hash) return { kind: 'unstable' }

    const events = decode(logs, deps.sources)
    const blocks: BlockRef[] = [...logBlocks].map(([number, hash]) => ({ number, hash }))
    blocks.push({ number: from, hash: first.hash! })
    const end: BlockRef = { number: to, hash: endBefore.hash! }
    blocks.push(end)
    store.chain.commitRange({ events, blocks, cursor: end })
    if (to > keep) store.chain.pruneBlocksBelow(to - keep)
    metrics.lastBlock.set(Number(to))
    if (events.length) log.debug('confirmed events', { from, to, events: events.map((e) => e.name) })
    for (const l of deps.listeners) l.onEvents?.(events)
    return { kind: 'processed', from, to, events: events.length }
  }

  return {
    tick,
    /** Processes until caught up with head − confirmations (or `maxTicks` ran). */
    async catchUp(maxTicks = 1_000): Promise<void> {
      for (let i = 0; i < maxTicks; i++) {
        const r = await tick()
        if (r.kind === 'idle') return
      }
      throw new SuretyError('chain follower did not catch up', { retryable: true })
    },
  }
}

function decode(logs: Log[], sources: EventSource[]): StoredEvent[] {
  const out: StoredEvent[] = []
  for (const source of sources) {
    const mine = logs.filter((l) => l.address.toLowerCase() === source.address.toLowerCase())
    const parsed = parseEventLogs({ abi: source.abi, logs: mine, strict: false })
    for (const e of parsed) {
      const args = (e.args ?? {}) as Record<string, unknown>
      out.push({
        blockNumber: e.blockNumber!,
        logIndex: e.logIndex!,
        blockHash: e.blockHash!,
        txHash: e.transactionHash!,
        name: e.eventName as string,
        slashId: typeof args.slashId === 'string' ? (args.slashId as Hex) : undefined,
        vault: typeof args.vault === 'string' ? (args.vault as Hex) : undefined,
        orderId: typeof args.orderId === 'bigint' ? args.orderId : undefined,
        args,
      })
    }
  }
  return out.sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  )
}
