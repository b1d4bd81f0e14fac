/**
 * Where the index stands: the block it reflects (number and hash), the chain head it last saw and the final
 * block (head − finality depth). A row is final when its `blockNumber` is at or below `finalBlock`; every API
 * response can say which block it reflects from this.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

export type IndexState = {
  chainId: number | null
  /** The last block processed, or null before the first batch. */
  block: { number: bigint; hash: string } | null
  head: bigint | null
  finalBlock: bigint | null
  finalityDepth: number | null
  startBlock: bigint | null
  addresses: Record<string, string> | null
  /** Set when the indexer stopped on a reorg deeper than its finality depth. */
  halted: string | null
  /** A random id the database got when it was created (migration 0002): a rebuilt database has another. */
  instance: string | null
}

// The addresses change once per database, but every API request reads the state: parse each text once.
let lastAddresses: { text: string; parsed: Readonly<Record<string, string>> } | undefined
function parseAddresses(text: string): Record<string, string> {
  if (lastAddresses?.text !== text)
    lastAddresses = { text, parsed: Object.freeze(JSON.parse(text) as Record<string, string>) }
  return lastAddresses.parsed
}

export async function readIndexState(db: Kysely<Database>): Promise<IndexState> {
  const rows = await db.selectFrom('indexer_state').selectAll().execute()
  const m = new Map(rows.map((r) => [r.key, r.value]))
  const cursor = m.get('cursor')
  const parsedCursor = cursor ? (JSON.parse(cursor) as { number: string; hash: string }) : null
  const big = (k: string) => (m.has(k) ? BigInt(m.get(k)!) : null)
  return {
    chainId: m.has('chain_id') ? Number(m.get('chain_id')) : null,
    block: parsedCursor ? { number: BigInt(parsedCursor.number), hash: parsedCursor.hash } : null,
    head: big('head'),
    finalBlock: big('final_block'),
    finalityDepth: m.has('finality_depth') ? Number(m.get('finality_depth')) : null,
    startBlock: big('start_block'),
    addresses: m.has('addresses') ? parseAddresses(m.get('addresses')!) : null,
    halted: m.get('halted') ?? null,
    instance: m.get('instance') ?? null,
  }
}

/** Whether a row changed last at `blockNumber` is final under `state`. */
export const isFinal = (state: IndexState, blockNumber: number | bigint): boolean =>
  state.finalBlock !== null && BigInt(blockNumber) <= state.finalBlock
