/**
 * A small JSON-over-HTTP server on node:http: exact-path routes, a body size limit, and handler errors turned into
 * JSON answers (never a stack trace to a peer or a device).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { InvalidInputError } from '../../errors.ts'
import type { Logger } from '../log.ts'
import { createRateLimiter } from './rateLimit.ts'

export type Reply = { status: number; body: unknown; contentType?: string }
export type Request = {
  body: unknown
  /** The body as received (what a peer request's signature covers). */
  rawBody: string
  url: URL
  method: string
  headers: IncomingMessage['headers']
  /** The client's address, for per-IP limits. */
  remote: string
}
export type Handler = (req: Request) => Promise<Reply> | Reply
export type Routes = Record<string, Handler>

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new BodyTooLarge()
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function send(res: ServerResponse, reply: Reply) {
  const text =
    typeof reply.body === 'string'
      ? reply.body
      : JSON.stringify(reply.body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? (typeof reply.body === 'string' ? 'text/plain' : 'application/json'),
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

/** The bounds a stranger meets before any handler runs (see docs/node.md, Threat model). */
export type ServerLimits = {
  maxConnections: number
  headersTimeoutMs: number
  requestTimeoutMs: number
  keepAliveTimeoutMs: number
  requestsPerSecondPerIp: number
  burstPerIp: number
}

const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 256,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  requestsPerSecondPerIp: 50,
  burstPerIp: 100,
}

export async function startHttpServer(options: {
  host: string
  port: number
  routes: Routes
  log: Logger
  maxBodyBytes: number
  limits?: Partial<ServerLimits>
  /** Called when a request is refused by the per-IP rate limit. */
  onLimited?: () => void
}): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  const perIp = createRateLimiter({ ratePerSecond: limits.requestsPerSecondPerIp, burst: limits.burstPerIp })
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // how often the timeouts above are checked (Node's default, 30 s, would let a slow client keep its socket)
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req, res) => void handle(req, res),
  )
  server.maxConnections = limits.maxConnections

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost')
    // before the body is read: a flood costs this node a map lookup per request, not a parse
    if (!perIp.take(req.socket.remoteAddress ?? 'unknown')) {
      options.onLimited?.()
      res.setHeader('retry-after', '1')
      res.shouldKeepAlive = false
      return send(res, { status: 429, body: { error: 'too many requests from this address' } })
    }
    const handler = options.routes[`${req.method} ${url.pathname}`]
    if (!handler) return send(res, { status: 404, body: { error: `no route ${req.method} ${url.pathname}` } })
    let body: unknown
    let rawBody = ''
    if (req.method === 'POST') {
      const declared = Number(req.headers['content-length'] ?? 0)
      if (declared > options.maxBodyBytes) {
        res.shouldKeepAlive = false
        return send(res, { status: 413, body: { error: `body larger than ${options.maxBodyBytes} bytes` } })
      }
      try {
        const text = await readBody(req, options.maxBodyBytes)
        rawBody = text
        body = text ? JSON.parse(text) : undefined
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          // the rest of the body is not read: close the connection rather than drain it
          res.shouldKeepAlive = false
          return send(res, { status: 413, body: { error: `body larger than ${options.maxBodyBytes} bytes` } })
        }
        return send(res, { status: 400, body: { error: 'body is not JSON' } })
      }
    }
    try {
      send(
        res,
        await handler({
          body,
          rawBody,
          url,
          method: req.method ?? 'GET',
          headers: req.headers,
          remote: req.socket.remoteAddress ?? 'unknown',
        }),
      )
    } catch (error) {
      // bad input found deep in a handler (too many signatures, …): the sender is told what, never a stack
      if (error instanceof InvalidInputError)
        return send(res, { status: 400, body: { error: error.message } })
      options.log.error('http handler failed', { route: url.pathname, error: (error as Error).message })
      send(res, { status: 500, body: { error: 'internal error' } })
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    server,
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
