/**
 * Applies a range of events to the tables inside one transaction: rows are loaded in bulk (the handlers' `reads`
 * hints) or on first use, changed in memory, and written back at the end in multi-row upserts — a backfill costs
 * a handful of statements per thousand events instead of several per event.
 *
 * For every block above the final block, the first change a block makes to a row records the row's image before
 * it (the change log); a reorg restores those images. Final blocks skip the log: they never roll back.
 */
import type { Kysely, Transaction } from 'kysely'
import { decodeRow, encodeRow, jsonWithBigints } from '../db/codec.ts'
import type { Dialect } from '../db/open.ts'
import { type Database, ENTITY_TABLES, type EntityTable, type HistoryTable, type Row } from '../db/schema.ts'
import type { EventMeta, IndexedEvent } from '../events.ts'
import { HANDLERS } from '../handlers/index.ts'
import type { EntityKey, Handler, HandlerContext, NewRow, Read } from '../handlers/types.ts'
import { selectByKeys, upsertRows } from './bulkSql.ts'

type AnyRow = Record<string, unknown>
type Entry = {
  table: EntityTable
  key: AnyRow
  row: AnyRow | null
  dirty: boolean
  /** The last block whose undo image of this row is in the change log. */
  loggedBlock: number
}

const keyString = (table: EntityTable, key: AnyRow) => {
  let s: string = table
  for (const c of ENTITY_TABLES[table]) s += `|${key[c]}`
  return s
}

export class RangeWriter {
  private readonly entries = new Map<string, Entry>()
  private readonly history = new Map<HistoryTable, Map<string, AnyRow>>()
  private readonly changeLog: Database['change_log'][] = []
  /** Raw event rows: one per log, never two of the same key in a range. */
  private readonly events: AnyRow[] = []
  private readonly seq = new Map<number, number>()

  constructor(
    private readonly trx: Transaction<Database> | Kysely<Database>,
    /** Blocks at or below this are final: no undo images. */
    private readonly finalBlock: number,
    private readonly dialect: Dialect,
  ) {}

  /** Loads every row the handlers of `events` say they read, a few queries per table. */
  async prefetch(events: IndexedEvent[]): Promise<void> {
    const wanted = new Map<EntityTable, Map<string, AnyRow>>()
    for (const e of events) {
      const h = HANDLERS[e.contract][e.name as never] as Handler<never, never> | undefined
      if (!h?.reads) continue
      for (const r of h.reads(e as never) as Read[]) {
        const ks = keyString(r.table, r.key as AnyRow)
        if (this.entries.has(ks)) continue
        let m = wanted.get(r.table)
        if (!m) {
          m = new Map()
          wanted.set(r.table, m)
        }
        m.set(ks, r.key as AnyRow)
      }
    }
    for (const [table, keys] of wanted) await this.load(table, [...keys.values()])
  }

  private async load(table: EntityTable, keys: AnyRow[]): Promise<void> {
    const cols = ENTITY_TABLES[table] as readonly string[]
    const rows = await selectByKeys(this.trx as unknown as Kysely<any>, this.dialect, table, cols, keys)
    const found = new Map(rows.map((r) => [keyString(table, r), r]))
    for (const k of keys) {
      const ks = keyString(table, k)
      const raw = found.get(ks)
      this.entries.set(ks, {
        table,
        key: k,
        row: raw ? (decodeRow(table, raw) as AnyRow) : null,
        dirty: false,
        loggedBlock: -1,
      })
    }
  }

  private async entry(table: EntityTable, key: AnyRow): Promise<Entry> {
    const ks = keyString(table, key)
    let e = this.entries.get(ks)
    if (!e) {
      await this.load(table, [key])
      e = this.entries.get(ks)!
    }
    return e
  }

  /** Records the row's image before the first change block `b` makes to it (non-final blocks only). */
  private logChange(e: Entry, b: number) {
    if (b <= this.finalBlock || e.loggedBlock === b) return
    const seq = this.seq.get(b) ?? 0
    this.seq.set(b, seq + 1)
    this.changeLog.push({
      block_number: b,
      seq,
      table_name: e.table,
      row_key: JSON.stringify(ENTITY_TABLES[e.table].map((c) => e.key[c])),
      image: e.row ? JSON.stringify(encodeRow(e.table, e.row as never)) : null,
    })
    e.loggedBlock = b
  }

