/**
 * How the response cache (cache.ts) learns that the index moved: a token that changes whenever the indexer may have
 * committed. It is read twice per request (before answering and, on a miss, after), so its cost is the cost of a
 * cache hit.
 *
 * - A SQLite file: `PRAGMA data_version` on a connection of its own, which changes whenever any other connection —
 *   the indexer in this process (on the API's own connection) or in another process — commits. It is synchronous
 *   and reads no table. The connection never opens a transaction, so it always sees the newest commit; the API's
 *   own connection could be inside another request's read transaction and see an older snapshot.
 * - PostgreSQL (and an in-memory SQLite, which no second connection can open): the indexer_state rows (cursor,
 *   head, final block, halt), which every commit of the indexer moves. One query answers every request that arrived
 *   before it started; a request arriving while one is in flight waits for the next, so the token a request gets
 *   was always read after the request arrived (a commit it could know of is never missed).
 */
import Sqlite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { Database } from '../indexer/db/schema.ts'

export type GenerationSource = {
  read: () => string | Promise<string>
  close: () => void
}

/** `PRAGMA data_version` of a connection of its own to the SQLite file at `path`. */
export function sqliteFileGeneration(path: string): GenerationSource {
  const own = new Sqlite(path, { fileMustExist: true })
  // the WAL file and its lock are the indexer's; this connection only reads, and waits rather than fails
  own.pragma('busy_timeout = 5000')
  const version = own.prepare('PRAGMA data_version').pluck()
  return { read: () => String(version.get()), close: () => own.close() }
}

async function readState(db: Kysely<Database>): Promise<string> {
  const rows = await db.selectFrom('indexer_state').select(['key', 'value']).orderBy('key').execute()
  let g = ''
  for (const r of rows) g += `${r.key}=${r.value};`
  return g
}

/** The indexer_state rows, one read shared by the requests that arrived before it started. */
export function stateQueryGeneration(db: Kysely<Database>): GenerationSource {
  let inFlight: Promise<string> | undefined
  let next: Promise<string> | undefined
  const start = () => {
    const p = readState(db)
    inFlight = p
    const done = () => {
      if (inFlight === p) inFlight = undefined
    }
    p.then(done, done)
    return p
  }
  const idle = () => undefined
  return {
    read() {
      if (!inFlight) return start()
      // the read in flight may have started before a commit this request follows: join the one after it
      next ??= inFlight.then(idle, idle).then(() => {
        next = undefined
        return start()
      })
      return next
    },
    close: () => undefined,
  }
}
