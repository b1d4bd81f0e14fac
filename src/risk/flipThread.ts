/**
 * The exact-cover local search over services (leafFlip.ts) on a thread of its own (flipWorker.ts; Node.js only),
 * beside the MIP solver: on large insecure networks the solver spends the time limit on its root LP (typical
 * 1,000 × 100 with allocations: 7.5 s on a quiet machine), which sets the bound, and the second core was idle
 * meanwhile (no branching over services where a service pays alone). The thread gets the same deadline as the
 * solver and its attack is checked exactly by the caller, like every start.
 */
import type { Worker } from 'node:worker_threads'
import { startModuleWorker } from '../workers/startModuleWorker.ts'
import type { FlipDoneMessage, FlipJobMessage, FlipWorkerMessage } from './flipWorker.ts'
import type { Network } from './network.ts'
import { type SlotJob, threadSlot } from './threadSlot.ts'
import type { Attack } from './verify.ts'

/**
 * How long after its deadline a thread's answer is still waited for (a leaf solve under way ends first). It was
 * 1 s, and the verdict waited for it after its solver: a question could overrun its limit by that much. The thread
 * checks its deadline between flips and inside each leaf's LPs (leafCover.ts), so an answer later than this is a
 * leaf that overran or a thread that hangs: it is dropped, and the thread replaced (below).
 */
export const FLIP_GRACE_MS = 100
/**
 * The thread itself is told to stop this much before the deadline, so that a leaf under way (150 ms at most a flip,
 * its LP a little more: leafFlip.ts) ends within the grace even at nice 19 on a busy machine: stopping at the
 * deadline, 2 of 3 typical 1,000 × 100 verdicts with allocations dropped the thread's answer at load 12; 150 ms
 * before, 1 of 3 at load 6–7 (the CLI's attack then netted 20,304 twice, against 20,419 and 20,471 with 400 ms, load
 * 5–6). The flips gain little in their last half second (20,461 tokens after 2 s, 20,491 after 5 s).
 */
export const FLIP_EARLY_MS = 400

/** How a thread is started (tests give one that never answers). */
export type FlipThreadStart = () => Worker
const slot = threadSlot(() => startModuleWorker(import.meta.url, 'flipWorker'))
/** Tests: how threads are started from now on (undefined: the real one). */
export function setFlipThreadStart(start: FlipThreadStart | undefined): void {
  slot.setStart(start)
}
/** Threads ended because they did not answer in time (tests). */
let replaced = 0
export const replacedFlipThreads = (): number => replaced

let nextId = 0

/** Starts the thread ahead of its first job (through tsx it takes 0.5–0.7 s to load its modules and HiGHS). */
export function warmFlipThread(): void {
  slot.thread()
}

export type FlipJob = {
  /** Ends the search now (its answer is then not needed). */
  stop(): void
  /** The best attack reached, or null when the thread failed or did not answer in time. Not yet checked. */
  result(): Promise<Attack | null>
}

/** Services and operators as arrays of in-range indices, no longer than the network's lists. */
function wellFormed(n: Network, a: unknown): a is Attack {
  if (typeof a !== 'object' || a === null) return false
  const { services, operators } = a as Partial<Attack>
  const ok = (xs: unknown, size: number) =>
    Array.isArray(xs) && xs.length <= size && xs.every((x) => Number.isInteger(x) && x >= 0 && x < size)
  return ok(services, n.services.length) && ok(operators, n.operators.length)
}

/** Runs flipByLeaf on `attack` until `deadline` (this thread's performance.now() milliseconds). */
export function startFlip(n: Network, attack: Attack, deadline: number): FlipJob {
  const id = nextId++
  const shared = new SharedArrayBuffer(8)
  const epoch = new BigInt64Array(shared)
  const store = (ms: number) =>
    Atomics.store(epoch, 0, BigInt(Math.min(Number.MAX_SAFE_INTEGER, Math.ceil(performance.timeOrigin + ms))))
  store(deadline - FLIP_EARLY_MS)
  let settle: (a: Attack | null) => void = () => {}
  const result = new Promise<Attack | null>((resolve) => {
    settle = resolve
  })
  let job: SlotJob
  let timer: NodeJS.Timeout | undefined
  const done = (a: Attack | null) => {
    clearTimeout(timer)
    job.finish()
    settle(a)
  }
  try {
    job = slot.submit({ id, network: n, attack, shared } satisfies Omit<FlipJobMessage, 'claim'>, {
      // the thread's message is checked for shape before anything reads it (a garbled one counts as no answer);
      // the attack itself is checked exactly by the caller (isValidAttack, exact net). ('started' is the slot's.)
      message: (raw) => {
        const m = raw as FlipWorkerMessage
        if (m.type === 'started') return
        done(wellFormed(n, (m as FlipDoneMessage).attack) ? (m as FlipDoneMessage).attack : null)
      },
      // the thread died under it
      lost: () => done(null),
    })
  } catch {
    return { stop: () => {}, result: () => Promise.resolve(null) }
  }
  // A job that has not answered by then is given up (its answer would be dropped anyway). Still queued (behind
  // another question's flips): withdrawn, and that job left to run. Running: the thread is ended and replaced, as the
  // branching's threads are (parallelBranch.ts) — left to finish on its own, a thread that hung held every later job
  // queued behind it, and no question got flips again; the replacement starts loading now, so the next question
  // finds it ready, and the jobs queued behind are re-posted there.
  const late = () => {
    if (job.giveUp() === 'running') replaced++
    settle(null)
  }
  // (capped: setTimeout fires at once past 2^31 − 1 ms)
  timer = setTimeout(late, Math.min(2 ** 31 - 1, Math.max(0, deadline - performance.now()) + FLIP_GRACE_MS))
  // the running thread keeps the process alive; the timer alone need not
  timer.unref()
  return {
    stop() {
      store(performance.now())
      // still queued: withdrawn at once (nothing to answer but null); running, it ends at its next check
      if (job.state() === 'queued' && job.giveUp() === 'queued') {
        clearTimeout(timer)
        settle(null)
      }
    },
    result: () => result,
  }
}

/** Ends the thread (tests, or a process that wants to exit at once). */
export function closeFlipThread(): Promise<void> {
  return slot.close()
}
