/**
 * What a handler sees: one typed event and a context that reads and writes rows of the range's transaction.
 * Handlers never know about forks or finality: the engine records undo images for non-final blocks and writes
 * everything of a range at once. `reads` is a performance hint only: the rows it names are loaded in bulk before
 * the range is applied; any other row is loaded when first asked for, so a missing hint costs time, never
 * correctness.
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
  get<T extends EntityTable>(table: T, key: EntityKey<T>): Promise<Row<T> | undefined>
  /**
   * Changes a row in place: `fn` mutates it. A missing row is first made by `create` (or the change is skipped
   * when there is none). Returns the row after the change.
   */
  change<T extends EntityTable>(
    table: T,
    key: EntityKey<T>,
    fn: (row: Row<T>) => void,
    create?: () => NewRow<T>,
  ): Promise<Row<T> | undefined>
  /** Deletes a row (a class a service change dropped). */
  remove<T extends EntityTable>(table: T, key: EntityKey<T>): Promise<void>
  /** Appends a history row (reward events, attester penalties; one exchange-rate row per vault and block). */
  append<T extends Exclude<HistoryTable, 'events'>>(table: T, row: Row<T>): void
}

export type Handler<K extends ContractKind, N extends EventName<K>> = {
  /** The rows `apply` reads or changes (prefetched in bulk before the range is applied). */
  reads?: (e: IndexedEvent<K, N>) => Read[]
  apply: (e: IndexedEvent<K, N>, ctx: HandlerContext) => Promise<void>
}

/** One contract's handlers, one per event name; an event without one is kept in `events` only. */
export type ContractHandlers<K extends ContractKind> = { [N in EventName<K>]?: Handler<K, N> }

export const lc = (a: string) => a.toLowerCase()
export const read = <T extends EntityTable>(table: T, key: EntityKey<T>): Read => ({ table, key }) as Read
