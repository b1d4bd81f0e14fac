/**
 * `npm start` as a user meets it: the time from launching the devnet to its ready banner (chain, deployment, the
 * seeded world, five attester nodes, the API), with the banner's own phase times and the CPU the whole process
 * tree spent getting there; then the tree's CPU share and memory while the world runs, per process.
 * It runs what `npm start` runs — the CLI compiled into .build/ by scripts/prestart.mjs (run first; it skips
 * what is up to date) — or, with --tsx, the TypeScript through tsx (what tests and `npx tsx` run).
 * The machine is shared: figures are floors; note `uptime` beside them.
 * Run: npm run bench:devnet   (or: npx tsx bench/devnet.ts [--seconds 60] [--fast] [--tsx])
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { freePort } from '../src/chain/anvil.ts'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    fast: { type: 'boolean', default: false },
    tsx: { type: 'boolean', default: false },
  },
})
const seconds = Number(values.seconds)
const root = join(import.meta.dirname, '..')
const cwd = mkdtempSync(join(tmpdir(), 'surety-bench-devnet-'))
const port = 30_000 + ((await freePort()) % 20_000)
const TICK = 100 // USER_HZ on Linux

/** Every process descending from `pid` (itself included), from /proc. */
function tree(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {}
  }
  const out = [pid]
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []))
  return out
}

/** CPU ticks (its own, plus its reaped children's with `withChildren`) and resident memory of one process. */
function usageOf(pid: number, withChildren = false) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0)
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return { ticks, rssKiB: rss ? Number(rss[1]) : 0 }
  } catch {
    return { ticks: 0, rssKiB: 0 }
  }
}

function usage(pids: number[]) {
  let ticks = 0
  let rssKiB = 0
  for (const pid of pids) {
    const u = usageOf(pid, pid === pids[0])
    ticks += u.ticks
    rssKiB += u.rssKiB
  }
  return { ticks, rssKiB }
}

if (!values.tsx) {
  const prepared = spawnSync(process.execPath, [join(root, 'scripts/prestart.mjs')], { stdio: 'inherit' })
  if (prepared.status !== 0) process.exit(1)
}
const load = loadavg()[0]!.toFixed(1)
const started = Date.now()
// tsx from this checkout: the devnet runs in a scratch directory, where `--import tsx` would not resolve
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')
const entry = values.tsx
  ? ['--import', tsx, join(root, 'src/cli/main.ts')]
  : [join(root, '.build/cli/main.js')]
const args = [...entry, 'devnet', '--port', String(port), '--json', '--quiet']
const child = spawn(process.execPath, values.fast ? [...args, '--fast'] : args, {
  cwd,
  stdio: ['ignore', 'pipe', 'inherit'],
})
type Banner = {
  timing: { phases: Record<string, number>; totalMs: number }
  anvilPid: number
  nodes: { name: string; pid: number }[]
  endpoints: { pid: number }
}
const banner = await new Promise<Banner>((resolve, reject) => {
  let out = ''
  child.stdout!.on('data', (chunk) => {
    out += String(chunk)
    const line = out.split('\n').find((l) => l.includes('"event":"ready"'))
    if (line) resolve(JSON.parse(line) as Banner)
  })
  child.once('exit', (code) => reject(new Error(`the devnet exited with ${code}`)))
})
const readyMs = Date.now() - started
const toReady = usage(tree(child.pid!))
const roles = new Map<number, string>([
  [child.pid!, 'world (+ indexer, API)'],
  [banner.anvilPid, 'anvil'],
  [banner.endpoints.pid, 'endpoint server'],
  ...banner.nodes.map((n) => [n.pid, 'nodes (5)'] as [number, string]),
])
const roleOf = (pid: number) => roles.get(pid) ?? 'other (reaper)'
const perRole = (pids: number[]) => {
  const out = new Map<string, number>()
  for (const pid of pids) out.set(roleOf(pid), (out.get(roleOf(pid)) ?? 0) + usageOf(pid).ticks)
  return out
}
const readyRoles = perRole(tree(child.pid!))
readyRoles.set(roleOf(child.pid!), usage([child.pid!]).ticks) // with its exited children (tsx's esbuild)
// steady state: from a few blocks after ready (the first blocks replay history and open the first orders)
await new Promise((r) => setTimeout(r, 5_000))
const pids0 = tree(child.pid!)
const before = usage(pids0)
const beforeRoles = perRole(pids0)
const t0 = Date.now()
let peakRss = 0
while (Date.now() - t0 < seconds * 1000) {
  await new Promise((r) => setTimeout(r, 2_000))
  peakRss = Math.max(peakRss, usage(tree(child.pid!)).rssKiB)
}
const pids1 = tree(child.pid!)
const after = usage(pids1)
const afterRoles = perRole(pids1)
const elapsed = (Date.now() - t0) / 1000
const cpu = (after.ticks - before.ticks) / TICK / elapsed
const rssOf = new Map<string, number>()
for (const pid of pids1) rssOf.set(roleOf(pid), (rssOf.get(roleOf(pid)) ?? 0) + usageOf(pid).rssKiB)
child.kill('SIGINT')
await new Promise((r) => child.once('exit', r))
rmSync(cwd, { recursive: true, force: true })

const mode = `${values.tsx ? 'through tsx' : 'built (npm start)'}${values.fast ? ', --fast' : ''}`
console.log(`devnet, ${mode}; load average ${load} at launch (a shared machine: figures are floors)`)
console.log(
  `  ready in ${(readyMs / 1000).toFixed(1)} s; CPU spent getting there ${(toReady.ticks / TICK).toFixed(1)} s`,
)
console.log(
  `  of which ${[...readyRoles]
    .sort((a, b) => b[1] - a[1])
    .map(([role, ticks]) => `${role} ${(ticks / TICK).toFixed(1)}`)
    .join(' · ')}`,
)
console.log(
  `  phases: ${Object.entries(banner.timing.phases)
    .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`)
    .join(' · ')}`,
)
console.log(
  `steady load over ${elapsed.toFixed(0)} s (the world with its indexer and API, anvil, endpoints, nodes):`,
)
console.log(
  `  CPU ${cpu.toFixed(2)} cores · memory ${(after.rssKiB / 1024).toFixed(0)} MiB (peak ${(peakRss / 1024).toFixed(0)} MiB)`,
)
for (const [role, ticks] of [...afterRoles].sort((a, b) => b[1] - a[1])) {
  const share = (ticks - (beforeRoles.get(role) ?? 0)) / TICK / elapsed
  console.log(
    `    ${role.padEnd(24)} ${share.toFixed(2)} cores · ${((rssOf.get(role) ?? 0) / 1024).toFixed(0)} MiB`,
  )
}
