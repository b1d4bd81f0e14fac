import { parseArgs } from 'node:util'
import { startApi } from '../../api/start.ts'
import { InvalidInputError } from '../../errors.ts'
import type { Command } from '../main.ts'

const usage = `Usage: surety api [--database URL] [--schema NAME] [--port 8546] [--host 127.0.0.1] [--cors ORIGIN]
                  [--decimals 18] [--json]

Serves the indexed state over HTTP (see docs/api.md): REST under /v1, the live stream at /v1/stream, the
OpenAPI document at /openapi.json, and /health, /ready, /metrics. It reads what \`surety index\` writes:
--database is the same SQLite file (default .surety/index.sqlite, or DATABASE_URL when set) or postgres:// URL
(with --schema, default surety). Runs until interrupted (Ctrl-C or SIGTERM).`

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidInputError(`--port must be a TCP port, got '${value}'`)
  return n
}

export const command: Command = {
  summary: 'serve the indexed state over HTTP with OpenAPI and a live stream',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        database: { type: 'string' },
        schema: { type: 'string' },
        port: { type: 'string', default: '8546' },
        host: { type: 'string', default: '127.0.0.1' },
        cors: { type: 'string' },
        decimals: { type: 'string', default: '18' },
        json: { type: 'boolean' },
      },
    })
    const decimals = Number(values.decimals)
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36)
      throw new InvalidInputError(`--decimals must be an integer from 0 to 36, got '${values.decimals}'`)
    const api = await startApi({
      database: values.database ?? process.env.DATABASE_URL ?? '.surety/index.sqlite',
      schema: values.schema,
      port: port(values.port!),
      host: values.host!,
      corsOrigin: values.cors,
      decimals,
      log: !values.json,
    })
    if (values.json) console.log(JSON.stringify({ url: api.url, database: api.describe }))
    else console.log(`Surety API at ${api.url} (reading ${api.describe}); OpenAPI at ${api.url}/openapi.json`)
    const reason = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('interrupted'))
      process.once('SIGTERM', () => resolve('terminated'))
    })
    await api.close()
    console.error(`api stopped: ${reason}`)
    return 0
  },
}
