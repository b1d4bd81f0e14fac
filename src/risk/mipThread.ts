/**
 * The MIP solver on a thread of its own (mipWorker.ts; Node.js only), abandoned at its time limit plus ABANDON_MS.
 *
 * Why: HiGHS does not stop at its `time_limit` everywhere. On boundary 1,000 × 100 seed 1 with allocations the
 * cascade's MIP, given 8.5 s, solved its root LP by 4.4 s and then spent 6 s in its root's cut rounds (2,429 cuts
 * found) without looking at the clock — neither its time limit nor its interrupt callbacks — and returned after
 * 10.6 s (given 5 s, the LP itself ran to the limit and it returned after 5.09 s). Inside a question that is the
 * deadline overrun by seconds. A synchronous wasm call cannot be stopped from its own thread; a worker can be
 * terminated.
 *
 * Honesty: nothing found is lost. The thread posts every new incumbent (its column values, in the model's own
 * columns) and every new dual bound as HiGHS reports them; an abandoned solve answers `timeLimit` with the last
 * of each — the incumbent HiGHS would have returned had it stopped then, and a bound it had proven by then (the
 * bound only falls as the search goes on, so an earlier one is valid and never below the true optimum). The
 * caller checks the incumbent exactly (search.ts), as every answer of the solver. A thread that fails or exits
 * answers the same way; the thread is then replaced for the next solve.
 *
 * Schedule (threadSlot.ts): one thread for the process, so two questions at once (or a cascade's stages and the
 * verdict's coupled job) queue their jobs on it, run one at a time in the order posted. Each job carries a claim in
 * shared memory the thread takes as it starts it (then says 'started'). A solve given up while still queued (its
 * question's deadline passed behind another question's solve) is withdrawn: the thread skips it, it answers what it
 * has (nothing), and the solve running there goes on. One given up while running ends the thread (HiGHS cannot be
 * stopped inside it), and the jobs queued behind are re-posted to its successor with their own deadlines. A thread
 * that dies answers its running solve with what it had and re-posts the queued ones; a solve whose HiGHS failed
 * retires the thread the same way. Before, any give-up ended the thread, answering another question's solve with what
 * it had so far and the queued ones with nothing.
 */
import type { Worker } from 'node:worker_threads'
import { SuretyError } from '../errors.ts'
import { startModuleWorker } from '../workers/startModuleWorker.ts'
import {
  loadHighs,
  type MipArrays,
  type MipOptions,
  type MipRunner,
  type MipSolution,
  solveMipWith,
} from './mip.ts'
import type { CoupledJobMessage, MipJobMessage, MipWorkerMessage } from './mipWorker.ts'
import type { Network } from './network.ts'
import { type JobMessage, type SlotJob, threadSlot } from './threadSlot.ts'

/**
 * How long past its time limit a solve is waited for before it is abandoned: HiGHS ends within 0.1 s of its limit
 * where it checks the clock (5.09 s for 5 s above), and the wait past that is what a question can overrun by here.
 */
export const ABANDON_MS = 100

/**
 * How much sooner than its limit HiGHS itself is asked to stop: where it looks at the clock it stops 0.05–0.1 s
 * after its limit on a quiet machine (0.7 s at load 10), and its own answer (its last bound, from an LP it stopped)
 * is then in before the solve is abandoned. Costs the solver 1% of a 10 s limit.
 */
export const HIGHS_STOP_MS = 100

/** HiGHS's own time limit for a solve given `seconds`: HIGHS_STOP_MS less, 10 ms at least. */
export const highsLimitSeconds = (seconds: number | undefined): number | undefined =>
  seconds === undefined ? undefined : Math.max(0.01, seconds - HIGHS_STOP_MS / 1000)

/**
 * HiGHS's limit on the thread for a job handed `given` (already less HIGHS_STOP_MS) that must end by `endBy` (epoch
 * milliseconds), starting at `now`: the smaller, 10 ms at least. A job queued behind the thread's load (0.5–0.7 s
 * through tsx) or an earlier solve starts late: its own limit then counts from its start, and the deadline it must
 * end by (the question's) caps it.
 */
export const threadLimitSeconds = (
  given: number | undefined,
  endBy: number | undefined,
  now: number,
): number | undefined => {
  if (endBy === undefined) return given
  const cap = highsLimitSeconds((endBy - now) / 1000) as number
  return given === undefined ? cap : Math.min(given, cap)
}

/** How a thread is started (tests give one that never answers, or answers partly). */
export type MipThreadStart = () => Worker

const slot = threadSlot(() => startModuleWorker(import.meta.url, 'mipWorker'))
let nextId = 0
/** Abandoned solves so far, and solves the thread said it started (tests). */
let abandoned = 0
let withdrawn = 0
let started = 0

/** Starts the thread ahead of its first solve (through tsx it takes 0.5–0.7 s to load its modules and HiGHS). */
export function warmMipThread(): void {
  slot.thread()
}

