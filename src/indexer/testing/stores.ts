/**
 * The two stores every indexer test runs on: a fresh SQLite file and a fresh schema of this machine's PostgreSQL
 * (started if it is installed but down; database `test`, trust auth). Each open gets a unique name and `drop`
 * removes it, so runs never see each other.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { dropSchema, type IndexerDb, openIndexerDb } from '../db/open.ts'
import { type Database, ENTITY_TABLES, HISTORY_TABLES } from '../db/schema.ts'

export const PG_URL = process.env.SURETY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export type TestStore = {
  name: 'SQLite' | 'PostgreSQL'
  /** A new empty database (its URL and schema are in `location`). */
  open(): Promise<IndexerDb & { location: { url: string; schema?: string } }>
  /** Removes every database this store opened. */
  dropAll(): Promise<void>
}

let pgChecked = false
/** Starts the local PostgreSQL cluster if pg_isready says it is down (as .ci/run does). */
export function ensurePostgres(): void {
  if (pgChecked) return
  pgChecked = true
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], { stdio: 'ignore' })
  } catch {
    const version = readdirSync('/etc/postgresql')[0]!
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
      stdio: 'inherit',
    })
  }
}

export function testStores(): TestStore[] {
  const dirs: string[] = []
  const schemas: string[] = []
  const unique = () => `t${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`
  return [
    {
      name: 'SQLite',
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'surety-indexer-'))
        dirs.push(dir)
        const url = join(dir, 'index.sqlite')
        return Object.assign(await openIndexerDb({ url }), { location: { url } })
      },
      async dropAll() {
        for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
      },
    },
    {
      name: 'PostgreSQL',
      async open() {
        ensurePostgres()
        const schema = `idx_${unique()}`
        schemas.push(schema)
        return Object.assign(await openIndexerDb({ url: PG_URL, schema }), {
          location: { url: PG_URL, schema },
        })
      },
      async dropAll() {
        for (const s of schemas.splice(0)) await dropSchema(PG_URL, s)
      },
    },
  ]
}

/** Every entity and history table, rows in key order, values as strings: two indexes are equal iff these are. */
export async function dumpTables(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  const tables: [string, readonly string[]][] = [
    ...Object.entries(ENTITY_TABLES),
    ...HISTORY_TABLES.map(
      (t) =>
        [t, t === 'vault_rates' ? ['vault', 'block_number'] : ['block_number', 'log_index']] as [
          string,
          string[],
        ],
    ),
  ]
  for (const [table, pk] of tables) {
    let q = (db as unknown as Kysely<any>).selectFrom(table).selectAll()
    for (const c of pk) q = q.orderBy(c)
    const rows = (await q.execute()) as Record<string, unknown>[]
    out[table] = rows.map((r) =>
      JSON.stringify(
        Object.fromEntries(
          Object.keys(r)
            .sort()
            .map((k) => [k, r[k] === null ? null : String(r[k])]),
        ),
      ),
    )
  }
  return out
}
