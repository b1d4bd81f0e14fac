/**
 * `npm run bench:indexer`: builds a chain holding at least 100,000 Surety events, backfills it into SQLite and
 * into PostgreSQL and prints events per second for each, then runs a real `surety index` process against a steady
 * load and prints how far behind the head it stays. Figures are printed, never asserted.
 *
 *   BENCH_EVENTS=100000 (events to build), BENCH_LIVE_SECONDS=20 (live phase), BENCH_PG_URL (PostgreSQL)
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { type Address, maxUint256, parseEther } from 'viem'
import { writeDeployment } from '../src/chain/deployment.ts'
import { dropSchema, openIndexerDb } from '../src/indexer/db/open.ts'
import { createIndexer } from '../src/indexer/engine/runIndexer.ts'
import type { IndexerStats } from '../src/indexer/engine/stats.ts'
import { readIndexState } from '../src/indexer/queries/readIndexState.ts'
import { ensurePostgres, PG_URL } from '../src/indexer/testing/stores.ts'
import { DAY, setupVault } from '../test/support/fixtures.ts'
import { createWorld, type World } from '../test/support/world.ts'
import { compileEventLoad, eventsPerRun } from './indexerLoad.ts'

const TARGET = Number(process.env.BENCH_EVENTS ?? 100_000)
const LIVE_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 20)
const PER_RUN = 300
const WITHDRAW_EVERY = 10
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

async function buildChain(w: World) {
  const vaults: Address[] = []
  for (const i of [1, 2, 3, 4]) {
    const { vault } = await setupVault(w, w.accounts[i]!, {
      bond: parseEther('1000'),
      withdrawalDelay: 7 * DAY,
    })
    vaults.push(vault)
  }
  const { abi, bytecode } = compileEventLoad()
  const deployer = w.clientFor(w.deployer)
  const hash = await deployer.wallet.deployContract({
    abi,
    bytecode,
    account: w.deployer,
    chain: deployer.wallet.chain,
  })
  const load = (await w.public.waitForTransactionReceipt({ hash })).contractAddress!
  await w.mint(load, maxUint256 / 4n)
  let salt = 0n
  const run = async (vault: Address, n: number) => {
    const tx = await deployer.wallet.writeContract({
      address: load,
      abi,
      functionName: 'run',
      args: [w.addresses.stakeToken, vault, BigInt(n), 10n ** 18n, salt++, BigInt(WITHDRAW_EVERY)],
      account: w.deployer,
      chain: deployer.wallet.chain,
      gas: 29_000_000n,
    })
    // a 29M-gas block can take minutes on a loaded machine: wait for it rather than fail the run
    return w.public.waitForTransactionReceipt({ hash: tx, timeout: 600_000 })
  }
  return { vaults, run }
}

async function countEvents(db: Awaited<ReturnType<typeof openIndexerDb>>['db']) {
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}

async function backfill(w: World, url: string, schema?: string) {
  const idb = await openIndexerDb({ url, schema })
  const ix = await createIndexer({
    client: w.public,
    idb,
    chainId: w.chainId,
    addresses: w.addresses,
    startBlock: 0n,
    finalityDepth: 12,
    batchBlocks: 5_000,
  })
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await ix.catchUp()
  // the clock stops once everything is in the database file, not only in SQLite's write-ahead log: a larger
  // autocheckpoint must not look faster by leaving its copying for after the measurement
  if (idb.dialect === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(idb.db)
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  const events = await countEvents(idb.db)
  await idb.close()
  return { events, seconds, cpuSeconds, stats: ix.stats }
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`

/**
 * Where the wall clock went. Reading runs ahead of writing, so the RPC's time mostly hides behind apply and write:
 * only `waited for reads` adds to the total (with decode, which runs inside the read).
 */
const phases = (s: IndexerStats) =>
  `${s.ranges} ranges, ${s.requests} eth_getLogs (${s.splits} split); ` +
  `RPC ${sec(s.rpcMs)} (overlapped), waited for reads ${sec(s.readWaitMs)}, decode ${sec(s.decodeMs)}, ` +
  `apply ${sec(s.applyMs)}, write+commit ${sec(s.writeMs)}` +
  (s.restarts ? `; ${s.restarts} ranges applied again (a handler read a row it did not declare)` : '')

