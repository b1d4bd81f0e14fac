/**
 * The API under load: a chain with a seeded world and 120 more orders (made here), indexed into SQLite and into
 * PostgreSQL; for each store `surety api` runs in its own process and autocannon (this process) drives the main
 * list and detail endpoints in turn, with the per-block response cache on (as deployed) and off (every request
 * runs its queries). Prints requests per second and latency p50/p99 per endpoint; asserts nothing.
 * Run: npm run bench:api   (or: npx tsx bench/api.ts [--seconds 5] [--connections 16] [--orders 120])
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { parseEther } from 'viem'
import { catchUpIndex } from '../src/indexer/testing/catchUpIndex.ts'
import { seedApiWorld } from '../test/support/apiWorld.ts'
import { openTestStore, type TestStore } from '../test/support/indexedStores.ts'
import { openTestOrder } from '../test/support/orders.ts'
import { createWorld } from '../test/support/world.ts'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    orders: { type: 'string', default: '120' },
  },
})
const seconds = Number(values.seconds)
const connections = Number(values.connections)
const root = join(import.meta.dirname, '..')

const w = await createWorld()
const fx = await seedApiWorld(w)
for (let i = 0; i < Number(values.orders); i++) {
  const op = fx.ops[i % fx.ops.length]!
  await openTestOrder(w, i % 2 ? fx.client : fx.otherClient, {
    serviceId: fx.svc.serviceId,
    budget: parseEther(String(1 + (i % 17))),
    ...(i % 3 === 0 ? {} : { vault: op.vault }),
  })
}

const stores: TestStore[] = []
for (const name of ['sqlite', 'postgres'] as const) {
  const store = await openTestStore(name)
  await catchUpIndex(w, store.idb)
  stores.push(store)
}

const endpoints = [
  ['list', '/v1/vaults?limit=50'],
  ['list', '/v1/orders?limit=50'],
  ['list', '/v1/slashes'],
  ['list', '/v1/network'],
  ['detail', `/v1/vaults/${fx.ops[0]!.vault.toLowerCase()}`],
  ['detail', `/v1/orders/${fx.intent.orderId}`],
  ['detail', `/v1/slashes/${fx.slashId}`],
] as const

function startServer(store: TestStore, cache: boolean): Promise<{ url: string; child: ChildProcess }> {
  const { url: database, schema } = store.location
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'api', '--database', database, '--port', '0', '--json']
  if (schema) args.push('--schema', schema)
  if (!cache) args.push('--no-cache')
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString()
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line) resolve({ url: (JSON.parse(line) as { url: string }).url, child })
    })
    child.once('exit', (code) => reject(new Error(`surety api exited with ${code}: ${err}`)))
  })
}

console.log(
  `surety API under load: ${connections} connections, ${seconds} s per endpoint, autocannon in a separate process from the server`,
)
console.log(
  'store     cache  kind    endpoint                                                    req/s    p50 ms  p99 ms',
)
for (const store of stores) {
  for (const cache of [true, false]) {
    const { url, child } = await startServer(store, cache)
    try {
      for (const [kind, path] of endpoints) {
        // a short warm-up (JIT, prepared statements, the cache's first fill), then the measured run
        await autocannon({ url: url + path, connections, duration: 1 })
        const r = await autocannon({ url: url + path, connections, duration: seconds })
        const bad = r.non2xx + r.errors + r.timeouts
        console.log(
          `${store.name.padEnd(9)} ${(cache ? 'on' : 'off').padEnd(6)} ${kind.padEnd(7)} ${path.slice(0, 58).padEnd(58)} ${String(
            Math.round(r.requests.average),
          ).padStart(
            7,
          )} ${String(r.latency.p50).padStart(8)} ${String(r.latency.p99).padStart(7)}${bad ? `  (${bad} failed)` : ''}`,
        )
      }
    } finally {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
  }
}

for (const s of stores) await s.remove()
await w.anvil.stop()