/** Ends the thread (tests, or a process that wants to exit at once). */
export function closeMipThread(): Promise<void> {
  return slot.close()
}

/** Tests: how threads are started from now on (undefined: the real one), and the count of abandoned solves. */
export function setMipThreadStart(start: MipThreadStart | undefined): void {
  slot.setStart(start)
}
export const abandonedSolves = (): number => abandoned
export const startedSolves = (): number => started
/** Of the abandoned solves, those given up while still queued (withdrawn: the thread was left to its job). */
export const withdrawnSolves = (): number => withdrawn

/**
 * solveMip on the thread. Without a time limit there is nothing to abandon at, and it solves on this thread.
 * `abandonAfterMs` (default: the time limit plus ABANDON_MS) is when the solve is given up, counted from when the
 * thread starts it (its 'started' message: a job may wait behind the thread's load or an earlier solve), and never
 * later than `given.endBy`, the question's deadline (without one, `abandonAfterMs` from now, as before). HiGHS on the
 * thread is told to stop HIGHS_STOP_MS before its own limit and HIGHS_STOP_MS + ABANDON_MS before that latest time
 * (threadLimitSeconds), so its own answer is in before the solve is given up.
 */
export async function runMipOnThread(
  b: MipArrays,
  given: Omit<MipOptions, 'runner'>,
  abandonAfterMs?: number,
): Promise<MipSolution> {
  // (a runner is a function, which cannot be sent to the thread; it is this one anyway)
  const { runner: _, endBy: givenEndBy, ...options } = given as MipOptions
  if (options.timeLimitSeconds === undefined && abandonAfterMs === undefined && givenEndBy === undefined)
    return solveMipWith(await loadHighs(), b, options)
  const id = nextId++
  const worst = options.maximize ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY
  let incumbent: { values: Float64Array; objective: number } | null = null
  let bound = worst
  const model: MipArrays = {
    numCols: b.numCols,
    numRows: b.numRows,
    cost: b.cost,
    lower: b.lower,
    upper: b.upper,
    integer: b.integer,
    starts: b.starts,
    indices: b.indices,
    values: b.values,
    rowLower: b.rowLower,
    rowUpper: b.rowUpper,
  }
  const posted = performance.now()
  const waitMs =
    abandonAfterMs ??
    (options.timeLimitSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : options.timeLimitSeconds * 1000 + ABANDON_MS)
  // The latest it is waited for (this thread's clock), and the latest HiGHS is to end by, ABANDON_MS before. A
  // question's deadline is not passed: giving up there, not ABANDON_MS past it, costs HiGHS 0.1 s, and the verdict on
  // typical 200 × 50 with allocations ended 0.10–0.12 s late where its HiGHS ran on past its limit (load 9)
  const latest = givenEndBy ?? posted + waitMs
  const endBy = latest - ABANDON_MS
  const message: MipJobMessage = {
    id,
    model,
    options: { ...options, timeLimitSeconds: highsLimitSeconds(options.timeLimitSeconds) },
    ...(Number.isFinite(endBy) ? { endBy: performance.timeOrigin + endBy } : {}),
  }
  return new Promise<MipSolution>((resolve, reject) => {
    let job: SlotJob
    // what was found so far: the incumbent HiGHS holds and the bound it has proven (see the header)
    const sofar = (): MipSolution => ({
      status: 'timeLimit',
      values: incumbent?.values ?? null,
      objective: incumbent?.objective ?? Number.NaN,
      bound,
    })
    const giveUp = () => {
      abandoned++
      // queued: withdrawn (the thread skips it), the job the thread runs left alone; running: the thread is still
      // in HiGHS, so it is ended and replaced now (the next solve finds it loaded), the jobs queued behind re-posted
      if (job.giveUp() === 'queued') withdrawn++
      resolve(sofar())
    }
    // given up at `latest`, or waitMs after the thread starts the solve if that comes first
    let timer: NodeJS.Timeout | undefined
    const arm = (at: number) => {
      clearTimeout(timer)
      // capped: setTimeout fires at once past 2^31 − 1 ms
      timer = setTimeout(giveUp, Math.min(2 ** 31 - 1, Math.max(0, at - performance.now())))
    }
    const onMessage = (raw: JobMessage) => {
      const m = raw as MipWorkerMessage
      if (m.type === 'started') {
        started++
        arm(Math.min(latest, performance.now() + waitMs))
      } else if (m.type === 'incumbent') {
        if (m.values instanceof Float64Array && m.values.length === b.numCols)
          incumbent = { values: m.values, objective: m.objective }
      } else if (m.type === 'bound') {
        // the bound only falls (maximizing; rises minimizing): a stray larger one is not taken
        if (typeof m.bound === 'number' && !Number.isNaN(m.bound))
          bound = options.maximize ? Math.min(bound, m.bound) : Math.max(bound, m.bound)
      } else if (m.type === 'done') {
        clearTimeout(timer)
        job.finish()
        resolve(m.solution)
      } else if (m.type === 'failed') {
        clearTimeout(timer)
        // HiGHS failed inside the thread: its wasm instance may be broken, so the thread is replaced (the jobs
        // queued behind it re-posted to its successor)
        job.finish(true)
        reject(new SuretyError(m.message))
      }
    }
    // the thread died (or was ended) while it ran this solve: what it had
    const lost = () => {
      clearTimeout(timer)
      resolve(sofar())
    }
    try {
      job = slot.submit(message, { message: onMessage, lost })
    } catch {
      // no thread to be had: solve here, as without one
      resolve(
        loadHighs().then((highs) =>
          solveMipWith(highs, b, {
            ...options,
            timeLimitSeconds: threadLimitSeconds(
              highsLimitSeconds(options.timeLimitSeconds),
              endBy,
              performance.now(),
            ),
          }),
        ),
      )
      return
    }
    arm(latest)
  })
}

