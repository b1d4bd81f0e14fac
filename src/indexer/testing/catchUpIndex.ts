import type { World } from '../../../test/support/world.ts'
import type { IndexerDb } from '../db/open.ts'
import { createIndexer, type Indexer } from '../engine/runIndexer.ts'

/** The world's chain indexed from block 0 into `idb`, caught up to the head (tests and the API bench). */
export async function catchUpIndex(w: World, idb: IndexerDb, finalityDepth?: number): Promise<Indexer> {
  const indexer = await createIndexer({
    client: w.public,
    idb,
    chainId: w.chainId,
    addresses: w.addresses,
    startBlock: 0n,
    ...(finalityDepth === undefined ? {} : { finalityDepth }),
  })
  await indexer.catchUp()
  return indexer
}
