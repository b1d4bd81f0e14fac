/**
 * Serves the built dashboard (web/dist, from `npm run build:web`) from the API's own Fastify instance: hashed
 * assets under /assets/ cached for a year, index.html for every page path, each file gzipped once at start and
 * sent compressed to browsers that accept it. Also answers GET /v1/dashboard/config: what the page needs to know
 * about the deployment (chain, token, and on a devnet where its RPC is, for the devnet actions).
 *
 * Page paths are registered one by one, not as a catch-all, so the API's own 404 handler still answers every
 * other path with its JSON error.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
// for the route option `schema.hide` (keeps the dashboard's routes out of /openapi.json)
import type {} from '@fastify/swagger'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SuretyAddresses } from '../sdk/types.ts'

export const DEFAULT_DASHBOARD_DIR = resolve(import.meta.dirname, '../../web/dist')

/** The dashboard's page paths (web/src/lib/router.ts holds the same table). */
export const DASHBOARD_PAGES = [
  '/',
  '/services/:id',
  '/vaults/:address',
  '/position',
  '/position/:address',
  '/slashes',
  '/slashes/:id',
  '/orders',
  '/orders/:id',
  '/risk',
] as const

export type DashboardConfig = {
  chainId: number
  /** Where the browser sends devnet transactions; only given for a devnet (a production page uses a wallet). */
  rpcUrl: string | null
  devnet: boolean
  addresses: SuretyAddresses
  token: { symbol: string; decimals: number }
  /** Names of services and their violation classes by service id (the manifest's `labels`); may be empty. */
  labels: { services: Record<string, { name: string; classes?: string[] | undefined }> }
}

export type ServeDashboardOptions = {
  /** The built files; default web/dist of this checkout. */
  dir?: string
  config: DashboardConfig
}

type File = { type: string; body: Buffer; gzip: Buffer | null; immutable: boolean }

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
}

function loadFiles(dir: string): Map<string, File> {
  const files = new Map<string, File>()
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name)
      if (statSync(path).isDirectory()) {
        walk(path)
        continue
      }
      const url = `/${relative(dir, path).split('\\').join('/')}`
      const type = TYPES[extname(name)] ?? 'application/octet-stream'
      const body = readFileSync(path)
      // compress what compresses; images and fonts already are
      const gzip = /text|json|svg|wasm/.test(type) && body.length > 512 ? gzipSync(body, { level: 9 }) : null
      files.set(url, { type, body, gzip, immutable: url.startsWith('/assets/') })
    }
  }
  walk(dir)
  return files
}

function send(request: FastifyRequest, reply: FastifyReply, file: File) {
  void reply.header('content-type', file.type)
  void reply.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
  void reply.header('vary', 'accept-encoding')
  const accepts = String(request.headers['accept-encoding'] ?? '')
  if (file.gzip && /\bgzip\b/.test(accepts)) {
    void reply.header('content-encoding', 'gzip')
    return reply.send(file.gzip)
  }
  return reply.send(file.body)
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Surety dashboard not built</title>
<body style="font:16px system-ui;margin:3rem;max-width:40rem"><h1>The dashboard is not built</h1>
<p>The API is running, but its web files are missing. Run <code>npm run build:web</code> (or <code>npm start</code>,
which builds it) and reload this page.</p></body>`

export function serveDashboard(app: FastifyInstance, options: ServeDashboardOptions): { built: boolean } {
  const dir = options.dir ?? DEFAULT_DASHBOARD_DIR
  const built = existsSync(join(dir, 'index.html'))
  const files = built ? loadFiles(dir) : new Map<string, File>()
  const index = files.get('/index.html')

  app.get('/v1/dashboard/config', { schema: { hide: true } }, async () => options.config)

  for (const path of DASHBOARD_PAGES) {
    app.get(path, { schema: { hide: true } }, (request, reply) => {
      if (!index) return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT)
      return send(request, reply, index)
    })
  }
  app.get('/assets/*', { schema: { hide: true } }, (request, reply) => {
    const file = files.get(request.url.split('?')[0]!)
    if (!file) return reply.status(404).type('text/plain').send('no such dashboard asset; reload the page')
    return send(request, reply, file)
  })
  return { built }
}
