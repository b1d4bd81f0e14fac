/**
 * Responses cached per indexed state. The index changes only when the indexer commits (its cursor, head and
 * final block move in the same transaction as the rows), so a GET answered at one state answers the same until
 * the state moves: a dashboard polling the same pages costs one small read per request instead of the whole query.
 *
 * The generation is the indexer_state table itself (cursor, head, final block, halt): any change empties the
 * cache. An entry is stored only under the generation its own snapshot read, so a response computed while the
 * indexer committed is never served as newer than it is. Bounded by entries and bytes; oldest out first.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../indexer/db/schema.ts'
import type { ApiMetrics } from './metrics.ts'

export type CacheOptions = { maxEntries?: number; maxBytes?: number }

type Stamped = FastifyReply & { cacheGeneration?: string; cacheable?: boolean }

async function generationOf(db: Kysely<Database>): Promise<string> {
  const rows = await db.selectFrom('indexer_state').select(['key', 'value']).orderBy('key').execute()
  let g = ''
  for (const r of rows) g += `${r.key}=${r.value};`
  return g
}

/** The generation a response body reflects: its `block` (number, hash, final number) and nothing else moved. */
export function installResponseCache(
  app: FastifyInstance,
  db: Kysely<Database>,
  metrics: ApiMetrics,
  options: CacheOptions = {},
) {
  const maxEntries = options.maxEntries ?? 5_000
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024
  let generation = ''
  let entries = new Map<string, string>()
  let bytes = 0
  const hits = metrics.registry.counter('surety_api_cache_hits_total', 'GET responses served from the cache')
  const misses = metrics.registry.counter('surety_api_cache_misses_total', 'cacheable GET responses computed')

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'GET' || !req.url.startsWith('/v1/') || req.url.startsWith('/v1/stream')) return
    const g = await generationOf(db)
    if (g !== generation) {
      generation = g
      entries = new Map()
      bytes = 0
    }
    const body = entries.get(req.url)
    if (body !== undefined) {
      hits.inc()
      return reply.header('x-cache', 'hit').type('application/json; charset=utf-8').send(body)
    }
    misses.inc()
    const r = reply as Stamped
    r.cacheGeneration = g
    r.cacheable = true
  })

  app.addHook('onSend', async (req, reply, payload) => {
    const r = reply as Stamped
    // Stored only when nothing moved between the check and the snapshot: the generation is read again after.
    if (!r.cacheable || reply.statusCode !== 200 || typeof payload !== 'string') return payload
    if (r.cacheGeneration !== generation) return payload
    if ((await generationOf(db)) !== generation) return payload
    if (payload.length > maxBytes / 8) return payload
    while (entries.size >= maxEntries || (bytes + payload.length > maxBytes && entries.size > 0)) {
      const oldest = entries.keys().next().value as string
      bytes -= entries.get(oldest)!.length
      entries.delete(oldest)
    }
    entries.set(req.url, payload)
    bytes += payload.length
    return payload
  })
}
