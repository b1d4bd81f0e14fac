/**
 * The indexer's side of the block follower (its ChainStore): a processed range becomes one transaction per
 * slice of at most `maxEventsPerCommit` events (whole blocks only) holding the raw events, every table change,
 * the undo images of non-final blocks, the block hashes and the cursor — so a process killed at any moment
 * restarts from a cursor that matches its tables exactly, and nothing is lost or applied twice.
 *
 * A rollback restores, for every row a removed block changed, its image from before the oldest such change,
 * deletes the history rows above the fork, and records the reorg (the API's stream sends retractions from it).
 * It refuses to roll back below the final block: those blocks have no undo images, so it halts instead.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Hex } from 'viem'
import type { Dialect, IndexerDb } from '../db/open.ts'
import { type Database, ENTITY_TABLES, type EntityTable, HISTORY_TABLES } from '../db/schema.ts'
import type { IndexedEvent } from '../events.ts'
import type { BlockRef, StoredEvent } from '../follower/eventRepo.ts'
import { type ChainStore, type CommittedRange, ReorgTooDeepError } from '../follower/follower.ts'
import { HANDLERS } from '../handlers/index.ts'
import type { Read } from '../handlers/types.ts'
import { upsertRows } from './bulkSql.ts'
import { type Handlers, RangeWriter, UndeclaredRead } from './rangeWriter.ts'
import type { IndexerStats } from './stats.ts'
import { yielder } from './yielder.ts'

export type CommitInfo = { from: bigint; to: bigint; events: number; rows: number; finalBlock: bigint }

export type IndexerStore = ChainStore & {
  /** Called after each committed transaction (progress, metrics). */
  onCommit?: (info: CommitInfo) => void
  readState(key: string): Promise<string | undefined>
  writeState(values: Record<string, string>): Promise<void>
  vaultAddresses(): Promise<string[]>
}

