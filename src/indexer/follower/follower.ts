/**
 * Follows the chain at a confirmation depth and survives reorganisations: the one block follower of the node and
 * the indexer (handlers never know about forks; this file does).
 *
 * Only blocks at least `confirmations` below the head are processed, so the usual shallow reorg never reaches
 * the store. A deeper one is caught by comparing the hash stored for the cursor block with the chain's: the
 * follower then walks back over the hashes it stored (batch ends and every block that had an event) to the
 * newest one the chain still has, tells the store to forget everything above it, tells its listeners what was
 * removed, and processes the new branch from there. The node's derived state (open slashes, report states) is a
 * fold over stored events, so deleting orphaned events is all it takes; the indexer's store undoes its tables
 * from a change log.
 *
 * With a `finalityDepth` (the indexer), a reorg whose fork point is deeper than that halts with
 * ReorgTooDeepError before anything is changed: the store then still holds the old branch intact, and an
 * operator decides (a chain that reorganises below its own finality is a chain-level incident).
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
import { withRetry } from '../../chain/retry.ts'
import { SuretyError } from '../../errors.ts'
import type { BlockRef, StoredEvent } from './eventRepo.ts'

export type EventSource = { address: Address; abi: Abi }

export type FollowerListener = {
  /** Confirmed events, just committed. */
  onEvents?: (events: StoredEvent[]) => void
  /** Events that a reorg removed from the store. */
  onRollback?: (removed: StoredEvent[], to: BlockRef) => void
}

type MaybePromise<T> = T | Promise<T>

/** A processed range: its events, the block hashes seen (with timestamps when known), the new cursor. */
export type CommittedRange = {
  events: StoredEvent[]
  blocks: (BlockRef & { timestamp?: bigint | undefined })[]
  cursor: BlockRef
  /** The chain head when the range was read (the indexer derives the final block from it). */
  head: bigint
}

/** Where the follower keeps its cursor, block hashes and events: the node's SQLite repo, the indexer's tables. */
export type ChainStore = {
  cursor(): MaybePromise<BlockRef | undefined>
  /** Stored block hashes at or below `n`, newest first. */
  blocksAtOrBelow(n: bigint, limit: number): MaybePromise<BlockRef[]>
  /** Records a processed range atomically: all of it or nothing. */
  commitRange(range: CommittedRange): MaybePromise<unknown>
  /** Forgets everything above block `to` and moves the cursor there; returns the events removed. */
  rollbackTo(to: BlockRef): MaybePromise<StoredEvent[]>
  pruneBlocksBelow(n: bigint): MaybePromise<unknown>
}

export type FollowerMetrics = {
  chainHead: { set(v: number): void }
  lastBlock: { set(v: number): void }
  reorgs: { inc(): void }
  reorgDepth: { set(v: number): void }
}

export type FollowerLog = {
  warn(message: string, fields?: Record<string, unknown>): void
  debug(message: string, fields?: Record<string, unknown>): void
}

/** Where logs come from and how they decode; by default eth_getLogs over `sources` and their ABIs. */
export type LogSource = {
  fetch(from: bigint, to: bigint): Promise<Log[]>
  decode(logs: Log[]): MaybePromise<StoredEvent[]>
  /** Blocks to read in the next range, at most `max` (the source sizes ranges by the log density it saw). */
  rangeBlocks?(max: number): number
}

export type FollowerOptions = {
  confirmations: number
  batchBlocks: number
  startBlock: bigint
  /** How many stored hashes to keep below the cursor (the deepest reorg the follower can walk back cleanly). */
  keepBlocks?: number
  /** Retries of a failed block read before the tick fails (it is tried again on the next tick). */
  readRetries?: number
  /**
   * Blocks this far below the head are final: a reorg reaching below that halts (ReorgTooDeepError), and logs
   * of final blocks are not re-checked one block at a time (the range's end hash still is).
   */
  finalityDepth?: number
  /**
   * Read the next range while the current one is committed (the indexer's backfill): the RPC and this process
   * then work at the same time. Each range is still checked as a whole and committed in order.
   */
  readAhead?: boolean
}

