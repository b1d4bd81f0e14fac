/**
 * The operators' side of the GPU service, simulated on loopback: each operator's declared health endpoint
 * (`/op/<name>/health`, what the attesters probe) and the results of its compute jobs
 * (`/results/<orderId>/<milestone>`, what the attesters check against the committed hash). Whether an endpoint is
 * up follows the world's script (endpointDown), a pure function of the seed and the epoch, so every attester
 * probing during an epoch sees the same thing, and a restarted world replays the same outages.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRng } from '../risk/rng.ts'
import type { OperatorDesign } from './design.ts'

export type Outage = { from: number; to: number }

/**
 * Whether `op`'s endpoint is down during the epoch containing `unixSeconds`: in its hard outage, or (a flaky one)
 * for a whole epoch with probability flakyBps, never during the first `calmEpochs` after the world began.
 */
export function endpointDown(
  seed: number,
  op: OperatorDesign,
  unixSeconds: number,
  epochSeconds: number,
  startedAt: number,
  outage: Outage | undefined,
  calmEpochs = 2,
): boolean {
  if (op.hardFail && outage && unixSeconds >= outage.from && unixSeconds < outage.to) return true
  if (op.flakyBps === 0) return false
  const epoch = Math.floor(unixSeconds / epochSeconds)
  if (epoch < Math.floor(startedAt / epochSeconds) + calmEpochs) return false
  return createRng(seed, 1_000_000 * (op.index + 1) + (epoch % 1_000_000)).next() * 10_000 < op.flakyBps
}

/** The hard outage: whole epochs from the first epoch boundary `afterSeconds` after the world first started. */
export function hardOutage(
  startedAt: number,
  afterSeconds: number,
  epochSeconds: number,
  epochs: number,
): Outage {
  const from = Math.ceil((startedAt + afterSeconds) / epochSeconds) * epochSeconds
  return { from, to: from + epochs * epochSeconds }
}

export type EndpointServer = {
  url: string
  healthUrl: (op: OperatorDesign) => string
  resultUrlTemplate: string
  close: () => Promise<void>
}

export async function startEndpoints(
  ops: OperatorDesign[],
  isDown: (op: OperatorDesign, nowSec: number) => boolean,
  /** What the operator serves as a job's result (undefined: nothing yet). */
  resultOf: (orderId: bigint, milestone: number) => Uint8Array | undefined,
) {
  const byName = new Map(ops.map((o) => [o.name, o]))
  const server = createServer((req, res) => {
    const url = req.url ?? ''
    const health = /^\/op\/([^/]+)\/health$/.exec(url)
    if (health) {
      const op = byName.get(health[1]!)
      const down = !op || isDown(op, Math.floor(Date.now() / 1000))
      res.writeHead(down ? 503 : 200, { 'content-type': 'text/plain' }).end(down ? 'down' : 'ok')
      return
    }
    const result = /^\/results\/(\d+)\/(\d+)$/.exec(url)
    const body = result ? resultOf(BigInt(result[1]!), Number(result[2])) : undefined
    if (!body) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length })
    res.end(Buffer.from(body))
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    healthUrl: (op) => `${url}/op/${op.name}/health`,
    resultUrlTemplate: `${url}/results/{orderId}/{milestone}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  } satisfies EndpointServer
}
