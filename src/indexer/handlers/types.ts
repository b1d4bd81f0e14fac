/**
 * What a handler sees: one typed event and a context that reads and writes rows of the range's transaction.
 * Handlers never know about forks or finality: the engine records undo images for non-final blocks and writes
 * everything of a range at once.
 *
 * Rows are read and changed synchronously, in memory: `reads` names the rows an event touches and the engine
 * loads them in bulk for the whole range before applying it; a row known only once another is read (a slash's
 * vault) is loaded with `ctx.load(…)` first. A row neither declared nor loaded is a missing declaration:
 * the engine loads it and applies the range again from the start (nothing is written before a range is applied),
 * so it costs time, never correctness; `IndexerStats.restarts` counts them and the indexer tests assert none.
 */
import type { ENTITY_TABLES, EntityTable, HistoryTable, Row } from '../db/schema.ts'
import type { ContractKind, EventName, IndexedEvent } from '../events.ts'

type KeyColumns<T extends EntityTable> = (typeof ENTITY_TABLES)[T][number]
export type EntityKey<T extends EntityTable> = { [K in KeyColumns<T> & keyof Row<T>]: Row<T>[K] }
/** A new entity row: everything but the bookkeeping columns the context sets. */
export type NewRow<T extends EntityTable> = Omit<Row<T>, 'created_block' | 'block_number'>

export type Read = { [T in EntityTable]: { table: T; key: EntityKey<T> } }[EntityTable]

export type HandlerContext = {
  /** A row, as of this point in the range (undefined: no such row). */
  get<T extends EntityTable>(table: T, key: EntityKey<T>): Row<T> | undefined
  /**
   * Changes a row in place: `fn` mutates it. A missing row is first made by `create` (or the change is skipped
   * when there is none). Returns the row after the change.
   */
  change<T extends EntityTable>(
    table: T,
    key: EntityKey<T>,
    fn: (row: Row<T>) => void,
    create?: () => NewRow<T>,
  ): Row<T> | undefined
  /** Deletes a row (a class a service change dropped). */
  remove<T extends EntityTable>(table: T, key: EntityKey<T>): void
  /** Appends a history row (reward events, attester penalties; one exchange-rate row per vault and block). */
  append<T extends Exclude<HistoryTable, 'events'>>(table: T, row: Row<T>): void
  /** Loads rows `reads` could not name (their keys come from another row); resolved at once when all are here. */
  load(...rows: Read[]): Promise<void>
}

export type Handler<K extends ContractKind, N extends EventName<K>> = {
  /** The rows `apply` reads or changes (loaded in bulk before the range is applied). */
  reads?: (e: IndexedEvent<K, N>) => Read[]
  /** Synchronous unless it has to `load` a row first: a promise per event costs more than most handlers. */
  apply: (e: IndexedEvent<K, N>, ctx: HandlerContext) => void | Promise<void>
}

/** One contract's handlers, one per event name; an event without one is kept in `events` only. */
export type ContractHandlers<K extends ContractKind> = { [N in EventName<K>]?: Handler<K, N> }

export const lc = (a: string) => a.toLowerCase()
export const read = <T extends EntityTable>(table: T, key: EntityKey<T>): Read => ({ table, key }) as Read
