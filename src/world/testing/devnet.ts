/**
 * The devnet world as the world's end-to-end tests run it: a real `surety devnet`/`start` process in a scratch
 * directory, spawned, awaited until its ready banner, and — should an assertion fail and leave it running —
 * stopped after the file as a user would (SIGTERM, which stops its chain and nodes too; SIGKILL only if it does
 * not stop), along with any other process the test adopted. One harness per test file.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { BUILT_CLI, cliCommand } from '../../../scripts/cliBuild.mjs'
import { followJsonLines, type WorldEvent } from './jsonLines.ts'

export const ROOT = join(import.meta.dirname, '..', '..', '..')
/** What `npm start` runs once scripts/prestart.mjs has compiled the CLI. */
const CLI_BUILT = [BUILT_CLI]

export type DevnetProcess = {
  child: ChildProcess
  events: WorldEvent[]
  stderr: string[]
  exited: Promise<number | null>
}

export type DevnetHarness = {
  /** The scratch directory the devnet and the CLI run in (removed after the file unless SURETY_KEEP_TEST_DIRS). */
  cwd: string
  /**
   * Spawns the CLI with `args` in `cwd`, stdout read as JSON lines; `built` runs the compiled CLI; `ownGroup`
   * makes it lead a process group of its own, as a shell does for a command, so a test can signal the whole
   * group the way Ctrl-C in a terminal does.
   */
  start(args: string[], options?: { built?: boolean; ownGroup?: boolean }): DevnetProcess
  /** Runs the CLI (from source) to completion in `cwd`, with `env` added to this process's environment. */
  cli(args: string[], env?: Record<string, string>): SpawnSyncReturns<string>
  /** Processes to SIGKILL after the file should they still run (a killed world's children). */
  adopt(pids: number[]): void
}

export function devnetHarness(prefix: string): DevnetHarness {
  const cwd = mkdtempSync(join(tmpdir(), `${prefix}-`))
  const worlds: ChildProcess[] = []
  const adopted: number[] = []
  after(async () => {
    await Promise.all(
      worlds
        .filter((c) => c.exitCode === null && c.signalCode === null)
        .map(async (c) => {
          const exited = new Promise((r) => c.once('exit', r))
          c.kill('SIGTERM')
          const timer = setTimeout(() => c.kill('SIGKILL'), 30_000)
          await exited
          clearTimeout(timer)
        }),
    )
    for (const pid of adopted.filter(alive)) process.kill(pid, 'SIGKILL')
    if (!process.env.SURETY_KEEP_TEST_DIRS) rmSync(cwd, { recursive: true, force: true })
  })
  return {
    cwd,
    start(args, options = {}) {
      const child = spawn(process.execPath, [...(options.built ? CLI_BUILT : cliCommand()), ...args], {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: options.ownGroup === true,
      })
      worlds.push(child)
      const { events, stderr } = followJsonLines(child)
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      return { child, events, stderr, exited }
    },
    cli(args, env = {}) {
      return spawnSync(process.execPath, [...cliCommand(), ...args], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      })
    },
    adopt(pids) {
      adopted.push(...pids)
    },
  }
}

/** The ready banner; fails if the world exits first or never says it is ready. */
export async function ready(w: DevnetProcess): Promise<WorldEvent> {
  // a guard against a hang, not an assertion about speed: starting five nodes on a loaded machine takes a while
  const deadline = Date.now() + 300_000
  for (;;) {
    const event = w.events.find((e) => e.event === 'ready')
    if (event) return event
    assert.equal(w.child.exitCode, null, `the world exited before it was ready:\n${w.stderr.join('')}`)
    assert.ok(Date.now() < deadline, `the world never reported ready:\n${w.stderr.join('')}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** The banner's URL labelled `label` (the API plugin's `API` and `Dashboard`). */
export function pluginUrl(banner: WorldEvent, label: string): string {
  const found = (banner.plugins as { label: string; url: string }[]).find((p) => p.label === label)
  assert.ok(found, `the banner lists the ${label} URL: ${JSON.stringify(banner.plugins)}`)
  return found.url
}

/** The processes the banner names: the chain, the endpoint server and the nodes. */
export function bannerPids(banner: WorldEvent): number[] {
  const nodes = banner.nodes as { pid: number }[]
  return [banner.anvilPid as number, (banner.endpoints as { pid: number }).pid, ...nodes.map((n) => n.pid)]
}

/** Running, not a zombie: a killed world's children are re-parented to pid 1, which may not reap them at once. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}
