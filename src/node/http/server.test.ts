/**
 * The API server's bounds against a stranger, on a real socket (127.0.0.1): connections, slow headers, body size
 * and the per-IP rate, each met before any handler runs; bad input found in a handler is a 400 with its reason.
 */
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { describe, test } from 'node:test'
import { InvalidInputError } from '../../errors.ts'
import { silentLogger } from '../log.ts'
import { type ServerLimits, startHttpServer } from './server.ts'

async function serve(limits: Partial<ServerLimits>) {
  return startHttpServer({
    host: '127.0.0.1',
    port: 0,
    log: silentLogger,
    maxBodyBytes: 1024,
    limits,
    routes: {
      'GET /health': () => ({ status: 200, body: { ok: true } }),
      'POST /echo': ({ body }) => ({ status: 200, body }),
      'POST /bad': () => {
        throw new InvalidInputError('signatures: too many')
      },
    },
  })
}

const open = (url: string) =>
  new Promise<Socket>((resolve, reject) => {
    const { port } = new URL(url)
    const s = connect(Number(port), '127.0.0.1', () => resolve(s))
    s.once('error', reject)
  })
/** Resolves when the server closes `s`; fails (rather than hangs) if it never does within a generous bound. */
const closed = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server kept the connection open')), 20_000)
    s.once('close', () => clearTimeout(timer))
    if (s.destroyed || s.readyState === 'closed') resolve()
    s.once('close', () => resolve())
    s.on('error', () => {})
    // flowing, so that the server's end of the stream is seen
    s.resume()
  })
const ask = (s: Socket, path: string) =>
  new Promise<string>((resolve) => {
    let text = ''
    s.on('data', (d) => {
      text += String(d)
      if (text.includes('\r\n\r\n')) resolve(text)
    })
    s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
  })

describe('the API server’s bounds', () => {
  test('connections past maxConnections are closed on arrival; the ones inside keep working', async () => {
    const api = await serve({ maxConnections: 2 })
    try {
      const [a, b] = [await open(api.url), await open(api.url)]
      const c = await open(api.url)
      await closed(c)
      assert.match(await ask(a, '/health'), /^HTTP\/1.1 200/)
      a.destroy()
      b.destroy()
    } finally {
      await api.close()
    }
  })

  test('a client that never finishes its headers is disconnected', async () => {
    const api = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 })
    try {
      const s = await open(api.url)
      s.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n')
      await closed(s)
      assert.ok(s.destroyed || s.readyState === 'closed')
    } finally {
      await api.close()
    }
  })

  test('a body over the limit is refused with 413; bad input deep in a handler is a 400 with its reason', async () => {
    const api = await serve({})
    try {
      const big = await fetch(`${api.url}/echo`, { method: 'POST', body: JSON.stringify('x'.repeat(2048)) })
      assert.equal(big.status, 413)
      const bad = await fetch(`${api.url}/bad`, { method: 'POST', body: '{}' })
      assert.deepEqual([bad.status, await bad.json()], [400, { error: 'signatures: too many' }])
    } finally {
      await api.close()
    }
  })

  test('requests past the per-IP rate are answered 429 before their body is read', async () => {
    const api = await serve({ requestsPerSecondPerIp: 0.001, burstPerIp: 3 })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${api.url}/echo`, { method: 'POST', body: '{"n":1}' })
        await r.arrayBuffer()
        statuses.push(r.status)
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429])
    } finally {
      await api.close()
    }
  })
})
