/**
 * The chain follower's durable state in a synchronous SQLite file (the node's store): its cursor, the block hashes
 * it has seen, and confirmed contract events (the raw event table; its DDL is the node store's first migrations).
 */
import type Database from 'better-sqlite3'
import type { Address, Hex } from 'viem'
import { fromJson, toJson } from './json.ts'

type Db = Database.Database

export type BlockRef = { number: bigint; hash: Hex }

export type StoredEvent = {
  blockNumber: bigint
  logIndex: number
  blockHash: Hex
  txHash: Hex
  name: string
  slashId?: Hex | undefined
  vault?: Hex | undefined
  /** Order book events: the order they are about. */
  orderId?: bigint | undefined
  args: Record<string, unknown>
  /** The emitting contract (lower case); set by the follower, not stored by this repository. */
  address?: Address | undefined
  /** The contract kind that emitted it (the indexer); not stored by this repository. */
  contract?: string | undefined
  /** The block's timestamp when the RPC returns it with the log; not stored by this repository. */
  blockTimestamp?: bigint | undefined
}

export function chainRepo(db: Db) {
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?')
  const setMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )
  const putBlock = db.prepare('INSERT OR REPLACE INTO blocks (number, hash) VALUES (?, ?)')
  const getBlock = db.prepare<[number], { hash: string }>('SELECT hash FROM blocks WHERE number = ?')
  const blocksBelow = db.prepare<[number, number], { number: number; hash: string }>(
    'SELECT number, hash FROM blocks WHERE number <= ? ORDER BY number DESC LIMIT ?',
  )
  const putEvent = db.prepare(
    `INSERT OR REPLACE INTO chain_events (block_number, log_index, block_hash, tx_hash, name, slash_id, vault, data,
       order_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const deleteEventsAbove = db.prepare('DELETE FROM chain_events WHERE block_number > ?')
  const deleteBlocksAbove = db.prepare('DELETE FROM blocks WHERE number > ?')
  const pruneBlocks = db.prepare('DELETE FROM blocks WHERE number < ?')
  const eventsAbove = db.prepare<[number], EventRow>('SELECT * FROM chain_events WHERE block_number > ?')
  const eventsOfSlash = db.prepare<[string], EventRow>(
    'SELECT * FROM chain_events WHERE slash_id = ? ORDER BY block_number, log_index',
  )
  const openSlashEvents = db.prepare<[], EventRow>(
    `SELECT * FROM chain_events WHERE slash_id IN (
       SELECT slash_id FROM chain_events WHERE name = 'SlashRequested'
       EXCEPT SELECT slash_id FROM chain_events WHERE name IN ('SlashExecuted', 'SlashOverturned', 'SlashLapsed')
     ) ORDER BY block_number, log_index`,
  )
  const openOrderEvents = db.prepare<[], EventRow>(
    `SELECT * FROM chain_events WHERE order_id IN (
       SELECT order_id FROM chain_events WHERE name = 'OrderOpened'
       EXCEPT SELECT order_id FROM chain_events WHERE name IN ('OrderCompleted', 'OrderFailed', 'OrderCancelled')
     ) ORDER BY block_number, log_index`,
  )
  const orderServices = db.prepare<[], { s: string }>(
    `SELECT DISTINCT json_extract(data, '$.serviceId."$n"') AS s FROM chain_events
     WHERE name IN ('OrderOpened', 'FeesSwept')`,
  )
  const hasEvent = db.prepare<[string, string], { one: number }>(
    'SELECT 1 AS one FROM chain_events WHERE slash_id = ? AND name = ? LIMIT 1',
  )

  const cursor = (): BlockRef | undefined => {
    const row = getMeta.get('cursor')
    if (!row) return undefined
    const { number, hash } = JSON.parse(row.value) as { number: string; hash: Hex }
    return { number: BigInt(number), hash }
  }
  const setCursor = (ref: BlockRef) =>
    setMeta.run('cursor', JSON.stringify({ number: ref.number.toString(), hash: ref.hash }))

  return {
    cursor,
    meta: (key: string) => getMeta.get(key)?.value,
    setMeta: (key: string, value: string) => void setMeta.run(key, value),
    blockHash: (n: bigint): Hex | undefined => getBlock.get(Number(n))?.hash as Hex | undefined,
    /** Stored block hashes at or below `n`, newest first. */
    blocksAtOrBelow: (n: bigint, limit: number): BlockRef[] =>
      blocksBelow.all(Number(n), limit).map((r) => ({ number: BigInt(r.number), hash: r.hash as Hex })),
    /** Records a processed range in one transaction: its events, the hashes seen, the new cursor. */
    commitRange: db.transaction((range: { events: StoredEvent[]; blocks: BlockRef[]; cursor: BlockRef }) => {
      for (const b of range.blocks) putBlock.run(Number(b.number), b.hash)
      for (const e of range.events) {
        putEvent.run(
          Number(e.blockNumber),
          e.logIndex,
          e.blockHash,
          e.txHash,
          e.name,
          e.slashId ?? null,
          e.vault?.toLowerCase() ?? null,
          toJson(e.args),
          e.orderId === undefined ? null : e.orderId.toString(),
        )
      }
      setCursor(range.cursor)
    }),
    /** Forgets everything above block `to` (a reorg replaced it) and moves the cursor back there. */
    rollbackTo: db.transaction((to: BlockRef): StoredEvent[] => {
      const removed = eventsAbove.all(Number(to.number)).map(rowToEvent)
      deleteEventsAbove.run(Number(to.number))
      deleteBlocksAbove.run(Number(to.number))
      putBlock.run(Number(to.number), to.hash)
      setCursor(to)
      return removed
    }),
    pruneBlocksBelow: (n: bigint) => void pruneBlocks.run(Number(n)),
    eventsOfSlash: (slashId: Hex): StoredEvent[] => eventsOfSlash.all(slashId).map(rowToEvent),
    /** Events of every slash requested and not yet settled, in chain order. */
    openSlashEvents: (): StoredEvent[] => openSlashEvents.all().map(rowToEvent),
    hasSlashEvent: (slashId: Hex, name: string) => hasEvent.get(slashId, name) !== undefined,
    /** Events of every order opened and not yet completed, failed or cancelled, in chain order. */
    openOrderEvents: (): StoredEvent[] => openOrderEvents.all().map(rowToEvent),
    /** Every service an order was opened for (or fees swept of): the keeper sweeps their fees. */
    orderServiceIds: (): bigint[] =>
      orderServices
        .all()
        .filter((r) => r.s !== null)
        .map((r) => BigInt(r.s)),
  }
}

type EventRow = {
  block_number: number
  log_index: number
  block_hash: string
  tx_hash: string
  name: string
  slash_id: string | null
  vault: string | null
  data: string
  order_id: string | null
}

function rowToEvent(r: EventRow): StoredEvent {
  return {
    blockNumber: BigInt(r.block_number),
    logIndex: r.log_index,
    blockHash: r.block_hash as Hex,
    txHash: r.tx_hash as Hex,
    name: r.name,
    slashId: (r.slash_id ?? undefined) as Hex | undefined,
    vault: (r.vault ?? undefined) as Hex | undefined,
    orderId: r.order_id === null ? undefined : BigInt(r.order_id),
    args: fromJson(r.data),
  }
}
