/**
 * What the dashboard's browser tests run against: a real devnet (anvil, Surety deployed, the demo world seeded),
 * the index of it in a SQLite file, an attester node (`surety node`, a real process following the devnet as the
 * first of the service's attesters, probing both operators' endpoints and taking device telemetry), and the API
 * serving the built dashboard (createApiServer + mountDashboard) on a free port, gathering readings and uptime from
 * that node. `stop()` stops everything.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { type Address, bytesToHex, createPublicClient, http, type PublicClient } from 'viem'
import type { HDAccount } from 'viem/accounts'
import { stringify } from 'yaml'
import { mountDashboard } from '../../src/api/mountDashboard.ts'
import { DEFAULT_DASHBOARD_DIR } from '../../src/api/serveDashboard.ts'
import { createApiServer } from '../../src/api/server.ts'
import { freePort } from '../../src/chain/anvil.ts'
import { type Devnet, startDevnet } from '../../src/chain/devnet.ts'
import { openIndexerDb } from '../../src/indexer/db/open.ts'
import { createIndexer } from '../../src/indexer/engine/runIndexer.ts'
import { spawnNode } from '../../src/node/testing/processes.ts'
import { createSuretyClient } from '../../src/sdk/createSuretyClient.ts'
import {
  executeSlash,
  incidentIdFor,
  requestSlash,
  type SlashDetails,
  signReport,
} from '../../src/sdk/index.ts'

/** The names the dashboard world's manifest gives its service's violation classes (the pages show them). */
export const DASHBOARD_CLASSES = ['downtime', 'wrong output']

export type DashboardWorld = {
  devnet: Devnet
  /** Reads of the devnet chain, for assertions. */
  chain: PublicClient
  app: FastifyInstance
  url: string
  /** The attester node's API (POST /v1/telemetry takes a device's readings). */
  nodeUrl: string
  /** The node's epoch length: uptime is measured per epoch of this many seconds. */
  epochSeconds: number
  stop: () => Promise<void>
}

