/**
 * The thread of mipThread.ts: solves one model at a time with HiGHS (mip.ts solveMipWith), posting each new
 * incumbent and dual bound as they come, then the answer. The main thread keeps the last of them, so that when it
 * abandons a solve at the deadline (HiGHS does not stop at its own time limit in its root's cut rounds) the
 * answer found so far is not lost.
 */
import { parentPort } from 'node:worker_threads'
import { buildCoupledCore, searchCoupled } from './coupledCore.ts'
import { loadHighs, type MipArrays, type MipOptions, type MipSolution, solveMipWith } from './mip.ts'
import { threadLimitSeconds } from './mipThread.ts'
import type { Network } from './network.ts'
import { claimJob, endJob } from './threadSlot.ts'

export type MipJobMessage = {
  id: number
  model: MipArrays
  /** (its time limit already less HIGHS_STOP_MS: mipThread.ts) */
  options: Omit<MipOptions, 'runner' | 'endBy'>
  /** The latest the solve may end, epoch milliseconds (the threads' clocks agree on it): HiGHS stops before. */
  endBy?: number
  /** Its claim (threadSlot.ts claimJob): the job is skipped when its owner withdrew it or `endBy` has passed. */
  claim?: SharedArrayBuffer
}
/**
 * The coupled Lagrangian's search (coupledCore.ts) continued from a warm start until `endBy` (epoch milliseconds),
 * where the verdict runs its flips instead of the solver (attack.ts flipsInstead): the thread is otherwise idle.
 * The answer goes into shared memory, not a message: the main thread runs the flips synchronously meanwhile, and a
 * message could only be read once they end — after the timer that gives up on a late answer (mipThread.ts).
 * `shared`: Int32 [0] the stop flag (set from outside), [1] done (1) or failed (2); from byte 8, Float64: λ (E
 * edges), p (S services), the value, the steps taken.
 */
export type CoupledJobMessage = {
  kind: 'coupled'
  id: number
  network: Network
  start: { lam: Float64Array; p: Float64Array; tau: number }
  endBy: number
  shared: SharedArrayBuffer
  /** As MipJobMessage's. */
  claim?: SharedArrayBuffer
}
export type MipWorkerMessage =
  | { id: number; type: 'started' }
  | { id: number; type: 'incumbent'; values: Float64Array; objective: number }
  | { id: number; type: 'bound'; bound: number }
  | { id: number; type: 'done'; solution: MipSolution }
  | { id: number; type: 'failed'; message: string }

const highsReady = loadHighs()

/**
 * The continuation's schedule: phases of 300 steps, τ × 0.7 each. From the cap's 600 steps (20,915 tokens on typical
 * 1,000 × 100 seed 1) this reaches 20,838 after 2,000 more steps (2.1 CPU-seconds), where the cap's own schedule
 * (100, × 0.5) stalls at 20,859 (bench/coupledWarm.ts; the LP is 20,813.7).
 */
const CONTINUE_PHASE = 300
const CONTINUE_DROP = 0.7

function runCoupled(m: CoupledJobMessage): void {
  const now = () => performance.timeOrigin + performance.now()
  const flags = new Int32Array(m.shared, 0, 2)
  // withdrawn (its owner gave up on it while it was queued): skipped, as failed. (Not for being past its end: a job
  // stopped or late still writes what it has, its start, at once.)
  if (!claimJob(m.claim)) {
    Atomics.store(flags, 1, 2)
    Atomics.notify(flags, 1)
    parentPort?.postMessage({ id: m.id, type: 'coupledDone' })
    return
  }
  try {
    const core = buildCoupledCore(m.network)
    const r = searchCoupled(core, {
      budgetMs: Math.max(0, m.endBy - now()),
      start: m.start,
      phase: CONTINUE_PHASE,
      drop: CONTINUE_DROP,
      stopped: () => Atomics.load(flags, 0) !== 0,
    })
    const out = new Float64Array(m.shared, 8, core.E + core.S + 2)
    out.set(r.lam, 0)
    out.set(r.p, core.E)
    out[core.E + core.S] = r.value
    out[core.E + core.S + 1] = r.iterations
    Atomics.store(flags, 1, 1)
  } catch {
    Atomics.store(flags, 1, 2)
  }
  endJob(m.claim)
  Atomics.notify(flags, 1)
  // (the main thread lets go of this thread on this message, should nobody take the answer)
  parentPort?.postMessage({ id: m.id, type: 'coupledDone' })
}

parentPort?.on('message', (m: MipJobMessage | CoupledJobMessage) => {
  if ('kind' in m && m.kind === 'coupled') {
    runCoupled(m)
    return
  }
  const job = m as MipJobMessage
  void highsReady.then((highs) => {
    const m = job
    // withdrawn by its owner while queued (its time ran out: threadSlot.ts), or its end already past: not started
    if (!claimJob(m.claim, m.endBy)) return
    const post = (x: MipWorkerMessage) => parentPort?.postMessage(x)
    // the main thread's give-up timer counts from here (a job queued behind this thread's load waited before it)
    post({ id: m.id, type: 'started' })
    const options = {
      ...m.options,
      timeLimitSeconds: threadLimitSeconds(
        m.options.timeLimitSeconds,
        m.endBy,
        performance.timeOrigin + performance.now(),
      ),
    }
    try {
      const solution = solveMipWith(highs, m.model, options, {
        incumbent: (values, objective) =>
          post({ id: m.id, type: 'incumbent', values: Float64Array.from(values), objective }),
        bound: (bound) => post({ id: m.id, type: 'bound', bound }),
      })
      endJob(m.claim)
      post({ id: m.id, type: 'done', solution })
    } catch (e) {
      endJob(m.claim)
      post({ id: m.id, type: 'failed', message: e instanceof Error ? e.message : String(e) })
    }
  })
})
