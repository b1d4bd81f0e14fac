/**
 * The node under load: one attester/keeper node watching 1,000 operators at a 10 s probe interval against local
 * endpoints (a separate process), on the devnet chain. Prints the node's CPU share, memory, probes per second and
 * report-signature checks per second.
 * Run: npm run bench:node   (or: npx tsx bench/node.ts [--operators 1000] [--seconds 60] [--interval-ms 10000])
 */
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
  },
})
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
      epochSeconds: 60,
      classes: { downtime: 0 },
      probe: { intervalMs, timeoutMs: 2_000 },
      operators: vaults.map((vault, i) => ({ vault, endpoint: endpoints.url(`op-${i}`) })),
    },
  ],
})
const node = await startNode(config, { account: attester, log: silentLogger })

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
  config,
  store: openStore(':memory:'),
  account: attester,
  domain,
  committees: { get: async () => committee, invalidate: () => {}, isMember: async () => true },
  metrics: createNodeMetrics(),
  log: silentLogger,
})
const messages = await Promise.all(
  Array.from({ length: 200 }, async (_, epoch) => {
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
]
console.log('surety node benchmark')
for (const [k, v] of rows) console.log(`  ${k.padEnd(38)} ${v}`)
process.exit(0)
