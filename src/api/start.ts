/** Opens the index database and listens: what `surety api` runs (the devnet mounts createApiServer instead). */
import type { AddressInfo } from 'node:net'
import { SuretyError } from '../errors.ts'
import { openIndexerDb } from '../indexer/db/open.ts'
import { createApiServer } from './server.ts'

export type StartApiOptions = {
  database: string
  schema?: string | undefined
  port: number
  host: string
  corsOrigin?: string | undefined
  decimals?: number
  streamPollMs?: number
  /** Log requests that fail and stream errors as JSON lines (pino) on stdout. */
  log?: boolean
}

export async function startApi(options: StartApiOptions) {
  const opened = await openIndexerDb({ url: options.database, schema: options.schema })
  const app = await createApiServer({
    db: opened.db,
    dialect: opened.dialect,
    decimals: options.decimals,
    streamPollMs: options.streamPollMs,
    // warn and above: failures, not one line per request
    logger: options.log ? { level: 'warn' } : false,
    corsOrigin: options.corsOrigin,
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