export function createIndexerStore(
  idb: IndexerDb,
  options: {
    finalityDepth: number
    maxEventsPerCommit?: number
    stats?: IndexerStats
    /** The event handlers (tests replace some). */
    handlers?: Handlers
  },
): IndexerStore {
  const db = idb.db
  const handlers = options.handlers ?? HANDLERS
  const maxEvents = options.maxEventsPerCommit ?? 25_000

  const readState = async (key: string) =>
    (await db.selectFrom('indexer_state').select('value').where('key', '=', key).executeTakeFirst())?.value

  const writeStateIn = (trx: Kysely<Database> | Transaction<Database>, values: Record<string, string>) =>
    upsertRows(
      trx as unknown as Kysely<any>,
      idb.dialect,
      'indexer_state',
      ['key'],
      Object.entries(values).map(([key, value]) => ({ key, value })),
    )

  const cursorValue = (ref: BlockRef) => JSON.stringify({ number: ref.number.toString(), hash: ref.hash })

  async function commit(
    events: StoredEvent[],
    blocks: CommittedRange['blocks'],
    cursor: BlockRef,
    head: bigint,
    from: bigint,
  ): Promise<void> {
    const finalBlock = head - BigInt(options.finalityDepth)
    let rows = 0
    const started = performance.now()
    let applied = started
    // SQLite's driver is synchronous: let the read-ahead's requests and responses through now and then
    const breathe = yielder(4)
    await db.transaction().execute(async (trx) => {
      const typed = events.map(toIndexed)
      // rows a handler touched without declaring them: loaded with the rest when the range is applied again
      const extra: Read[] = []
      let w: RangeWriter
      for (;;) {
        w = new RangeWriter(trx, Number(finalBlock), idb.dialect, handlers)
        await w.prefetch(typed, extra)
        try {
          await w.apply(typed, breathe)
          break
        } catch (error) {
          if (!(error instanceof UndeclaredRead)) throw error
          extra.push(error.read)
          if (options.stats) options.stats.restarts++
        }
      }
      applied = performance.now()
      rows = (await w.flush(breathe)).rows
      const unique = new Map<bigint, (typeof blocks)[number]>()
      for (const b of blocks) if (!unique.has(b.number) || b.timestamp !== undefined) unique.set(b.number, b)
      await upsertRows(
        trx as unknown as Kysely<any>,
        idb.dialect,
        'blocks',
        ['number'],
        [...unique.values()].map((b) => ({
          number: Number(b.number),
          hash: b.hash.toLowerCase(),
          timestamp: b.timestamp === undefined ? 0 : Number(b.timestamp),
        })),
      )
      await writeStateIn(trx, {
        cursor: cursorValue(cursor),
        head: head.toString(),
        final_block: (finalBlock < cursor.number ? finalBlock : cursor.number).toString(),
      })
      // undo images of blocks that became final can never be used again
      await trx.deleteFrom('change_log').where('block_number', '<=', Number(finalBlock)).execute()
    })
    if (options.stats) {
      options.stats.ranges++
      options.stats.applyMs += applied - started
      options.stats.writeMs += performance.now() - applied
    }
    store.onCommit?.({ from, to: cursor.number, events: events.length, rows, finalBlock })
  }

  const store: IndexerStore = {
    async cursor() {
      const v = await readState('cursor')
      if (!v) return undefined
      const { number, hash } = JSON.parse(v) as { number: string; hash: Hex }
      return { number: BigInt(number), hash }
    },

    async blocksAtOrBelow(n, limit) {
      const rows = await db
        .selectFrom('blocks')
        .select(['number', 'hash'])
        .where('number', '<=', Number(n))
        .orderBy('number', 'desc')
        .limit(limit)
        .execute()
      return rows.map((r) => ({ number: BigInt(r.number), hash: r.hash as Hex }))
    },

    async commitRange(range) {
      // slices of whole blocks, each its own transaction with its own cursor (the last block it holds)
      let start = 0
      let from = range.blocks.reduce((m, b) => (b.number < m ? b.number : m), range.cursor.number)
      while (range.events.length - start > maxEvents) {
        let end = start + maxEvents
        const last = range.events[end - 1]!.blockNumber
        while (end < range.events.length && range.events[end]!.blockNumber === last) end++
        if (end >= range.events.length) break
        const slice = range.events.slice(start, end)
        const tail = slice.at(-1)!
        const blocks = range.blocks.filter((b) => b.number >= from && b.number <= last)
        await commit(slice, blocks, { number: last, hash: tail.blockHash }, range.head, from)
        start = end
        from = last + 1n
      }
      await commit(
        range.events.slice(start),
        range.blocks.filter((b) => b.number >= from),
        range.cursor,
        range.head,
        from,
      )
    },

    async rollbackTo(to) {
      const final = await readState('final_block')
      const cursor = await store.cursor()
      if (final !== undefined && cursor && to.number < BigInt(final)) {
        throw new ReorgTooDeepError(cursor, to, options.finalityDepth)
      }
      let removed: StoredEvent[] = []
      await db.transaction().execute(async (trx) => {
        const above = Number(to.number)
        const removedRows = await trx
          .selectFrom('events')
          .selectAll()
          .where('block_number', '>', above)
          .orderBy('block_number')
          .orderBy('log_index')
          .execute()
        removed = removedRows.map((r) => ({
          blockNumber: BigInt(r.block_number),
          logIndex: r.log_index,
          blockHash: r.block_hash as Hex,
          txHash: r.tx_hash as Hex,
          name: r.name,
          address: r.address as Hex,
          contract: r.contract,
          args: JSON.parse(r.args) as Record<string, unknown>,
        }))
        const log = await trx
          .selectFrom('change_log')
          .selectAll()
          .where('block_number', '>', above)
          .orderBy('block_number')
          .orderBy('seq')
          .execute()
        // the oldest image of each row is the row as it was at the fork point
        const oldest = new Map<string, (typeof log)[number]>()
        for (const entry of log) {
          const k = `${entry.table_name}|${entry.row_key}`
          if (!oldest.has(k)) oldest.set(k, entry)
        }
        for (const entry of oldest.values()) await restore(trx, idb.dialect, entry)
        for (const table of HISTORY_TABLES)
          await trx.deleteFrom(table).where('block_number', '>', above).execute()
        await trx.deleteFrom('change_log').where('block_number', '>', above).execute()
        await trx.deleteFrom('blocks').where('number', '>', above).execute()
        await upsertRows(
          trx as unknown as Kysely<any>,
          idb.dialect,
          'blocks',
          ['number'],
          [{ number: above, hash: to.hash.toLowerCase(), timestamp: 0 }],
        )
        const last = await trx
          .selectFrom('reorgs')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .executeTakeFirst()
        await trx
          .insertInto('reorgs')
          .values({
            seq: Number(last?.seq ?? 0) + 1,
            from_block: Number(cursor?.number ?? to.number),
            fork_block: above,
            fork_hash: to.hash.toLowerCase(),
            removed_events: JSON.stringify(removedRows.map((r) => [r.block_number, r.log_index, r.name])),
            detected_at: Math.floor(Date.now() / 1000),
          })
          .execute()
        await writeStateIn(trx, { cursor: cursorValue(to) })
      })
      return removed
    },

    async pruneBlocksBelow(n) {
      await db.deleteFrom('blocks').where('number', '<', Number(n)).execute()
    },

    readState,
    writeState: (values) => writeStateIn(db, values).then(() => undefined),
    async vaultAddresses() {
      return (await db.selectFrom('vaults').select('vault').execute()).map((r) => r.vault)
    },
  }
  return store
}

async function restore(
  trx: Transaction<Database>,
  dialect: Dialect,
  entry: Database['change_log'],
): Promise<void> {
  const table = entry.table_name as EntityTable
  const cols = ENTITY_TABLES[table] as readonly string[]
  const key = JSON.parse(entry.row_key) as unknown[]
  const db = trx as unknown as Kysely<any>
  if (entry.image === null) {
    let q = db.deleteFrom(table)
    cols.forEach((c, i) => {
      q = q.where(c, '=', key[i])
    })
    await q.execute()
    return
  }
  await upsertRows(db, dialect, table, cols, [JSON.parse(entry.image) as Record<string, unknown>])
}

function toIndexed(e: StoredEvent): IndexedEvent {
  return {
    contract: e.contract as IndexedEvent['contract'],
    name: e.name as never,
    args: e.args as never,
    address: e.address!,
    blockNumber: e.blockNumber,
    logIndex: e.logIndex,
    blockHash: e.blockHash,
    txHash: e.txHash,
    timestamp: e.blockTimestamp ?? 0n,
  }
}
