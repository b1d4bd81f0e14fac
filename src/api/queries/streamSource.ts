/** The stream's reads over the indexer's tables: its head, canonical block hashes, and events in chain order. */
import { type Kysely, sql } from 'kysely'
import type { Hex } from 'viem'
import type { Database } from '../../indexer/db/schema.ts'
import { readIndexState } from '../../indexer/queries/readIndexState.ts'
import type { IndexedHead, StreamEvent, StreamSource } from '../stream/source.ts'

export function streamSource(db: Kysely<Database>): StreamSource {
  return {
    async head(): Promise<IndexedHead | undefined> {
      const s = await readIndexState(db)
      if (!s.block) return undefined
      return {
        number: s.block.number,
        hash: s.block.hash.toLowerCase() as Hex,
        finalNumber: s.finalBlock ?? -1n,
        finalityDepth: BigInt(s.finalityDepth ?? 0),
      }
    },
    async blockHashes(numbers: bigint[]): Promise<Map<bigint, Hex>> {
      const out = new Map<bigint, Hex>()
      if (numbers.length === 0) return out
      const ns = [...new Set(numbers.map(Number))]
      // The blocks table holds every block with events and every batch edge; events carry their block's hash too
      // (a block pruned from the blocks table is still known by its events).
      const [blocks, events] = await Promise.all([
        db.selectFrom('blocks').select(['number', 'hash']).where('number', 'in', ns).execute(),
        db
          .selectFrom('events')
          .select(['block_number', 'block_hash'])
          .distinct()
          .where('block_number', 'in', ns)
          .execute(),
      ])
      for (const e of events) out.set(BigInt(e.block_number), e.block_hash.toLowerCase() as Hex)
      for (const b of blocks) out.set(BigInt(b.number), b.hash.toLowerCase() as Hex)
      return out
    },
    async eventsAfter(
      block: bigint,
      logIndex: number,
      toBlock: bigint,
      limit: number,
    ): Promise<StreamEvent[]> {
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where(sql<boolean>`(block_number, log_index) > (${Number(block)}, ${logIndex})`)
        .where('block_number', '<=', Number(toBlock))
        .orderBy('block_number')
        .orderBy('log_index')
        .limit(limit)
        .execute()
      return rows.map((r) => ({
        block: BigInt(r.block_number),
        blockHash: r.block_hash.toLowerCase() as Hex,
        logIndex: r.log_index,
        txHash: r.tx_hash as Hex,
        contract: r.address as Hex,
        kind: r.contract,
        name: r.name,
        args: JSON.parse(r.args) as Record<string, unknown>,
        timestamp: r.timestamp ?? null,
      }))
    },
  }
}
