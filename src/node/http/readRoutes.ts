/**
 * The node's read routes: what this attester received and measured, for the API to gather from the committee
 * (src/api/routes/orderReadings.ts, vaultUptime.ts). Public like /v1/status — readings are device-signed and a
 * reader checks them itself; uptime is this node's own view — and bounded: a page of readings, a window of
 * epochs, behind the per-IP rate limit every route of the server has (server.ts).
 *
 *   GET /v1/telemetry?order=0x<32 bytes>[&limit=N]  an order's readings as the device signed them, oldest first
 *   GET /v1/uptime?vault=0x<address>[&epochs=N]     per service this node probes the vault for, its last N epochs:
 *                                                   probes, successes, the fraction up and this node's verdict
 */
import type { Address, Hex } from 'viem'
import type { NodeConfig } from '../config.ts'
import { epochSubject } from '../measure/epochJudge.ts'
import { epochOf } from '../measure/verdict.ts'
import { readQueries } from '../store/readQueries.ts'
import type { Store } from '../store/store.ts'
import type { Reply, Routes } from './server.ts'

export const MAX_READINGS = 2_000
export const DEFAULT_READINGS = 500
export const MAX_EPOCHS = 288
export const DEFAULT_EPOCHS = 48

const badRequest = (error: string): Reply => ({ status: 400, body: { error } })

/** `?name=` as an integer in [1, max], its default when absent; a string is the refusal. */
function boundedInt(url: URL, name: string, fallback: number, max: number): number | string {
  const raw = url.searchParams.get(name)
  if (raw === null) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > max)
    return `${name} must be an integer from 1 to ${max}, got '${raw}'`
  return n
}

export function readRoutes(deps: {
  config: NodeConfig
  store: Store
  address: Address
  chainId: number
  now: () => number
}): Routes {
  const q = readQueries(deps.store.db)
  const who = { address: deps.address, chainId: deps.chainId }
  return {
    'GET /v1/telemetry': ({ url }) => {
      const order = url.searchParams.get('order')
      if (!order || !/^0x[0-9a-fA-F]{64}$/.test(order))
        return badRequest('order must be the 32-byte order key (0x + 64 hex digits), e.g. ?order=0x00…01')
      const limit = boundedInt(url, 'limit', DEFAULT_READINGS, MAX_READINGS)
      if (typeof limit === 'string') return badRequest(limit)
      const { readings, total } = q.readings(order as Hex, limit)
      return {
        status: 200,
        body: {
          ...who,
          orderId: order.toLowerCase(),
          total,
          truncated: total > readings.length,
          readings: readings.map((r) => ({ ...r, signature: r.signature ?? null })),
        },
      }
    },
    'GET /v1/uptime': ({ url }) => {
      const vault = url.searchParams.get('vault')
      if (!vault || !/^0x[0-9a-fA-F]{40}$/.test(vault))
        return badRequest('vault must be an address (0x + 40 hex digits), e.g. ?vault=0x…')
      const epochs = boundedInt(url, 'epochs', DEFAULT_EPOCHS, MAX_EPOCHS)
      if (typeof epochs === 'string') return badRequest(epochs)
      const services = deps.config.services
        .filter((s) => s.operators.some((o) => o.vault.toLowerCase() === vault.toLowerCase()))
        .map((s) => {
          const serviceId = BigInt(s.serviceId)
          const current = epochOf(deps.now(), s.epochSeconds)
          const rows = q.samples(serviceId, vault, current - epochs + 1, epochs)
          return {
            serviceId: String(s.serviceId),
            epochSeconds: s.epochSeconds,
            minUptimeBps: s.verdict.minUptimeBps,
            currentEpoch: current,
            epochs: rows.map((r) => ({
              epoch: r.epoch,
              start: r.epoch * s.epochSeconds,
              samples: r.samples,
              ok: r.ok,
              // rounded down, as the verdict rounds (measure/verdict.ts)
              uptimeBps: r.samples === 0 ? 0 : Math.floor((r.ok * 10_000) / r.samples),
              verdict: deps.store.measure.verdict(epochSubject(serviceId, vault, r.epoch))?.verdict ?? null,
            })),
          }
        })
      return { status: 200, body: { ...who, vault: vault.toLowerCase(), services } }
    },
  }
}
