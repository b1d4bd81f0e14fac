/**
 * The node under load: one attester/keeper node watching 1,000 operators at a 10 s probe interval against local
 * endpoints (a separate process), on the devnet chain. Prints the node's CPU share, memory, probes per second and
 * report-signature checks per second; then the same figures plus probe latency p50/p99 twice — quiet, and while a
 * stranger floods the node's API from another process (bounded: at most --flood-requests requests within
 * --seconds, loopback only, a fixed number of connections).
 * Run: npm run bench:node   (or: npx tsx bench/node.ts [--operators 1000] [--seconds 60] [--interval-ms 10000]
 *      [--flood-requests 200000] [--flood-connections 64])
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type Address, keccak256, numberToHex, toHex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { freePort } from '../src/chain/anvil.ts'
import { DEVNET_MNEMONIC, startDevnet } from '../src/chain/devnet.ts'
import { parseNodeConfig } from '../src/node/config.ts'
import { silentLogger } from '../src/node/log.ts'
import { quantile } from '../src/node/measure/verdict.ts'
import { startNode } from '../src/node/node.ts'
import { createNodeMetrics } from '../src/node/nodeMetrics.ts'
import { createReportBook } from '../src/node/report/book.ts'
import { reportOf } from '../src/node/report/incident.ts'
import { openStore } from '../src/node/store/store.ts'
import { startEndpoints } from '../src/node/testing/endpoints.ts'
import { signReport } from '../src/sdk/reports.ts'

const { values } = parseArgs({
  options: {
    operators: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    'interval-ms': { type: 'string', default: '10000' },
    'flood-requests': { type: 'string', default: '200000' },
    'flood-connections': { type: 'string', default: '64' },
    /** Internal: this process is the flood, against the given API URL. */
    'flood-worker': { type: 'string' },
  },
})
if (values['flood-worker']) await floodWorker(values['flood-worker'])
const operators = Number(values.operators)
const seconds = Number(values.seconds)
const intervalMs = Number(values['interval-ms'])

const scratch = mkdtempSync(join(tmpdir(), 'surety-bench-'))
const devnet = await startDevnet({ port: await freePort(), manifestDir: scratch })
const endpoints = await startEndpoints()
const attester = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: 10 })
const vaults: Address[] = Array.from({ length: operators }, (_, i) =>
  numberToHex(BigInt(keccak256(toHex(`bench operator ${i}`))) >> 96n, { size: 20 }),
)
const config = parseNodeConfig({
  chain: { deployment: devnet.manifestPath, confirmations: 2, pollIntervalMs: 1_000 },
  key: { env: 'UNUSED' },
  store: { path: join(scratch, 'node.db') },
  api: { port: 0 },
  services: [
    {
      serviceId: Number(devnet.world!.serviceId),
      // short epochs, so that whole epochs fall inside each measured phase (probe latencies are read per epoch)
      epochSeconds: 10,
      classes: { downtime: 0 },
      // the shared grid: one probe per target per 10 s epoch (random timing would make most epochs too sparse to
      // judge, and the config refuses that); the probe rate and so the load are the same on average
      probe: { intervalMs, timeoutMs: 2_000, randomizeTiming: false },
      operators: vaults.map((vault, i) => ({ vault, endpoint: endpoints.url(`op-${i}`) })),
    },
  ],
})
const node = await startNode(config, { account: attester, log: silentLogger })
const epochNow = () => Math.floor(Date.now() / 10_000)

// warm up one probe interval, then measure the node's own process
await new Promise((r) => setTimeout(r, intervalMs))
const probesBefore = totalProbes()
const cpuBefore = process.cpuUsage()
const wallBefore = performance.now()
let peakRss = 0
let peakHeap = 0
const sampler = setInterval(() => {
  const m = process.memoryUsage()
  peakRss = Math.max(peakRss, m.rss)
  peakHeap = Math.max(peakHeap, m.heapUsed)
}, 500)
await new Promise((r) => setTimeout(r, seconds * 1000))
clearInterval(sampler)
const wallMs = performance.now() - wallBefore
const cpu = process.cpuUsage(cpuBefore)
const probes = totalProbes() - probesBefore