export async function startDashboardWorld(): Promise<DashboardWorld> {
  if (!existsSync(join(DEFAULT_DASHBOARD_DIR, 'index.html')))
    throw new Error(
      `the dashboard is not built (${DEFAULT_DASHBOARD_DIR}): run npm run build:web first (npm test does)`,
    )
  const dir = mkdtempSync(join(tmpdir(), 'surety-dash-'))
  const devnet = await startDevnet({ port: await freePort(), manifestDir: dir })
  const stops: (() => Promise<void>)[] = [() => devnet.stop()]
  const stop = async () => {
    for (const s of stops.reverse()) await s()
  }
  try {
    const { chainId, addresses } = devnet.deployment
    const db = await openIndexerDb({ url: join(dir, 'index.sqlite') })
    stops.push(() => db.close())
    const indexer = await createIndexer({
      client: createPublicClient({
        transport: http(devnet.anvil.rpcUrl),
        pollingInterval: 50,
      }) as PublicClient,
      idb: db,
      chainId,
      addresses,
      startBlock: 0n,
      finalityDepth: 12,
      pollMs: 100,
    })
    await indexer.catchUp()
    const running = new AbortController()
    const indexing = indexer.run(running.signal).catch((error: unknown) => {
      if (!running.signal.aborted) console.error('indexer stopped:', error)
    })
    stops.push(async () => {
      running.abort()
      await indexing
    })
    const nodePort = await freePort()
    const nodeUrl = `http://127.0.0.1:${nodePort}`
    const app = await createApiServer({
      db: db.db,
      dialect: db.dialect,
      streamPollMs: 100,
      nodes: { urls: [nodeUrl] },
    })
    stops.push(() => app.close())
    mountDashboard(app, {
      rpcUrl: devnet.anvil.rpcUrl,
      chainId,
      addresses,
      devnet: true,
      labels: {
        services: { [String(devnet.world!.serviceId)]: { name: 'gpu-render', classes: DASHBOARD_CLASSES } },
      },
    })
    const url = await app.listen({ host: '127.0.0.1', port: 0 })
    const epochSeconds = 5
    const configPath = join(dir, 'node.yaml')
    writeFileSync(
      configPath,
      stringify({
        chain: {
          rpcUrl: devnet.anvil.rpcUrl,
          chainId,
          addresses,
          // the devnet mines a block per transaction: an order is known as soon as it is opened
          confirmations: 0,
          pollIntervalMs: 500,
          startBlock: 0,
        },
        key: { env: 'SURETY_NODE_KEY' },
        roles: { attester: true, keeper: false },
        store: { path: join(dir, 'node.db') },
        api: { port: nodePort },
        log: { level: 'warn' },
        services: [
          {
            serviceId: Number(devnet.world!.serviceId),
            epochSeconds,
            // random (Poisson) probe timing: 10 expected per 5 s epoch, fewer than 2 in 1 epoch of 2,000
            probe: { intervalMs: 500, timeoutMs: 1_000 },
            verdict: { minSamples: 2 },
            // the operators' "endpoints" are this API's /health: up for as long as the test runs
            operators: devnet.world!.vaults.map((vault) => ({ vault, endpoint: `${url}/health` })),
          },
        ],
        timing: { judgeDelayMs: 3_000, judgeIntervalMs: 1_000 },
        // the tests move the chain's clock ahead (travel), and readings are stamped in chain time
        telemetry: { maxSkewSeconds: 365 * 24 * 3600 },
      }),
    )
    const attester = devnet.accounts[10] as HDAccount
    const node = spawnNode(configPath, { SURETY_NODE_KEY: bytesToHex(attester.getHdKey().privateKey!) })
    stops.push(async () => void (await node.stop()))
    await waitHealthy(nodeUrl, node.lines)
    const chain = createPublicClient({ transport: http(devnet.anvil.rpcUrl) }) as PublicClient
    return { devnet, chain, app, url, nodeUrl, epochSeconds, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

async function waitHealthy(url: string, lines: string[]) {
  // a node compiles its TypeScript on start: slow on a loaded machine
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(
    `the attester node did not serve /health within 2 minutes; its last lines:\n${lines.slice(-8).join('\n')}`,
  )
}

/** A slash of `vault` on the devnet's service: a report signed by three of its five attesters (quorum 60%). */
export async function requestDevnetSlash(world: DashboardWorld, vault: Address, label: string, classId = 0) {
  const { devnet } = world
  const { chainId, addresses } = devnet.deployment
  const report = {
    serviceId: devnet.world!.serviceId,
    vault,
    classId,
    incidentId: incidentIdFor(label),
    client: devnet.accounts[15]!.address,
  }
  const domain = { chainId, court: addresses.court }
  const signatures = await Promise.all(
    devnet.accounts.slice(10, 13).map((a) => signReport(a, domain, report)),
  )
  const reporter = createSuretyClient({
    rpcUrl: devnet.anvil.rpcUrl,
    chainId,
    account: devnet.accounts[0]!,
    addresses,
  })
  return requestSlash(reporter, { report, signatures })
}

/** Executes a matured slash (anyone may). */
export async function executeDevnetSlash(world: DashboardWorld, details: SlashDetails) {
  const { devnet } = world
  const { chainId, addresses } = devnet.deployment
  const keeper = createSuretyClient({
    rpcUrl: devnet.anvil.rpcUrl,
    chainId,
    account: devnet.accounts[0]!,
    addresses,
  })
  return executeSlash(keeper, { details })
}

/** One JSON-RPC call to the devnet (anvil's test methods: snapshots, time, mining). */
export async function rpc(world: DashboardWorld, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(world.devnet.anvil.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

/** Moves the devnet's clock forward and mines a block stamped there. */
export async function travel(world: DashboardWorld, seconds: number) {
  await rpc(world, 'evm_increaseTime', [seconds])
  await rpc(world, 'evm_mine', [])
}
