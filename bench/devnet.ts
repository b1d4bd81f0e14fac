/**
 * `npm start` as a user meets it: the time from launching the devnet to its ready banner (chain, deployment, the
 * seeded world, five attester nodes), then the whole process tree's CPU share and memory while the world runs.
 * Run: npm run bench:devnet   (or: npx tsx bench/devnet.ts [--seconds 60] [--fast])
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { freePort } from '../src/chain/anvil.ts'

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, fast: { type: 'boolean', default: false } },
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

function usage(pids: number[]) {
  let ticks = 0
  let rssKiB = 0
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').slice(0)
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12]) // utime + stime
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      rssKiB += rss ? Number(rss[1]) : 0
    } catch {}
  }
  return { ticks, rssKiB }
}

const started = Date.now()
// tsx from this checkout: the devnet runs in a scratch directory, where `--import tsx` would not resolve
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')
const args = [
  '--import',
  tsx,
  join(root, 'src/cli/main.ts'),
  'devnet',
  '--port',
  String(port),
  '--json',
  '--quiet',
]
const child = spawn(process.execPath, values.fast ? [...args, '--fast'] : args, {
  cwd,
  stdio: ['ignore', 'pipe', 'inherit'],
})
await new Promise<void>((resolve, reject) => {
  let out = ''
  child.stdout!.on('data', (chunk) => {
    out += String(chunk)
    if (out.includes('"event":"ready"')) resolve()
  })
  child.once('exit', (code) => reject(new Error(`the devnet exited with ${code}`)))
})
const readyMs = Date.now() - started
const before = usage(tree(child.pid!))
const t0 = Date.now()
let peakRss = 0
while (Date.now() - t0 < seconds * 1000) {
  await new Promise((r) => setTimeout(r, 2_000))
  peakRss = Math.max(peakRss, usage(tree(child.pid!)).rssKiB)
}
const after = usage(tree(child.pid!))
const cpu = (after.ticks - before.ticks) / TICK / ((Date.now() - t0) / 1000)
child.kill('SIGINT')
await new Promise((r) => child.once('exit', r))
rmSync(cwd, { recursive: true, force: true })
console.log(`devnet${values.fast ? ' --fast' : ''}: ready in ${(readyMs / 1000).toFixed(1)} s`)
console.log(`steady load over ${seconds} s (the world, anvil, the endpoint server, five nodes):`)
console.log(
  `  CPU ${cpu.toFixed(2)} cores · memory ${(after.rssKiB / 1024).toFixed(0)} MiB (peak ${(peakRss / 1024).toFixed(0)} MiB)`,
)
