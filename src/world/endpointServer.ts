/**
 * The operators' endpoints as their own process (started by endpoints.ts), so that whatever the world's main
 * process is busy with — replaying history, signing readings, the risk solver — can never slow an endpoint down:
 * a stall there would look like downtime to every attester at once. It serves
 *   GET  /op/<operator>/health                      200 or 503, by the world's script (endpointDown)
 *   GET  /results/<orderId>/<milestone>/<vault>      the job's result: the right bytes, or now and then wrong ones
 *   POST /control/script  { startedAt }              starts the script (no outage before the world runs)
 * Configuration comes as JSON in SURETY_WORLD_ENDPOINTS; it prints `listening <port>` when ready.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { rngFor } from './context.ts'
import { designWorld } from './design.ts'
import { endpointDown, hardOutage } from './endpoints.ts'
import { PROFILES } from './profile.ts'
import { resultBytes } from './results.ts'

const config = JSON.parse(process.env.SURETY_WORLD_ENDPOINTS ?? '{}') as {
  seed: number
  profile: 'demo' | 'fast'
  vaults: string[]
  port: number
}
const design = designWorld(config.seed)
const profile = PROFILES[config.profile]
const rng = rngFor(config.seed)
const byName = new Map(design.operators.map((o) => [o.name, o]))
const byVault = new Map(config.vaults.map((v, i) => [v.toLowerCase(), i]))
let startedAt: number | undefined

const server = createServer((req, res) => {
  const url = req.url ?? ''
  if (req.method === 'POST' && url === '/control/script') {
    let body = ''
    req.on('data', (c) => {
      body += String(c)
    })
    req.on('end', () => {
      startedAt = Number((JSON.parse(body) as { startedAt: number }).startedAt)
      res.writeHead(204).end()
    })
    return
  }
  const health = /^\/op\/([^/]+)\/health$/.exec(url)
  if (health) {
    const op = byName.get(health[1]!)
    const now = Math.floor(Date.now() / 1000)
    const down =
      !op ||
      (startedAt !== undefined &&
        endpointDown(
          config.seed,
          op,
          now,
          profile.epochSeconds,
          startedAt,
          hardOutage(startedAt, profile.hardFailAfterSeconds, profile.epochSeconds, profile.hardFailEpochs),
        ))
    res.writeHead(down ? 503 : 200, { 'content-type': 'text/plain' }).end(down ? 'down' : 'ok')
    return
  }
  const result = /^\/results\/(\d+)\/(\d+)\/(0x[0-9a-fA-F]{40})$/.exec(url)
  const op = result ? byVault.get(result[3]!.toLowerCase()) : undefined
  if (!result || op === undefined) {
    res.writeHead(404).end()
    return
  }
  const body = resultBytes(rng, design, BigInt(result[1]!), Number(result[2]), op, config.seed)
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length })
  res.end(Buffer.from(body))
})
server.keepAliveTimeout = 60_000
server.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`)
})
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
// never outlive the world: its stdin is a pipe that closes when the world's process ends, however it ends
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
