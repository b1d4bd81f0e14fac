/**
 * The HTTP API over the indexed state: Fastify with TypeBox schemas that validate every input, serialise every
 * output and make the OpenAPI 3.1 document at /openapi.json. `createApiServer` returns the Fastify instance
 * without listening, so the devnet and the dashboard can mount it in their own process; `surety api` listens.
 */
import swagger from '@fastify/swagger'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../indexer/db/schema.ts'
import { type CacheOptions, installResponseCache } from './cache.ts'
import type { ApiContext } from './context.ts'
import { errorHandler, notFoundHandler } from './errors.ts'
import { createApiMetrics } from './metrics.ts'
import { createRowJsonCache, PreserializedJson } from './queries/rowJson.ts'
import { DEFAULT_RATE_LIMIT, installRateLimit, type RateLimitOptions } from './rateLimit.ts'
import { allocationsRoutes } from './routes/allocations.ts'
import { attestersRoutes } from './routes/attesters.ts'
import { creditsRoutes } from './routes/credits.ts'
import { eventsRoutes } from './routes/events.ts'
import { incidentsRoutes } from './routes/incidents.ts'
import { networkRoutes } from './routes/network.ts'
import { nodeReadsRoutes } from './routes/nodeReads.ts'
import type { NodeDirectory } from './routes/nodeReadsShared.ts'
import { opsRoutes } from './routes/ops.ts'
import { ordersRoutes } from './routes/orders.ts'
import { rewardsRoutes } from './routes/rewards.ts'
import { serviceAprRoutes } from './routes/serviceApr.ts'
import { servicesRoutes } from './routes/services.ts'
import { slashesRoutes } from './routes/slashes.ts'
import { stakersRoutes } from './routes/stakers.ts'
import { streamRoutes } from './routes/stream.ts'
import { vaultsRoutes } from './routes/vaults.ts'
import { ErrorBody } from './schemas/common.ts'

export type ApiServerOptions = {
  db: Kysely<Database>
  dialect: 'sqlite' | 'postgres'
  /** Decimals of the stake token (default 18). */
  decimals?: number
  /** How often the stream polls the index for a new head (default 250 ms). */
  streamPollMs?: number
  /** A pino logger or `true`/`false` (default: no request log). */
  logger?: boolean | { level: string } | FastifyBaseLogger
  /** Sent as Access-Control-Allow-Origin (the dashboard on another port); none by default. */
  corsOrigin?: string | undefined
  /** Cache GET responses per indexed state (default on; see cache.ts). */
  cache?: boolean | CacheOptions
  /** Per-address request limit (default DEFAULT_RATE_LIMIT: loopback exempt); false for none. See rateLimit.ts. */
  rateLimit?: RateLimitOptions | false
  /** The attester nodes' HTTP APIs, asked for what only they hold (readings, uptime); none: those routes answer 503. */
  nodes?: NodeDirectory
}

export type ApiServer = FastifyInstance

export async function createApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(typeof options.logger === 'object' && 'info' in options.logger
      ? { loggerInstance: options.logger }
      : { logger: options.logger ?? false }),
    // Unknown query parameters are refused with a message instead of silently dropped (a misspelt filter would
    // otherwise return everything); query strings are coerced to the declared types.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false, verbose: true } },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>()

  const metrics = createApiMetrics()
  const ctx: ApiContext = {
    db: options.db,
    dialect: options.dialect,
    decimals: options.decimals ?? 18,
    metrics,
    rows: createRowJsonCache(),
  }

  app.addSchema(ErrorBody)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Surety API',
        version: '1',
        description:
          'The indexed state of a Surety deployment. Every response names the block it reflects and whether it is final; see docs/api.md.',
      },
      tags: [
        'services',
        'vaults',
        'stakers',
        'allocations',
        'attesters',
        'orders',
        'slashes',
        'incidents',
        'rewards',
        'credits',
        'network',
        'events',
        'stream',
        'operations',
      ].map((name) => ({ name })),
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  })

  // The answers are built field by field by the schemas' *Json functions, so JSON.stringify writes them; it is
  // several times faster than fast-json-stringify on these shapes (a nullable union is an anyOf, which it resolves
  // by validating each value at run time). That every answer matches its published schema is checked by the API
  // tests, which validate each one against /openapi.json. A list of rows already rendered (queries/rowJson.ts)
  // arrives as its JSON text.
  app.setSerializerCompiler(
    () => (data) => (data instanceof PreserializedJson ? data.json : JSON.stringify(data)),
  )
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  // before every route, so each one (the cached answers too) counts against the caller's limit
  if (options.rateLimit !== false) await installRateLimit(app, options.rateLimit ?? DEFAULT_RATE_LIMIT)

  app.addHook('onRequest', async (req, reply) => {
    if (options.corsOrigin) void reply.header('access-control-allow-origin', options.corsOrigin)
    ;(req as { startedAt?: bigint }).startedAt = process.hrtime.bigint()
  })
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown'
    if (route === '/v1/stream') return
    const started = (req as { startedAt?: bigint }).startedAt
    metrics.requests.inc({ route, status: reply.statusCode })
    if (started !== undefined)
      metrics.duration.observe(Number(process.hrtime.bigint() - started) / 1e9, { route })
  })

  if (options.cache !== false)
    await installResponseCache(
      app,
      options.db,
      options.dialect,
      metrics,
      typeof options.cache === 'object' ? options.cache : {},
    )

  const plugin = { ctx }
  await app.register(servicesRoutes, plugin)
  await app.register(vaultsRoutes, plugin)
  await app.register(stakersRoutes, plugin)
  await app.register(allocationsRoutes, plugin)
  await app.register(attestersRoutes, plugin)
  await app.register(ordersRoutes, plugin)
  await app.register(slashesRoutes, plugin)
  await app.register(incidentsRoutes, plugin)
  await app.register(rewardsRoutes, plugin)
  await app.register(creditsRoutes, plugin)
  await app.register(networkRoutes, plugin)
  await app.register(eventsRoutes, plugin)
  await app.register(streamRoutes, { ctx, pollMs: options.streamPollMs ?? 250 })
  await app.register(opsRoutes, plugin)
  await app.register(serviceAprRoutes, plugin)
  await app.register(nodeReadsRoutes, { ctx, nodes: options.nodes ?? { urls: [] } })

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  return app
}
