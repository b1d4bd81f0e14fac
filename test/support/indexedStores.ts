/**
 * One indexer store opened fresh for an API test or bench, by dialect: a thin handle over the indexer's own test
 * stores (src/indexer/testing/stores.ts: a SQLite file in a temporary directory, or a schema of its own in this
 * machine's PostgreSQL, started if down), closed and dropped by `remove`.
 */
import type { IndexerDb } from '../../src/indexer/db/open.ts'
import { testStores } from '../../src/indexer/testing/stores.ts'

export type TestStore = {
  name: 'sqlite' | 'postgres'
  idb: IndexerDb
  /** Where it is: a file path, or a postgres:// URL with its schema. */
  location: { url: string; schema?: string }
  remove: () => Promise<void>
}

export async function openTestStore(name: 'sqlite' | 'postgres'): Promise<TestStore> {
  const store = testStores().find((s) => s.name === (name === 'sqlite' ? 'SQLite' : 'PostgreSQL'))!
  const idb = await store.open()
  return {
    name,
    idb,
    location: idb.location,
    remove: async () => {
      await idb.close()
      await store.dropAll()
    },
  }
}
