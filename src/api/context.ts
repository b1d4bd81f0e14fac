/**
 * What every route reads through: the indexer's database and one consistent snapshot per request. A request's
 * queries run in one read transaction, so the block it reports (number, hash, final) is exactly the state its
 * rows come from, even while the indexer commits blocks beside it.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../indexer/db/schema.ts'
import { type IndexState, readIndexState } from '../indexer/queries/readIndexState.ts'
import { NotReadyError } from './errors.ts'
import { type TimeJson, time } from './format.ts'
import type { ApiMetrics } from './metrics.ts'
import type { RowJsonCache } from './queries/rowJson.ts'

export type ApiContext = {
  db: Kysely<Database>
  dialect: 'sqlite' | 'postgres'
  /** Decimals of the stake token (amounts' token units). */
  decimals: number
  metrics: ApiMetrics
  /** Rendered rows kept across blocks for the list endpoints (queries/rowJson.ts). */
  rows: RowJsonCache
}

export type BlockJson = {
  number: number
  hash: string
  time: TimeJson | null
  final: boolean
  finalNumber: number
}

export type Snapshot = { db: Transaction<Database>; state: IndexState; block: BlockJson }

export async function blockJson(db: Kysely<Database>, state: IndexState): Promise<BlockJson> {
  if (!state.block)
    throw new NotReadyError('the indexer has not indexed any block yet; retry when /ready answers 200')
  const finalNumber = state.finalBlock ?? -1n
  const row = await db
    .selectFrom('blocks')
    .select('timestamp')
    .where('number', '=', Number(state.block.number))
    .executeTakeFirst()
  return {
    number: Number(state.block.number),
    hash: state.block.hash,
    time: row ? time(row.timestamp) : null,
    final: state.block.number <= finalNumber,
    finalNumber: Number(finalNumber),
  }
}

/** Runs `fn` on one snapshot of the index and returns its result with the block that snapshot reflects. */
export async function read<T>(
  ctx: ApiContext,
  fn: (snap: Snapshot) => Promise<T>,
): Promise<{ block: BlockJson; data: T }> {
  let tx = ctx.db.transaction()
  // PostgreSQL: one snapshot for every statement of the request (SQLite's read transaction already is one).
  if (ctx.dialect === 'postgres') tx = tx.setIsolationLevel('repeatable read').setAccessMode('read only')
  return tx.execute(async (trx) => {
    const state = await readIndexState(trx)
    const block = await blockJson(trx, state)
    return { block, data: await fn({ db: trx, state, block }) }
  })
}

/** Whether a row last changed at `blockNumber` is final in this snapshot. */
export const isFinalIn = (snap: Snapshot, blockNumber: number) => blockNumber <= snap.block.finalNumber