/** Wall-clock rate, and the rate per CPU-second of the indexing process (anvil's and PostgreSQL's CPU apart). */
const line = (r: { events: number; seconds: number; cpuSeconds: number }) =>
  `${fmt(r.events)} events in ${r.seconds.toFixed(2)} s = ${fmt(r.events / r.seconds)} events/s ` +
  `(indexer CPU ${r.cpuSeconds.toFixed(2)} s = ${fmt(r.events / r.cpuSeconds)} events per CPU-second; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`

async function main() {
  console.log(`building a chain with at least ${fmt(TARGET)} Surety events…`)
  const w = await createWorld({ accounts: 6 })
  const dir = mkdtempSync(join(tmpdir(), 'surety-bench-indexer-'))
  try {
    const { vaults, run } = await buildChain(w)
    const t0 = performance.now()
    let built = 0
    for (let i = 0; built < TARGET; i++) {
      await run(vaults[i % vaults.length]!, PER_RUN)
      built += eventsPerRun(PER_RUN, WITHDRAW_EVERY)
    }
    const head = await w.public.getBlockNumber({ cacheTime: 0 })
    console.log(
      `chain built: ~${fmt(built)} load events up to block ${head} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    )

    const sqlite = await backfill(w, join(dir, 'bench.sqlite'))
    console.log(`backfill SQLite:     ${line(sqlite)}`)
    console.log(`  phases: ${phases(sqlite.stats)}`)
    ensurePostgres()
    const schema = `bench_${process.pid}`
    try {
      const pg = await backfill(w, PG_URL, schema)
      console.log(`backfill PostgreSQL: ${line(pg)}`)
      console.log(`  phases: ${phases(pg.stats)}`)
    } finally {
      await dropSchema(PG_URL, schema)
    }

    // live: a real indexer process following a steady load, caught up first
    const manifest = writeDeployment(dir, {
      chainId: w.chainId,
      rpcUrl: w.anvil.rpcUrl,
      deployedAt: new Date().toISOString(),
      blockNumber: '0',
      paramChangeDelay: 0,
      addresses: w.addresses,
    })
    const liveDb = join(dir, 'bench.sqlite')
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'index',
        '--rpc-url',
        w.anvil.rpcUrl,
        '--database',
        liveDb,
        '--deployment',
        manifest,
        '--from-block',
        '0',
        '--poll-ms',
        '100',
        '--finality-depth',
        '12',
      ],
      { cwd: join(import.meta.dirname, '..'), stdio: 'ignore' },
    )
    const idb = await openIndexerDb({ url: liveDb })
    const cursor = async () => (await readIndexState(idb.db)).block?.number ?? -1n
    while ((await cursor()) < (await w.public.getBlockNumber({ cacheTime: 0 })))
      await new Promise((r) => setTimeout(r, 100))
    const lagsMs: number[] = []
    const lagsBlocks: number[] = []
    let liveEvents = 0
    const end = performance.now() + LIVE_SECONDS * 1000
    while (performance.now() < end) {
      const receipt = await run(vaults[lagsMs.length % vaults.length]!, 20)
      liveEvents += eventsPerRun(20, WITHDRAW_EVERY)
      const mined = performance.now()
      while ((await cursor()) < receipt.blockNumber) await new Promise((r) => setTimeout(r, 10))
      lagsMs.push(performance.now() - mined)
      lagsBlocks.push(Number((await w.public.getBlockNumber({ cacheTime: 0 })) - (await cursor())))
      await new Promise((r) => setTimeout(r, 200))
    }
    child.kill('SIGTERM')
    await idb.close()
    lagsMs.sort((a, b) => a - b)
    const q = (p: number) => lagsMs[Math.min(lagsMs.length - 1, Math.floor(p * lagsMs.length))]!
    console.log(
      `live (${LIVE_SECONDS} s, a block of ~${eventsPerRun(20, WITHDRAW_EVERY)} events every ~${fmt((LIVE_SECONDS * 1000) / lagsMs.length)} ms, ${fmt(liveEvents)} events, poll 100 ms): ` +
        `lag from a block mined to indexed p50 ${fmt(q(0.5))} ms, p99 ${fmt(q(0.99))} ms, max ${fmt(lagsMs.at(-1)!)} ms; ` +
        `behind the head after each: max ${Math.max(...lagsBlocks)} blocks`,
    )
  } finally {
    await w.anvil.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