function totalProbes(): number {
  const text = node.metrics.registry.render()
  return [...text.matchAll(/^surety_node_probes_total\{result="(\w+)"\} (\d+)$/gm)]
    .filter((m) => m[1] !== 'skipped')
    .reduce((s, m) => s + Number(m[2]), 0)
}
const skipped = node.metrics.probes.get({ result: 'skipped' })

/** One measured phase: the node's CPU share and the latency of the probes it took in the whole epochs inside it. */
async function phase(during?: () => Promise<unknown>) {
  const firstEpoch = epochNow() + 1
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const side = during?.()
  await new Promise((r) => setTimeout(r, seconds * 1000))
  const wall = performance.now() - t0
  const used = process.cpuUsage(cpu0)
  const lastEpoch = epochNow() - 1
  const sideResult = await side
  // the last epoch's samples reach the store with the judge's next flush
  await new Promise((r) => setTimeout(r, 1_500))
  const latencies = node.store.measure.samplesBetween(firstEpoch, lastEpoch + 1).flatMap((e) => e.latencies)
  const probesOk = node.store.measure
    .samplesBetween(firstEpoch, lastEpoch + 1)
    .reduce((sum, e) => sum + e.samples, 0)
  return {
    cpu: ((used.user + used.system) / 1000 / wall) * 100,
    p50: quantile(latencies, 5_000),
    p99: quantile(latencies, 9_900),
    samples: probesOk,
    side: sideResult,
  }
}

const quiet = await phase()
const flooded = await phase(() => runFlood(node.apiUrl))
await node.stop()

// signature checks through the peer path itself: book.receive verifies each incoming signature (committee
// membership, EIP-712 recovery) and stores it; every report here is new, so no check is skipped as known
const domain = { chainId: devnet.deployment.chainId, court: devnet.deployment.addresses.court }
const signers = [10, 11, 12, 13, 14].map((i) => mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: i }))
const committee = {
  serviceId: 1n,
  members: new Map(signers.map((a) => [a.address.toLowerCase(), 1n])),
  totalWeight: 5n,
  quorumBps: 6000,
}
const book = createReportBook({
  // one signer's 200 undecided reports: past the default per-signer cap, which is not what is measured here
  config: { ...config, limits: { ...config.limits, undecidedPerSigner: 10_000 } },
  store: openStore(':memory:'),
  account: attester,
  domain,
  committees: { get: async () => committee, invalidate: () => {}, isMember: async () => true },
  metrics: createNodeMetrics(),
  log: silentLogger,
})
const messages = await Promise.all(
  Array.from({ length: 200 }, async (_, i) => {
    // recent, ended epochs: peers' reports of older ones (past the report TTL) are refused
    const epoch = epochNow() - 2 - i
    const report = reportOf({
      kind: 'downtime',
      subject: String(epoch),
      serviceId: 1n,
      vault: vaults[0]!,
      classId: 0,
      client: '0x0000000000000000000000000000000000000000',
    })
    const signatures = await Promise.all(
      signers.slice(1).map(async (a) => ({
        signer: a.address,
        signature: (await signReport(a, domain, report)).signature,
      })),
    )
    return { kind: 'downtime' as const, subject: String(epoch), report, signatures }
  }),
)
const checkStart = performance.now()
let checks = 0
for (const m of messages) {
  const result = await book.receive(m)
  if (!result.ok || result.added !== m.signatures.length) throw new Error('a signature did not verify')
  checks += result.added
}
const checkSeconds = (performance.now() - checkStart) / 1000

