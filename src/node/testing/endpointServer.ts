/**
 * Operator endpoints as their own process, so that whatever the test or benchmark process is doing can never
 * slow an endpoint down (a stall there would look like downtime to every node at once). `/op/<name>` answers
 * 200 while up and 503 while down; `POST /control/<name>/<up|down>` flips it; `/stats` counts requests.
 * Prints `listening <port>` when ready.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const down = new Set<string>()
let hits = 0
const server = createServer((req, res) => {
  const url = req.url ?? ''
  const control = /^\/control\/([^/]+)\/(up|down)$/.exec(url)
  if (req.method === 'POST' && control) {
    if (control[2] === 'down') down.add(control[1]!)
    else down.delete(control[1]!)
    res.writeHead(204).end()
    return
  }
  if (url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hits }))
    return
  }
  hits++
  const up = url.startsWith('/op/') && !down.has(url.slice(4))
  res.writeHead(up ? 200 : 503, { 'content-type': 'text/plain' }).end(up ? 'ok' : 'down')
})
server.keepAliveTimeout = 60_000
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
