/** Opens the index database and listens: what `surety api` runs (the devnet mounts createApiServer instead). */

import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { InvalidInputError, SuretyError } from '../errors.ts'
import { isPostgresUrl, openIndexerDb } from '../indexer/db/open.ts'
import type { RateLimitOptions } from './rateLimit.ts'
import { createApiServer } from './server.ts'

export type StartApiOptions = {
  database: string
  schema?: string | undefined
  port: number
  host: string
  corsOrigin?: string | undefined
  decimals?: number
  streamPollMs?: number
  /** Cache GET responses per indexed state (default true). */
  cache?: boolean
  /** Per-address request limit (default DEFAULT_RATE_LIMIT, loopback exempt); false for none. */
  rateLimit?: RateLimitOptions | false
  /** Log requests that fail and stream errors as JSON lines (pino) on stdout. */
  log?: boolean
  /** Attester node API URLs (see ApiServerOptions.nodes). */
  nodes?: string[]
}

export async function startApi(options: StartApiOptions) {
  // A path that names no file is a typo or an index not built yet: say so rather than serve a new empty database.
  if (!isPostgresUrl(options.database) && options.database !== ':memory:' && !existsSync(options.database))
    throw new InvalidInputError(
      `no index database at ${options.database}: run \`surety index\` first, or pass the --database it writes`,
    )
  const opened = await openIndexerDb({ url: options.database, schema: options.schema })
  const app = await createApiServer({
    db: opened.db,
    dialect: opened.dialect,
    decimals: options.decimals,
    streamPollMs: options.streamPollMs,
    // warn and above: failures, not one line per request
    logger: options.log ? { level: 'warn' } : false,
    corsOrigin: options.corsOrigin,
    cache: options.cache ?? true,
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    nodes: { urls: options.nodes ?? [] },
  })
  try {
    await app.listen({ port: options.port, host: options.host })
  } catch (error) {
    await app.close()
    await opened.close()
    throw new SuretyError(
      `cannot listen on ${options.host}:${options.port}: ${(error as Error).message}; choose another --port or --host`,
      { cause: error },
    )
  }
  const address = app.server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    app,
    url: `http://${host}:${address.port}`,
    port: address.port,
    describe: opened.describe,
    async close() {
      await app.close()
      await opened.close()
    },
  }
}
