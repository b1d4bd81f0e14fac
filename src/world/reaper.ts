/**
 * The world's reaper: a tiny watchdog process that outlives nothing. The world tells it the pid of every child it
 * starts (anvil, the endpoint server, the nodes); when the world's process ends in a way it cannot clean up after
 * — `kill -9`, an out-of-memory kill — the reaper's IPC channel closes, and it stops those children: SIGTERM
 * first, so anvil writes its `--state` and each node closes its store, then SIGKILL for any still running after a
 * grace period. Anvil is a binary that cannot watch its parent itself; the nodes are `surety node`, a command
 * that must not tie its life to whoever started it elsewhere. The reaper runs inline JavaScript (`node -e`),
 * so it starts in milliseconds in a checkout and in the built package alike, and idles at no CPU.
 */
import { type ChildProcess, spawn } from 'node:child_process'

/** How long children get to stop on SIGTERM before the reaper kills them outright. */
const GRACE_MS = 5_000

/** The reaper itself: runs in its own `node -e` process, with the world on the other end of its IPC channel. */
const REAPER_SOURCE = `
const pids = new Set()
process.on('message', (m) => {
  if (m && m.watch) pids.add(m.watch)
  if (m && m.forget) pids.delete(m.forget)
  if (m && m.done) { pids.clear(); process.exit(0) }
})
const alive = (pid) => { try { process.kill(pid, 0); return true } catch { return false } }
process.on('disconnect', () => {
  for (const pid of pids) try { process.kill(pid, 'SIGTERM') } catch {}
  const deadline = Date.now() + ${GRACE_MS}
  const timer = setInterval(() => {
    const left = [...pids].filter(alive)
    if (left.length === 0) process.exit(0)
    if (Date.now() > deadline) { for (const pid of left) try { process.kill(pid, 'SIGKILL') } catch {}; process.exit(0) }
  }, 100)
})
`

export type Reaper = {
  pid: number
  /** Stop this child if the world dies without stopping it. */
  watch: (child: ChildProcess) => void
  /** The world ends cleanly: the reaper exits without touching anything. */
  done: () => void
}

export async function startReaper(): Promise<Reaper> {
  const child = spawn(process.execPath, ['-e', REAPER_SOURCE], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // its own process group: a Ctrl-C to the world's terminal reaches the world, which stops its children itself
    detached: true,
  })
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
  // neither the process nor its channel keeps the world alive
  child.unref()
  child.channel?.unref()
  const send = (message: object) => {
    if (child.connected) child.send(message)
  }
  return {
    pid: child.pid!,
    watch: (watched) => {
      if (watched.pid === undefined || watched.exitCode !== null) return
      send({ watch: watched.pid })
      // a pid is forgotten once its process exits, so a reused pid is never signalled
      watched.once('exit', () => send({ forget: watched.pid }))
    },
    done: () => send({ done: true }),
  }
}
