/**
 * A node's real HTTP server with its read routes over a real SQLite store, in-process: what the API's and the
 * dashboard's tests gather readings and uptime from without a chain follower. The store is filled as the node
 * fills it — `keepReading` stores a device-signed reading exactly as ingestion does after its checks, and
 * `keepSamples` the probe aggregates and verdicts as the prober and the epoch judge do.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Address, Hex } from 'viem'
import { parseNodeConfig } from '../config.ts'
import { readRoutes } from '../http/readRoutes.ts'
import { startHttpServer } from '../http/server.ts'
import { createLogger } from '../log.ts'
import { epochSubject } from '../measure/epochJudge.ts'
import { openStore, type Store } from '../store/store.ts'
import { type Reading, readingDigest } from '../telemetry/reading.ts'

const ZERO = '0x0000000000000000000000000000000000000000'

export type ReadNode = { url: string; address: Address; store: Store; close: () => Promise<void> }

export async function startReadNode(o: {
  address: Address
  chainId: number
  /** The node config's `services` section (what it probes: serviceId, epochSeconds, verdict, operators). */
  services?: Record<string, unknown>[]
  now?: () => number
}): Promise<ReadNode> {
  const dir = mkdtempSync(join(tmpdir(), 'surety-readnode-'))
  const config = parseNodeConfig({
    chain: { rpcUrl: 'http://127.0.0.1:1', chainId: o.chainId, addresses: { registry: ZERO, court: ZERO } },
    key: { env: 'SURETY_NODE_KEY' },
    store: { path: join(dir, 'node.db') },
    api: { port: 0 },
    services: o.services ?? [],
  })
  const store = openStore(config.store.path)
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    routes: readRoutes({ config, store, address: o.address, chainId: o.chainId, now: o.now ?? Date.now }),
    log: createLogger({ level: 'error', write: () => {} }),
    maxBodyBytes: 1024,
  })
  return {
    url: server.url,
    address: o.address,
    store,
    close: async () => {
      await server.close()
      store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Stores a signed reading as ingestion stores an accepted one (telemetry/ingest.ts). */
export function keepReading(store: Store, chainId: number, r: Reading): boolean {
  const { signature, ...unsigned } = r
  return store.telemetry.insert(
    {
      digest: readingDigest({ chainId }, unsigned),
      orderId: r.orderId.toLowerCase() as Hex,
      device: r.device.toLowerCase() as Address,
      seq: r.seq,
      timestamp: r.timestamp,
      kind: r.kind,
      temperatureCentiC: r.temperatureCentiC,
      latE7: r.latE7,
      lonE7: r.lonE7,
      ...(signature ? { signature: signature as Hex } : {}),
    },
    Date.now(),
  )
}

/** Stores one epoch's probe aggregate and, when given, the verdict taken on it. */
export function keepSamples(
  store: Store,
  e: { serviceId: bigint; vault: Address; epoch: number; samples: number; ok: number; verdict?: string },
) {
  store.measure.saveSamples([{ ...e, latencies: [] }])
  if (e.verdict)
    store.measure.putVerdict({
      subject: epochSubject(e.serviceId, e.vault, e.epoch),
      kind: 'epoch',
      verdict: e.verdict,
      detail: {},
      judgedAt: Date.now(),
    })
}
