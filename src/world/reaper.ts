/**
 * The world's reaper: a tiny watchdog that outlives nothing. The world tells it the pid of every child it starts
 * (anvil, the nodes) on a pipe to its stdin; when the world's process ends in a way it cannot clean up after —
 * `kill -9`, an out-of-memory kill — the pipe closes, and the reaper stops those children: SIGTERM first, so
 * anvil writes its `--state` and each node closes its store, then SIGKILL for any still running after a grace
 * period. Anvil is a binary that cannot watch its parent itself; the nodes are `surety node`, a command that must
 * not tie its life to whoever started it elsewhere. The reaper is a POSIX shell loop (no node process: ~1 MiB,
 * started in milliseconds, no CPU while it waits on its pipe).
 */
import { type ChildProcess, spawn } from 'node:child_process'

/** Tenths of a second children get to stop on SIGTERM before the reaper kills them outright. */
const GRACE_TENTHS = 50

/**
 * Reads `watch PID`, `forget PID` and `done` lines; at the end of its input (the world is gone) signals what it
 * still watches. A pid is forgotten once its process exits, so a reused pid is never signalled.
 */
const REAPER_SCRIPT = `
pids=""
while read -r verb pid; do
  case "$verb" in
    watch) pids="$pids $pid" ;;
    forget) kept=""; for p in $pids; do [ "$p" = "$pid" ] || kept="$kept $p"; done; pids=$kept ;;
    done) exit 0 ;;
  esac
done
[ -z "$pids" ] && exit 0
for p in $pids; do kill -TERM "$p" 2>/dev/null; done
i=0
while [ $i -lt ${GRACE_TENTHS} ]; do
  alive=""
  for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
  [ -z "$alive" ] && exit 0
  sleep 0.1
  i=$((i + 1))
done
for p in $pids; do kill -KILL "$p" 2>/dev/null; done
`

export type Reaper = {
  pid: number | undefined
  /** Stop this child if the world dies without stopping it. */
  watch: (child: ChildProcess) => void
  /** The world ends cleanly: the reaper exits without touching anything. */
  done: () => void
}

export async function startReaper(): Promise<Reaper> {
  // no POSIX shell on Windows: there the world stops its children on the signals it can catch, as before
  if (process.platform === 'win32') return { pid: undefined, watch: () => {}, done: () => {} }
  const child = spawn('/bin/sh', ['-c', REAPER_SCRIPT], {
    stdio: ['pipe', 'ignore', 'ignore'],
    // its own process group: Ctrl-C at the terminal reaches the world, which stops its children itself, and
    // leaves the reaper waiting for the world's end
    detached: true,
  })
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
  // the reaper never keeps the world alive, and a reaper gone early (someone killed it) is not an error
  child.unref()
  child.stdin!.on('error', () => {})
  const send = (line: string) => {
    if (child.exitCode === null && child.stdin!.writable) child.stdin!.write(`${line}\n`)
  }
  return {
    pid: child.pid,
    watch: (watched) => {
      if (watched.pid === undefined || watched.exitCode !== null) return
      send(`watch ${watched.pid}`)
      watched.once('exit', () => send(`forget ${watched.pid}`))
    },
    done: () => send('done'),
  }
}