  /** The block of the event being applied: what `change` stamps rows with and logs undo images under. */
  private block = 0

  /**
   * The context handlers write through, one object for the whole range (made once: a closure per event costs more
   * than the handler itself on a backfill); `context(meta)` points it at the event being applied.
   */
  private readonly ctx: HandlerContext = {
    get: async <T extends EntityTable>(table: T, key: EntityKey<T>) =>
      ((await this.entry(table, key as AnyRow)).row ?? undefined) as Row<T> | undefined,
    change: async <T extends EntityTable>(
      table: T,
      key: EntityKey<T>,
      fn: (row: Row<T>) => void,
      create?: () => NewRow<T>,
    ) => {
      const b = this.block
      const e = await this.entry(table, key as AnyRow)
      if (!e.row && !create) return undefined
      this.logChange(e, b)
      if (!e.row) e.row = { ...(create!() as AnyRow), created_block: b, block_number: b }
      fn(e.row as Row<T>)
      e.row.block_number = b
      e.dirty = true
      return e.row as Row<T>
    },
    remove: async <T extends EntityTable>(table: T, key: EntityKey<T>) => {
      const e = await this.entry(table, key as AnyRow)
      if (!e.row) return
      this.logChange(e, this.block)
      e.row = null
      e.dirty = true
    },
    append: (table, row) => this.appendRow(table, row as AnyRow),
  }

  context(meta: EventMeta): HandlerContext {
    this.block = Number(meta.blockNumber)
    return this.ctx
  }

  private appendRow(table: HistoryTable, r: AnyRow) {
    // one exchange-rate row per vault and block: the state at the end of the block
    const k = table === 'vault_rates' ? `${r.vault}|${r.block_number}` : `${r.block_number}|${r.log_index}`
    let m = this.history.get(table)
    if (!m) {
      m = new Map()
      this.history.set(table, m)
    }
    m.set(k, r)
  }

  /** The raw event row (the `events` table). */
  addEvent(e: IndexedEvent) {
    this.events.push({
      block_number: Number(e.blockNumber),
      log_index: e.logIndex,
      block_hash: e.blockHash.toLowerCase(),
      tx_hash: e.txHash.toLowerCase(),
      address: e.address,
      contract: e.contract,
      name: e.name,
      args: jsonWithBigints(e.args),
      timestamp: Number(e.timestamp),
    })
  }

  /** Writes every changed row, history row and undo image. */
  async flush(breathe: () => Promise<void> | undefined = () => undefined): Promise<{ rows: number }> {
    const db = this.trx as unknown as Kysely<any>
    let rows = 0
    const upserts = new Map<EntityTable, AnyRow[]>()
    const deletes = new Map<EntityTable, AnyRow[]>()
    for (const e of this.entries.values()) {
      if (!e.dirty) continue
      const target = e.row ? upserts : deletes
      let list = target.get(e.table)
      if (!list) {
        list = []
        target.set(e.table, list)
      }
      list.push(e.row ?? e.key)
    }
    for (const [table, list] of upserts) {
      rows += await upsertRows(db, this.dialect, table, ENTITY_TABLES[table], list)
      await breathe()
    }
    for (const [table, keys] of deletes) {
      for (const k of keys) {
        let q = db.deleteFrom(table)
        for (const c of ENTITY_TABLES[table]) q = q.where(c, '=', k[c])
        await q.execute()
      }
    }
    rows += await upsertRows(db, this.dialect, 'events', ['block_number', 'log_index'], this.events)
    await breathe()
    for (const [table, m] of this.history) {
      const pk = table === 'vault_rates' ? ['vault', 'block_number'] : ['block_number', 'log_index']
      rows += await upsertRows(db, this.dialect, table, pk, [...m.values()])
      await breathe()
    }
    // a plain insert: two images of one (block, seq) would be a bug, and fail the transaction
    if (this.changeLog.length) await upsertRows(db, this.dialect, 'change_log', [], this.changeLog)
    return { rows }
  }
}
