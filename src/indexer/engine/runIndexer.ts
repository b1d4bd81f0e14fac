/**
 * The indexer process: opens (and migrates) the database, checks it belongs to this chain and deployment, and
 * drives the block follower until stopped. Catch-up runs range after range without pause; at the head it polls.
 * A reorg deeper than the finality depth halts with ReorgTooDeepError (recorded as `halted` in indexer_state);
 * any other failure of a tick is logged and retried with backoff, since RPCs and databases come back.
 */
import type { PublicClient } from 'viem'
import { backoffDelay, sleepUnlessAborted } from '../../chain/retry.ts'
import { InvalidInputError, SuretyError } from '../../errors.ts'
import type { SuretyAddresses } from '../../sdk/types.ts'
import type { IndexerDb } from '../db/open.ts'
import { createFollower, type FollowerLog, ReorgTooDeepError, type TickResult } from '../follower/follower.ts'
import { type CommitInfo, createIndexerStore } from './indexerStore.ts'
import { createLogSource } from './logSource.ts'
import type { RangeSizing } from './rangeSize.ts'
import { type IndexerStats, newIndexerStats } from './stats.ts'

export type IndexerOptions = {
  client: PublicClient
  idb: IndexerDb
  chainId: number
  addresses: SuretyAddresses
  /** First block to read on a fresh database (the deployment's block). */
  startBlock: bigint
  /** Blocks below head − depth are final (default 12). */
  finalityDepth?: number
  /**
   * Most blocks per eth_getLogs range (default 2,000): ranges are sized by log density up to this, and halved
   * automatically when the RPC refuses one.
   */
  batchBlocks?: number
  /** How ranges are sized (tests and the benchmark; the default suits both a backfill and a sparse chain). */
  sizing?: RangeSizing
  maxEventsPerCommit?: number
  pollMs?: number
  log?: FollowerLog & { info(message: string, fields?: Record<string, unknown>): void }
  onCommit?: (info: CommitInfo) => void
}

export type Indexer = {
  /** One follower step (tests drive it directly). */
  tick(): Promise<TickResult>
  /** Steps until caught up with the head. */
  catchUp(): Promise<void>
  /** Runs until `signal` aborts; rejects on a halting error. */
  run(signal: AbortSignal): Promise<void>
  /** Where the time went so far: reading, decoding, applying, writing (the benchmark prints it). */
  stats: IndexerStats
}

const silent = { warn() {}, debug() {}, info() {} }

export async function createIndexer(o: IndexerOptions): Promise<Indexer> {
  const log = o.log ?? silent
  const finalityDepth = o.finalityDepth ?? 12
  const stats = newIndexerStats()
  const store = createIndexerStore(o.idb, { finalityDepth, maxEventsPerCommit: o.maxEventsPerCommit, stats })
  await checkIdentity(store, o)
  const halted = await store.readState('halted')
  if (halted) {
    throw new SuretyError(`this index halted earlier and stays stopped: ${halted}`, {
      details: 'Rebuild it from the chain: delete the SQLite file or use a new --schema.',
    })
  }
  const source = createLogSource({
    client: o.client,
    addresses: o.addresses,
    vaults: await store.vaultAddresses(),
    stats,
    ...(o.sizing ? { sizing: o.sizing } : {}),
    onRetry: (error, from, to, attempt) =>
      log.warn('log read failed, retrying', { from, to, attempt, error: (error as Error).message }),
  })
  store.onCommit = o.onCommit
  const metric = { set() {}, inc() {} }
  const follower = createFollower({
    client: o.client,
    store,
    sources: [],
    logSource: source,
    metrics: { chainHead: metric, lastBlock: metric, reorgs: metric, reorgDepth: metric },
    log,
    options: {
      confirmations: 0,
      batchBlocks: o.batchBlocks ?? 2_000,
      startBlock: o.startBlock,
      finalityDepth,
      keepBlocks: Math.max(1_000, finalityDepth * 4),
      readAhead: true,
    },
    stats,
    listeners: [
      {
        onRollback: (removed, to) => {
          log.warn('reorg: rolled the index back', { to: to.number, removedEvents: removed.length })
          // vaults created on the orphaned branch are forgotten with it
          source.resetVaults(() => store.vaultAddresses())
        },
      },
    ],
  })

  async function tick(): Promise<TickResult> {
    try {
      return await follower.tick()
    } catch (error) {
      if (error instanceof ReorgTooDeepError) {
        await store.writeState({ halted: error.message })
        log.warn('halted: reorg deeper than the finality depth', { error: error.message })
      }
      throw error
    }
  }

  return {
    tick,
    stats,
    async catchUp() {
      try {
        for (;;) {
          const r = await tick()
          if (r.kind === 'idle') return
        }
      } finally {
        await follower.stop()
      }
    },
    async run(signal) {
      try {
        let failures = 0
        while (!signal.aborted) {
          let r: TickResult
          try {
            r = await tick()
            failures = 0
          } catch (error) {
            if (
              error instanceof ReorgTooDeepError ||
              (!(error instanceof SuretyError && error.retryable) && failures > 8)
            )
              throw error
            failures++
            const delay = backoffDelay(failures, 500, 30_000, Math.random)
            log.warn('indexer step failed, retrying', {
              attempt: failures,
              delayMs: delay,
              error: (error as Error).message,
            })
            // a stop during a long back-off (the chain went away first) does not wait it out
            await sleepUnlessAborted(delay, signal)
            continue
          }
          if (r.kind === 'idle' || r.kind === 'unstable') await sleepUnlessAborted(o.pollMs ?? 1_000, signal)
        }
      } finally {
        // a read-ahead in flight settles before the database is closed
        await follower.stop()
      }
    },
  }
}

/** A database indexes one deployment of one chain: refuse another (use another file or --schema). */
async function checkIdentity(store: ReturnType<typeof createIndexerStore>, o: IndexerOptions): Promise<void> {
  const addresses = JSON.stringify(
    Object.fromEntries(Object.entries(o.addresses).map(([k, v]) => [k, (v as string).toLowerCase()])),
  )
  const chainId = await store.readState('chain_id')
  const stored = await store.readState('addresses')
  if (chainId !== undefined && Number(chainId) !== o.chainId) {
    throw new InvalidInputError(
      `this database indexes chain ${chainId}, not chain ${o.chainId}: use another --database file or --schema`,
    )
  }
  if (stored !== undefined && stored !== addresses) {
    throw new InvalidInputError(
      'this database indexes another deployment of this chain: use another --database file or --schema',
    )
  }
  if (chainId === undefined) {
    await store.writeState({
      chain_id: String(o.chainId),
      addresses,
      start_block: o.startBlock.toString(),
      finality_depth: String(o.finalityDepth ?? 12),
    })
  }
}
