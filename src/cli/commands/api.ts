import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startApi } from '../../api/start.ts'
import { InvalidInputError } from '../../errors.ts'
import type { Command } from '../main.ts'

const usage = `Usage: surety api [--database URL] [--schema NAME] [--port 8546] [--host 127.0.0.1] [--cors ORIGIN]
                  [--decimals 18] [--no-cache] [--rate-limit 1200] [--rate-limit-loopback] [--node URL]...
                  [--json]

Serves the indexed state over HTTP (see docs/api.md): REST under /v1, the live stream at /v1/stream, the
OpenAPI document at /openapi.json, and /health, /ready, /metrics. It reads what \`surety index\` writes:
--database is the same SQLite file (default: DATABASE_URL, else the one .surety/indexer-<chainId>.sqlite) or URL
(with --schema, default surety). GET responses are cached per indexed block unless --no-cache.
Each client address may make --rate-limit requests a minute (default 1200; 0 for no limit), then gets 429 with
when to retry; loopback clients are exempt unless --rate-limit-loopback (set it behind a proxy on this host).
--node names an attester node's HTTP API (repeat it, one per attester): what only the nodes hold — a shipment's
signed readings (/v1/orders/{id}/readings) and measured uptime (/v1/vaults/{vault}/uptime) — is gathered from them.
Runs until interrupted (Ctrl-C or SIGTERM).`

/** What `surety index` writes by default: `.surety/indexer-<chainId>.sqlite`; used when there is exactly one. */
function defaultDatabase(): string {
  const dir = '.surety'
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => /^indexer-\d+\.sqlite$/.test(f)) : []
  if (found.length === 1) return join(dir, found[0]!)
  throw new InvalidInputError(
    found.length === 0
      ? 'no index database: run `surety index` first, or pass --database FILE|postgres://… (or set DATABASE_URL)'
      : `several index databases in ${dir} (${found.join(', ')}): pass --database to choose one`,
  )
}

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidInputError(`--port must be a TCP port, got '${value}'`)
  return n
}

function nodeUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidInputError(`--node must be a node's API URL like http://127.0.0.1:8555, got '${value}'`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidInputError(`--node must be an http(s) URL, got '${value}'`)
  return url.origin + url.pathname.replace(/\/$/, '')
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        database: { type: 'string' },
        schema: { type: 'string' },
        port: { type: 'string', default: '8546' },
        host: { type: 'string', default: '127.0.0.1' },
        cors: { type: 'string' },
        decimals: { type: 'string', default: '18' },
        'no-cache': { type: 'boolean' },
        'rate-limit': { type: 'string', default: '1200' },
        'rate-limit-loopback': { type: 'boolean' },
        node: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
    })
  } catch (error) {
    // node's parseArgs throws a TypeError for an unknown or malformed option: a message, not a stack trace
    throw new InvalidInputError(`${(error as Error).message} Run \`surety api --help\` for the options.`)
  }
}

export const command: Command = {
  summary: 'serve the indexed state over HTTP with OpenAPI and a live stream',
  usage,
  async run(args) {
    const { values } = parseOptions(args)
    const decimals = Number(values.decimals)
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36)
      throw new InvalidInputError(`--decimals must be an integer from 0 to 36, got '${values.decimals}'`)
    const listenPort = port(values.port!)
    const perMinute = Number(values['rate-limit'])
    if (!Number.isInteger(perMinute) || perMinute < 0)
      throw new InvalidInputError(
        `--rate-limit must be a whole number of requests per minute (0 for no limit), got '${values['rate-limit']}'`,
      )
    const nodes = (values.node ?? []).map(nodeUrl)
    const api = await startApi({
      database: values.database ?? process.env.DATABASE_URL ?? defaultDatabase(),
      schema: values.schema,
      port: listenPort,
      host: values.host!,
      corsOrigin: values.cors,
      decimals,
      cache: !values['no-cache'],
      rateLimit:
        perMinute === 0
          ? false
          : { max: perMinute, windowMs: 60_000, loopback: values['rate-limit-loopback'] },
      log: !values.json,
      nodes,
    })
    // (the listeners go on before the ready line: a caller that reads it and signals at once must find them)
    const stopped = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('interrupted'))
      process.once('SIGTERM', () => resolve('terminated'))
    })
    if (values.json) console.log(JSON.stringify({ url: api.url, database: api.describe }))
    else console.log(`Surety API at ${api.url} (reading ${api.describe}); OpenAPI at ${api.url}/openapi.json`)
    const reason = await stopped
    await api.close()
    console.error(`api stopped: ${reason}`)
    return 0
  },
}
