/**
 * better-sqlite3 behind Kysely with its prepared statements kept: Kysely's SQLite driver prepares every query it
 * runs, and preparing costs more than running for the indexer's short, repeated statements (a row lookup, a
 * chunk of a multi-row insert). Statements are kept by their SQL text, the least recently used dropped beyond
 * `size` (the API and the indexer run a few hundred statement shapes; values are bound, never inlined); one still
 * iterating (a stream) is never handed out twice.
 */
import type Sqlite from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

export function withStatementCache(database: Sqlite.Database, size = 256): SqliteDatabase {
  const cache = new Map<string, Sqlite.Statement>()
  return {
    close: () => {
      cache.clear()
      database.close()
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql)
      if (hit && !hit.busy) {
        // most recently used last: the first key is the one to drop
        cache.delete(sql)
        cache.set(sql, hit)
        return hit as unknown as SqliteStatement
      }
      const stmt = database.prepare(sql)
      if (!hit) {
        cache.set(sql, stmt)
        if (cache.size > size) cache.delete(cache.keys().next().value!)
      }
      return stmt as unknown as SqliteStatement
    },
  }
}
