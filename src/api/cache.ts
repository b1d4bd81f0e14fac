/**
 * Responses cached per indexed state. The index changes only when the indexer commits (its cursor, head and
 * final block move in the same transaction as the rows), so a GET answered at one state answers the same until
 * the state moves: a dashboard polling the same pages costs one cheap check per request instead of the whole query.
 *
 * The generation is a token that moves with every commit (generation.ts: SQLite's data_version, or PostgreSQL's
 * indexer_state rows); any change empties the cache. An entry is stored only if the token read before the request
 * was computed is still the token after, so a response computed while the indexer committed is never served as
 * newer than it is. Bodies are kept as bytes (a 50-order page is 67 kB: encoding it on every hit was a cost of its
 * own) with an ETag, the hash of those bytes; a poll sending it back in If-None-Match gets 304 and no body.
 * Bounded by entries and bytes; oldest out first.
 */
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../indexer/db/schema.ts'
import { type GenerationSource, sqliteFileGeneration, stateQueryGeneration } from './generation.ts'
import type { ApiMetrics } from './metrics.ts'

export type CacheOptions = { maxEntries?: number; maxBytes?: number }

type Entry = { body: Buffer; etag: string }
type Stamped = FastifyReply & { cacheGeneration?: string; cacheable?: boolean }

/** Strong: the same tag means the same bytes (a hash, not the generation, which restarts with the server). */
const etagOf = (body: Buffer) => `"${createHash('sha1').update(body).digest('base64url')}"`

/** Whether If-None-Match names `etag` (weak comparison, as RFC 9110 asks of If-None-Match). */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  for (const part of header.split(',')) {
    const tag = part.trim()
    if (tag === '*' || tag === etag || tag === `W/${etag}`) return true
  }
  return false
}

/** The file a SQLite Kysely instance opened, or undefined (in memory). */
async function sqliteFile(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ name: string; file: string }>`PRAGMA database_list`.execute(db)
  const file = rows.find((r) => r.name === 'main')?.file
  return file ? file : undefined
}

export async function generationSource(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
): Promise<GenerationSource> {
  const file = dialect === 'sqlite' ? await sqliteFile(db) : undefined
  if (file) {
    try {
      return sqliteFileGeneration(file)
    } catch {
      // a second connection refused (the file gone since, no permission): the state table answers the same
    }
  }
  return stateQueryGeneration(db)
}

export async function installResponseCache(
  app: FastifyInstance,
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  metrics: ApiMetrics,
  options: CacheOptions = {},
) {
  const maxEntries = options.maxEntries ?? 5_000
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024
  const source = await generationSource(db, dialect)
  app.addHook('onClose', async () => source.close())
  let generation = ''
  let entries = new Map<string, Entry>()
  let bytes = 0
  const hits = metrics.registry.counter('surety_api_cache_hits_total', 'GET responses served from the cache')
  const misses = metrics.registry.counter('surety_api_cache_misses_total', 'cacheable GET responses computed')

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'GET' || !req.url.startsWith('/v1/') || req.url.startsWith('/v1/stream')) return
    const g = await source.read()
    if (g !== generation) {
      generation = g
      entries = new Map()
      bytes = 0
    }
    const entry = entries.get(req.url)
    if (entry !== undefined) {
      hits.inc()
      // no-cache: a browser keeps the answer but asks again each time, with the ETag (and gets 304 if unchanged)
      void reply.header('x-cache', 'hit').header('etag', entry.etag).header('cache-control', 'no-cache')
      if (noneMatch(req.headers['if-none-match'], entry.etag)) return reply.code(304).send()
      return reply.type('application/json; charset=utf-8').send(entry.body)
    }
    misses.inc()
    const r = reply as Stamped
    r.cacheGeneration = g
    r.cacheable = true
  })

  app.addHook('onSend', async (req, reply, payload) => {
    const r = reply as Stamped
    if (!r.cacheable || reply.statusCode !== 200 || typeof payload !== 'string') return payload
    const body = Buffer.from(payload)
    const etag = etagOf(body)
    void reply.header('etag', etag).header('cache-control', 'no-cache')
    // Stored only when nothing moved between the check and the snapshot: the generation is read again after.
    if (
      r.cacheGeneration === generation &&
      (await source.read()) === generation &&
      body.length <= maxBytes / 8
    ) {
      while (entries.size >= maxEntries || (bytes + body.length > maxBytes && entries.size > 0)) {
        const oldest = entries.keys().next().value as string
        bytes -= entries.get(oldest)!.body.length
        entries.delete(oldest)
      }
      entries.set(req.url, { body, etag })
      bytes += body.length
    }
    if (noneMatch(req.headers['if-none-match'], etag)) {
      void reply.code(304)
      return null
    }
    return body
  })
}
