/**
 * What the dashboard's browser tests run against: a real devnet (anvil, Surety deployed, the demo world seeded),
 * the index of it in a SQLite file, and the API serving the built dashboard (createApiServer + mountDashboard) on a
 * free port. `stop()` stops everything.
 */
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { type Address, createPublicClient, http, type PublicClient } from 'viem'
import { mountDashboard } from '../../src/api/mountDashboard.ts'
import { DEFAULT_DASHBOARD_DIR } from '../../src/api/serveDashboard.ts'
import { createApiServer } from '../../src/api/server.ts'
import { freePort } from '../../src/chain/anvil.ts'
import { type Devnet, startDevnet } from '../../src/chain/devnet.ts'
import { openIndexerDb } from '../../src/indexer/db/open.ts'
import { createIndexer } from '../../src/indexer/engine/runIndexer.ts'
import { createSuretyClient } from '../../src/sdk/createSuretyClient.ts'
import {
  executeSlash,
  incidentIdFor,
  requestSlash,
  type SlashDetails,
  signReport,
} from '../../src/sdk/index.ts'

export type DashboardWorld = {
  devnet: Devnet
  /** Reads of the devnet chain, for assertions. */
  chain: PublicClient
  app: FastifyInstance
  url: string
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
    const app = await createApiServer({ db: db.db, dialect: db.dialect, streamPollMs: 100 })
    stops.push(() => app.close())
    mountDashboard(app, { rpcUrl: devnet.anvil.rpcUrl, chainId, addresses, devnet: true })
    const url = await app.listen({ host: '127.0.0.1', port: 0 })
    const chain = createPublicClient({ transport: http(devnet.anvil.rpcUrl) }) as PublicClient
    return { devnet, chain, app, url, stop }
  } catch (error) {
    await stop()
    throw error
  }
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
