/**
 * `npm start` killed outright: the world's process gets SIGKILL (no handler runs), and still no child outlives it
 * — anvil and the five nodes are stopped by the world's reaper, the endpoint server by its closed stdin — and the
 * same `--state` starts again, resumed. Runs what `npm start` runs: scripts/prestart.mjs (it compiles the CLI into
 * .build/ when a source changed), then the built CLI with plain node, which spawns its nodes the same way.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { freePort } from '../chain/anvil.ts'
import { followJsonLines, type WorldEvent } from './testing/jsonLines.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const cwd = mkdtempSync(join(tmpdir(), 'surety-orphans-'))
const stateDir = join(cwd, 'state')

type Event = WorldEvent
type World = { child: ChildProcess; events: Event[]; stderr: string[] }

const started: number[] = []
after(() => {
  // a failed assertion may leave processes behind: kill every one this test saw, then the scratch directory
  for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL')
  if (!process.env.SURETY_KEEP_TEST_DIRS) rmSync(cwd, { recursive: true, force: true })
})

/** Running, not a zombie: a killed world's children are re-parented to pid 1, which may not reap them at once. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

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
function startWorld(port: number): World {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, '.build/cli/main.js'),
      'start',
      '--fast',
      '--port',
      String(port),
      '--state',
      stateDir,
      '--json',
      '--quiet',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  started.push(child.pid!)
  const { events, stderr } = followJsonLines(child)
  return { child, events, stderr }
}

async function ready(w: World): Promise<Event> {
  // a guard against a hang, not an assertion about speed
  const deadline = Date.now() + 300_000
  for (;;) {
    const event = w.events.find((e) => e.event === 'ready')
    if (event) return event
    assert.equal(w.child.exitCode, null, `the world exited before it was ready:\n${w.stderr.join('')}`)
    assert.ok(Date.now() < deadline, `the world never reported ready:\n${w.stderr.join('')}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

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
  const port = 20_000 + ((await freePort()) % 20_000)

  const first = startWorld(port)
  const banner = await ready(first)
  assert.equal(banner.resumed, false)
  const nodes = banner.nodes as { pid: number }[]
  const named = [
    banner.anvilPid as number,
    (banner.endpoints as { pid: number }).pid,
    ...nodes.map((n) => n.pid),
  ]
  const children = descendants(first.child.pid!)
  started.push(...children)
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
  started.push(...again)
  const exited = new Promise<number | null>((r) => second.child.once('exit', (code) => r(code)))
  second.child.kill('SIGINT')
  assert.equal(
    await exited,
    0,
    `the resumed world stops cleanly on SIGINT:\n${second.stderr.join('').slice(-2000)}`,
  )
  assert.deepEqual(await survivors(again, 5_000), [], 'no child outlives the resumed world after SIGINT')
})
