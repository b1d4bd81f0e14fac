/**
 * `npm start` killed outright: the world's process gets SIGKILL (no handler runs), and still no child outlives it
 * — anvil and the five nodes are stopped by the world's reaper, the endpoint server by its closed stdin — and the
 * same `--state` starts again, resumed. Runs what `npm start` runs: scripts/prestart.mjs (it compiles the CLI into
 * .build/ when a source changed), then the built CLI with plain node, which spawns its nodes the same way.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { freePort } from '../chain/anvil.ts'
import { alive, bannerPids, devnetHarness, ROOT, ready } from './testing/devnet.ts'

// a failed assertion may leave processes behind: the harness stops the worlds and kills every child adopted below
const harness = devnetHarness('surety-orphans')
const stateDir = join(harness.cwd, 'state')

/** Every process descending from `pid`, from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {}
  }
  const out: number[] = []
  for (let queue = [pid]; queue.length > 0; ) {
    const next = children.get(queue.shift()!) ?? []
    out.push(...next)
    queue.push(...next)
  }
  return out
}

/** `npm start -- --port … --state … --json`, as npm runs it after prestart. */
const startWorld = (port: number) =>
  harness.start(['start', '--fast', '--port', String(port), '--state', stateDir, '--json', '--quiet'], {
    built: true,
  })

/** Waits up to `ms` for every pid to be gone; returns those still running. */
async function survivors(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
  return pids.filter(alive)
}

test('kill -9 of the world leaves no child running, and --state resumes afterwards', async () => {
  const prepared = spawnSync(process.execPath, [join(ROOT, 'scripts/prestart.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  assert.equal(prepared.status, 0, `prestart:\n${prepared.stderr}`)
  // below Linux's ephemeral ports (32768 and up): a node's port (+10…+14) or the API's (+50) there was once taken by a
  // client connection of another test (EADDRINUSE)
  const port = 20_000 + ((await freePort()) % 12_000)

  const first = startWorld(port)
  const banner = await ready(first)
  assert.equal(banner.resumed, false)
  const named = bannerPids(banner)
  const children = descendants(first.child.pid!)
  harness.adopt(children)
  // what the banner names (the chain, the endpoint server, five nodes) are children, and so is the reaper
  assert.equal(named.length, 7)
  for (const pid of named) assert.ok(children.includes(pid), `pid ${pid} is a child of the world`)
  assert.ok(children.length > named.length, `the reaper runs beside them: ${children.length} children`)
  assert.deepEqual(
    children.filter((pid) => !alive(pid)),
    [],
    'every child runs before the kill',
  )

  first.child.kill('SIGKILL')
  // nodes get SIGTERM and a grace period to close their stores; nothing may be left once it is over
  assert.deepEqual(
    await survivors(children, 20_000),
    [],
    `every child of a world killed with SIGKILL exits (chain, endpoints, nodes, reaper)`,
  )

  const second = startWorld(port)
  const resumed = await ready(second)
  assert.equal(resumed.resumed, true, 'the same --state resumes the world')
  assert.deepEqual(resumed.addresses, banner.addresses, 'the same deployment')
  assert.ok(
    BigInt(resumed.startBlock as string) === BigInt(banner.startBlock as string),
    'the same world (its first block)',
  )
  const again = descendants(second.child.pid!)
  harness.adopt(again)
  second.child.kill('SIGINT')
  assert.equal(
    await second.exited,
    0,
    `the resumed world stops cleanly on SIGINT:\n${second.stderr.join('').slice(-2000)}`,
  )
  assert.deepEqual(await survivors(again, 5_000), [], 'no child outlives the resumed world after SIGINT')
})