export const mipThreadRunner: MipRunner = (b, options) => runMipOnThread(b, options)

/**
 * How long past its end the coupled search's answer is waited for: the thread checks the clock before each L-BFGS
 * step (2–4 ms at 1,000 × 100, one of 30 line-search evaluations more), so later than this is a thread that hangs
 * or is still loading; it is then ended and replaced, as an abandoned solve's.
 */
export const COUPLED_GRACE_MS = 100

/** The coupled Lagrangian's multipliers (over the network's largest amount, as coupledCore.ts), not yet checked. */
export type CoupledThreadResult = { lam: Float64Array; p: Float64Array; value: number; iterations: number }

export type CoupledThreadJob = {
  /** Ends the search now: its answer is then not needed (the thread is free for a solve at once). */
  stop(): void
  /**
   * The answer, waited for (blocking this thread: Atomics.wait) until the job's end plus COUPLED_GRACE_MS at most;
   * null when the thread failed, was late or was stopped. Once only.
   */
  take(): CoupledThreadResult | null
  /** Whether the thread has finished the job (answered or failed), without waiting. */
  over(): boolean
}

/**
 * The coupled Lagrangian's search (coupledCore.ts) continued on this module's thread from `start` until `endBy`
 * (this thread's performance.now() milliseconds): where the verdict runs its flips instead of the solver
 * (attack.ts), that thread is otherwise idle. The answer is floats, checked exactly by the caller
 * (coupledCap.ts coupledCapExact, valid for any multipliers). It comes back through shared memory (mipWorker.ts
 * CoupledJobMessage), so a caller busy until `endBy` reads it at once.
 */
export function coupledOnThread(
  n: Network,
  start: { lam: Float64Array; p: Float64Array; tau: number },
  endBy: number,
): CoupledThreadJob {
  const E = n.services.reduce((a, s) => a + s.members.length, 0)
  const S = n.services.length
  const shared = new SharedArrayBuffer(8 + 8 * (E + S + 2))
  const flags = new Int32Array(shared, 0, 2)
  const id = nextId++
  let job: SlotJob
  try {
    job = slot.submit(
      {
        kind: 'coupled',
        id,
        network: n,
        start,
        endBy: performance.timeOrigin + endBy,
        shared,
      } satisfies Omit<CoupledJobMessage, 'claim'>,
      {
        // The thread is let go of (unref'd) once the job is over, even if nobody takes its answer (a question that
        // threw between posting the job and taking it): held for good, it would keep the process alive.
        message: (m) => {
          if (m.type === 'coupledDone') job.finish()
        },
        // (its flags say failed or not done: take() answers null)
        lost: () => {},
      },
    )
  } catch {
    return { stop: () => {}, take: () => null, over: () => true }
  }
  let taken = false
  return {
    stop() {
      Atomics.store(flags, 0, 1)
      // let go of: it stops at its next step (queued, at its first), writing what it has; the thread then takes the
      // next job. A job that gives up while queued behind it, should the thread hang in it, ends that thread
      job.release()
    },
    over: () => Atomics.load(flags, 1) !== 0,
    take() {
      if (taken) return null
      taken = true
      const waitMs = Math.max(0, endBy + COUPLED_GRACE_MS - performance.now())
      if (Atomics.load(flags, 1) === 0) Atomics.wait(flags, 1, 0, waitMs)
      const state = Atomics.load(flags, 1)
      if (state === 0) {
        // late: its answer is dropped. Still queued (behind another job): withdrawn, the thread left to the job it
        // runs; still searching (or hung) in it: the thread replaced so that the jobs behind it do not wait on
        Atomics.store(flags, 0, 1)
        job.giveUp()
        return null
      }
      // (over on the thread, whether its message is in yet or not)
      job.finish()
      if (state !== 1) return null
      const out = new Float64Array(shared, 8, E + S + 2)
      return {
        lam: out.slice(0, E),
        p: out.slice(E, E + S),
        value: out[E + S] as number,
        iterations: out[E + S + 1] as number,
      }
    },
  }
}