/** A reorg replaced blocks the chain had declared final: nothing was rolled back; an operator must act. */
export class ReorgTooDeepError extends SuretyError {
  override name = 'ReorgTooDeepError'
  constructor(
    readonly cursor: BlockRef,
    readonly forkPoint: BlockRef,
    readonly finalityDepth: number,
  ) {
    super(
      `chain reorganisation of ${cursor.number - forkPoint.number} blocks (from ${cursor.number} back to ${forkPoint.number}) is deeper than the finality depth ${finalityDepth}: stopped without changing the index`,
      {
        details:
          'Blocks the index treated as final were replaced. Check the RPC endpoint is on the canonical chain; if the chain really reorganised that deep, raise the finality depth and rebuild the index (delete the database or use a new --schema).',
      },
    )
  }
}

export type TickResult =
  | { kind: 'idle'; head: bigint }
  | { kind: 'processed'; from: bigint; to: bigint; events: number }
  | { kind: 'reorg'; from: BlockRef; to: BlockRef; removed: number }
  | { kind: 'unstable' }

const errorFields = (error: unknown) => ({
  error: error instanceof Error ? error.message : String(error),
  errorType: error instanceof Error ? error.name : typeof error,
  ...(error instanceof SuretyError ? { retryable: error.retryable } : {}),
})

