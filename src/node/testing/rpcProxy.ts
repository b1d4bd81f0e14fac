/**
 * A JSON-RPC proxy for tests, on 127.0.0.1: forwards every request to the real chain, except those the test
 * chooses to fail (answered 503, as a flaky RPC provider does), so a test can break exactly the reads it means to.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export type RpcProxy = {
  url: string
  /** Decides, per JSON-RPC method, whether this request fails; undefined: nothing fails. */
  fail: (decide: ((method: string) => boolean) | undefined) => void
  failures: () => number
  close: () => Promise<void>
}

export async function startRpcProxy(target: string): Promise<RpcProxy> {
  let decide: ((method: string) => boolean) | undefined
  let failures = 0
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    let methods: string[] = []
    try {
      const parsed = JSON.parse(body) as { method: string } | { method: string }[]
      methods = (Array.isArray(parsed) ? parsed : [parsed]).map((r) => r.method)
    } catch {}
    if (decide && methods.some((m) => decide!(m))) {
      failures++
      res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream unavailable')
      return
    }
    const upstream = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    fail: (d) => {
      decide = d
    },
    failures: () => failures,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