await endpoints.close()
await devnet.stop()
rmSync(scratch, { recursive: true, force: true })

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`
const rows: [string, string][] = [
  ['operators', String(operators)],
  ['probe interval', `${intervalMs / 1000} s`],
  ['measured for', `${(wallMs / 1000).toFixed(0)} s`],
  ['CPU share (one core)', `${(((cpu.user + cpu.system) / 1000 / wallMs) * 100).toFixed(1)} %`],
  ['memory: peak RSS / heap', `${mb(peakRss)} / ${mb(peakHeap)}`],
  ['probes per second', (probes / (wallMs / 1000)).toFixed(1)],
  ['probes skipped (overload)', String(skipped)],
  ['report signature checks per second', (checks / checkSeconds).toFixed(0)],
  [
    'quiet: CPU share / probe p50 / p99',
    `${quiet.cpu.toFixed(1)} % / ${quiet.p50} ms / ${quiet.p99} ms (${quiet.samples} probes)`,
  ],
  [
    'flooded: CPU share / probe p50 / p99',
    `${flooded.cpu.toFixed(1)} % / ${flooded.p50} ms / ${flooded.p99} ms (${flooded.samples} probes)`,
  ],
  ['flood: requests by answer', JSON.stringify(flooded.side)],
]
console.log('surety node benchmark')
for (const [k, v] of rows) console.log(`  ${k.padEnd(38)} ${v}`)
process.exit(0)

/** Starts the flood in another process and resolves with its tally (status → count). */
function runFlood(apiUrl: string): Promise<Record<string, number>> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL(import.meta.url).pathname,
      '--flood-worker',
      apiUrl,
      '--seconds',
      String(seconds),
      '--flood-requests',
      values['flood-requests']!,
      '--flood-connections',
      values['flood-connections']!,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let out = ''
  child.stdout!.on('data', (d) => {
    out += String(d)
  })
  return new Promise((resolve) => child.once('exit', () => resolve(JSON.parse(out.trim() || '{}'))))
}

/**
 * The stranger: a fixed number of connections sending, as fast as the node answers, a mix of what it can send
 * without a key — unsigned peer messages, malformed and unknown-order telemetry, status reads — until the request
 * budget or the time is spent. Loopback only.
 */
async function floodWorker(apiUrl: string): Promise<never> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(apiUrl)) throw new Error('the flood only targets 127.0.0.1')
  const budget = Number(values['flood-requests'])
  const deadline = Date.now() + Number(values.seconds) * 1000
  const peerBody = JSON.stringify({
    kind: 'downtime',
    subject: '1',
    report: {
      serviceId: '1',
      vault: `0x${'11'.repeat(20)}`,
      classId: 0,
      incidentId: `0x${'00'.repeat(32)}`,
      client: `0x${'00'.repeat(20)}`,
    },
    signatures: [],
  })
  const reading = JSON.stringify({ orderId: `0x${'00'.repeat(31)}07`, seq: 1, timestamp: 1, kind: 'reading' })
  const kinds: [string, RequestInit][] = [
    ['/v1/reports', { method: 'POST', body: peerBody, headers: { 'content-type': 'application/json' } }],
    ['/v1/telemetry', { method: 'POST', body: reading, headers: { 'content-type': 'application/json' } }],
    ['/v1/status', { method: 'GET' }],
  ]
  const tally: Record<string, number> = {}
  let sent = 0
  await Promise.all(
    Array.from({ length: Number(values['flood-connections']) }, async () => {
      while (sent < budget && Date.now() < deadline) {
        const [path, init] = kinds[sent++ % kinds.length]!
        const answer = await fetch(`${apiUrl}${path}`, { ...init, signal: AbortSignal.timeout(5_000) })
          .then(async (r) => {
            await r.arrayBuffer()
            return String(r.status)
          })
          .catch(() => 'error')
        tally[answer] = (tally[answer] ?? 0) + 1
      }
    }),
  )
  process.stdout.write(`${JSON.stringify(tally)}\n`)
  process.exit(0)
}