export function createFollower(deps: {
  client: PublicClient
  store: ChainStore
  sources: EventSource[]
  /** Overrides how logs are fetched and decoded (the indexer: every Surety contract, vaults found on the way). */
  logSource?: LogSource
  metrics: FollowerMetrics
  log: FollowerLog
  options: FollowerOptions
  listeners: FollowerListener[]
  /** Accumulates the time a tick waited for its range to be read (the benchmark's breakdown). */
  stats?: { readWaitMs: number }
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
      const stored = await store.blocksAtOrBelow(below, 64)
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
    if (options.finalityDepth !== undefined && cursor.number - to.number > BigInt(options.finalityDepth)) {
      throw new ReorgTooDeepError(cursor, to, options.finalityDepth)
    }
    const removed = await store.rollbackTo(to)
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

  type Read = { kind: 'read'; range: CommittedRange } | { kind: 'unstable' }

  /** Blocks of the next range from `from`: the log source's choice (sized by log density) or the fixed batch. */
  const rangeEnd = (from: bigint, target: bigint): bigint => {
    const size = BigInt(deps.logSource?.rangeBlocks?.(options.batchBlocks) ?? options.batchBlocks)
    return from + size - 1n < target ? from + size - 1n : target
  }

  /**
   * Reads and checks blocks [from, to] building on `parent` (the cursor, or the end of the range before when read
   * ahead): the first block must have `parent` as its parent, every block holding a log must still be the block the
   * log came from (above the final block), and the range's end must be the same block before and after the logs.
   */
  async function readRange(
    from: bigint,
    to: bigint,
    head: bigint,
    parent: BlockRef | undefined,
  ): Promise<Read> {
    const first = await client.getBlock({ blockNumber: from })
    if (parent && first.parentHash !== parent.hash) {
      // the block after our cursor does not build on it: the branch changed between our two reads
      return { kind: 'unstable' }
    }
    const endBefore = await client.getBlock({ blockNumber: to })
    const logs = deps.logSource
      ? await deps.logSource.fetch(from, to)
      : deps.sources.length === 0
        ? []
        : await client.getLogs({ address: deps.sources.map((s) => s.address), fromBlock: from, toBlock: to })
    // every block that has a log must still be the block the log came from (final blocks cannot change)
    const finalBelow = options.finalityDepth === undefined ? -1n : head - BigInt(options.finalityDepth)
    const logBlocks = new Map<bigint, Hex>()
    for (const l of logs) {
      if (l.blockNumber === null || l.blockHash === null) return { kind: 'unstable' }
      logBlocks.set(l.blockNumber, l.blockHash)
    }
    for (const [n, h] of logBlocks) {
      if (n === to ? endBefore.hash !== h : n > finalBelow && (await hashAt(n)) !== h)
        return { kind: 'unstable' }
    }
    const endAfter = await hashAt(to)
    if (endAfter !== endBefore.hash) return { kind: 'unstable' }

    const events = deps.logSource ? await deps.logSource.decode(logs) : decode(logs, deps.sources)
    const stamps = new Map<bigint, bigint>()
    for (const e of events) if (e.blockTimestamp !== undefined) stamps.set(e.blockNumber, e.blockTimestamp)
    const blocks: CommittedRange['blocks'] = [...logBlocks].map(([number, hash]) => ({
      number,
      hash,
      timestamp: stamps.get(number),
    }))
    blocks.push({ number: from, hash: first.hash!, timestamp: first.timestamp })
    const end: BlockRef = { number: to, hash: endBefore.hash! }
    blocks.push({ ...end, timestamp: endBefore.timestamp })
    return { kind: 'read', range: { events, blocks, cursor: end, head } }
  }

  /**
   * The next range, read while the one before is committed (`options.readAhead`): on two cores the RPC serves it
   * while this process applies and writes. It is used only if the cursor is exactly the block it was read to
   * build on; anything else (a failed commit, a reorg) drops it, after it settled, so a stale read never runs
   * alongside a rollback or the next read.
   */
  let ahead: { parent: BlockRef; read: Promise<Read> } | undefined

  async function dropAhead(): Promise<void> {
    const a = ahead
    ahead = undefined
    if (a) await a.read.catch(() => undefined)
  }

  async function tick(): Promise<TickResult> {
    const head = await client.getBlockNumber({ cacheTime: 0 })
    metrics.chainHead.set(Number(head))
    const cursor = await store.cursor()
    if (cursor && cursor.number >= 0n && cursor.hash !== '0x') {
      const onChain = await hashAt(cursor.number)
      if (onChain !== cursor.hash) {
        await dropAhead()
        return rollback(cursor)
      }
    }
    const last = cursor?.number ?? options.startBlock - 1n
    const target = head - BigInt(options.confirmations)
    if (target <= last) {
      await dropAhead()
      return { kind: 'idle', head }
    }
    const from = last + 1n
    const parent = cursor && cursor.hash !== '0x' ? cursor : undefined
    const usable =
      ahead && parent && ahead.parent.number === parent.number && ahead.parent.hash === parent.hash
        ? ahead.read
        : undefined
    if (!usable) await dropAhead()
    ahead = undefined
    const waitStart = performance.now()
    const read = await (usable ?? readRange(from, rangeEnd(from, target), head, parent))
    if (deps.stats) deps.stats.readWaitMs += performance.now() - waitStart
    if (read.kind === 'unstable') return { kind: 'unstable' }
    const { range } = read
    const to = range.cursor.number
    if (options.readAhead && to < target) {
      const next = to + 1n
      const pending = readRange(next, rangeEnd(next, target), head, range.cursor)
      pending.catch(() => undefined) // observed when used or dropped; never an unhandled rejection meanwhile
      ahead = { parent: range.cursor, read: pending }
    }
    await store.commitRange(range)
    if (to > keep) await store.pruneBlocksBelow(to - keep)
    metrics.lastBlock.set(Number(to))
    const events = range.events
    if (events.length) log.debug('confirmed events', { from, to, events: events.map((e) => e.name) })
    for (const l of deps.listeners) l.onEvents?.(events)
    return { kind: 'processed', from, to, events: events.length }
  }

  return {
    tick,
    /** Waits for a read-ahead still in flight and forgets it (before stopping). */
    stop: dropAhead,
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
