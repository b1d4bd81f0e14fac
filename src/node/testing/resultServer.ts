/** A tiny HTTP server for tests: serves byte results at paths the test sets (an operator's compute results). */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ResultServer = {
  url: string
  set: (path: string, bytes: Uint8Array) => void
  close: () => Promise<void>
}

export async function startResultServer(): Promise<ResultServer> {
  const results = new Map<string, Uint8Array>()
  const server = createServer((req, res) => {
    const body = results.get(req.url ?? '')
    if (!body) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length })
    res.end(Buffer.from(body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    set: (path, bytes) => void results.set(path, bytes),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
