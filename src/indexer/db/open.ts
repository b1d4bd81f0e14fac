/**
 * Opens the indexer's database: a SQLite file by default (zero set-up, WAL), PostgreSQL when the URL says
 * `postgres://…`; migrates it and returns one Kysely instance, the only query layer of both.
 *
 * A PostgreSQL instance lives in its own schema (`--schema`, default `surety`), set as the connection's
 * search_path, so two indexers (two chains, two deployments) can share one database without seeing each other.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Sqlite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import pg from 'pg'
import { InvalidInputError, SuretyError } from '../../errors.ts'
import { migrationProvider } from './migrations.ts'
import type { Database } from './schema.ts'
import { withStatementCache } from './statementCache.ts'

export type Dialect = 'sqlite' | 'postgres'

export type IndexerDb = {
  db: Kysely<Database>
  dialect: Dialect
  /** What the database is, for logs (the password of a URL left out). */
  describe: string
  close: () => Promise<void>
}

export type OpenOptions = {
  /** A file path (SQLite) or a postgres:// URL. */
  url: string
  /** PostgreSQL only: the schema this instance owns. */
  schema?: string | undefined
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url)

export async function openIndexerDb(options: OpenOptions): Promise<IndexerDb> {
  const pg = isPostgresUrl(options.url)
  const opened = pg ? await openPostgres(options) : openSqlite(options.url)
  await migrate(opened, pg ? (options.schema ?? 'surety') : undefined)
  return opened
}

function openSqlite(path: string): IndexerDb {
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true })
    } catch (error) {
      throw new InvalidInputError(`cannot create the directory of the indexer database ${path}`, {
        cause: error,
      })
    }
  }
  let database: Sqlite.Database
  try {
    database = new Sqlite(path)
  } catch (error) {
    throw new InvalidInputError(`cannot open the indexer database ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  database.pragma('journal_mode = WAL')
  // NORMAL in WAL mode survives a process kill (the case the indexer is tested for); a power loss may drop the
  // last transactions, which the indexer then re-reads from the chain: everything here is rebuildable.
  database.pragma('synchronous = NORMAL')
  database.pragma('busy_timeout = 5000')
  // checkpoint the WAL into the database every ~40 MB rather than every 4 MB (the default 1,000 pages): a backfill
  // rewrites the same hot pages (vaults, positions, indexes) in every range, and each checkpoint copies them again
  database.pragma('wal_autocheckpoint = 10000')
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(database, 500) }),
  })
  return { db, dialect: 'sqlite', describe: `sqlite:${path}`, close: () => db.destroy() }
}

async function openPostgres(options: OpenOptions): Promise<IndexerDb> {
  const schema = options.schema ?? 'surety'
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidInputError(
      `--schema ${JSON.stringify(schema)} is not a plain PostgreSQL identifier: use lower-case letters, digits and _`,
    )
  }
  // int8 (block numbers, timestamps) as JS numbers; numeric (amounts) stays a string, converted to bigint above
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    options: `-c search_path=${schema}`,
    types,
    max: 4,
  })
  const url = new URL(options.url)
  url.password = ''
  const describe = `${url.toString()} (schema ${schema})`
  try {
    const client = await pool.connect()
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
    } finally {
      client.release()
    }
  } catch (error) {
    await pool.end()
    throw new SuretyError(`cannot connect to PostgreSQL at ${describe}: ${(error as Error).message}`, {
      cause: error,
      retryable: true,
    })
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', describe, close: () => db.destroy() }
}

async function migrate(opened: IndexerDb, schema: string | undefined): Promise<void> {
  // the migration tables live in the instance's schema too: another schema's must not count as this one's
  const migrator = new Migrator({
    db: opened.db,
    provider: migrationProvider(opened.dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName
    await opened.close()
    throw new SuretyError(
      `cannot migrate the indexer database ${opened.describe}${failed ? ` (migration ${failed})` : ''}: ${
        (error as Error).message
      }`,
      { cause: error },
    )
  }
}

/** Drops a PostgreSQL schema and everything in it (tests, `surety index --reset`). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new InvalidInputError(`not a schema name: ${schema}`)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

export { sql }
