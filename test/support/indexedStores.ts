/**
 * The two stores the indexer and the API run on, opened fresh for one test file: a SQLite file in a temporary
 * directory, and a schema of its own in this machine's PostgreSQL (database `test`, dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dropSchema, type IndexerDb, openIndexerDb } from '../../src/indexer/db/open.ts'

export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export type TestStore = { name: 'sqlite' | 'postgres'; idb: IndexerDb; remove: () => Promise<void> }

export async function openTestStore(name: 'sqlite' | 'postgres', label: string): Promise<TestStore> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `surety-${label}-`))
    const idb = await openIndexerDb({ url: join(dir, 'index.sqlite') })
    return {
      name,
      idb,
      remove: async () => {
        await idb.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const schema = `${label}_${process.pid}_${Date.now().toString(36)}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
  const idb = await openIndexerDb({ url: TEST_POSTGRES_URL, schema })
  return {
    name,
    idb,
    remove: async () => {
      await idb.close()
      await dropSchema(TEST_POSTGRES_URL, schema)
    },
  }
}
