/**
 * The branch and bound over services on two worker threads (branchWorker.ts), Node.js only: pass
 * `parallelBranch()` as `SolveOptions.parallel` (the CLI and the bench do; the browser and callers already on a
 * worker thread, such as the API's risk thread, search on one thread).
 *
 * Why: at the edge of security (hard 1,000 × 100) the proof is this search, several CPU-seconds of it, and the
 * machine has a second core. The search starts at once, beside the heuristic on the main thread (for a network
 * not yet known insecure the branching's incumbent is "no attack" anyway); the heuristic's attack, checked exactly
 * in the workers, joins it when found; and the two threads split the open nodes between them.
 *
 * Honesty: the answer is proven only when both threads report that every node was pruned by an exact bound (the
 * shared count of nodes reached 0) and neither gave up. A thread that throws, exits, or does not report within a
 * grace period after the deadline leaves the answer not proven (its attack, if one was reported, is re-checked
 * exactly here), and is replaced by a new one for the next search.
 */
import { availableParallelism } from 'node:os'
import { MessageChannel, type Worker } from 'node:worker_threads'
import { startModuleWorker } from '../workers/startModuleWorker.ts'
import type { BranchJob, BranchJobOptions, ParallelBranch } from './branchJob.ts'
import {
  DEAD,
  DEADLINE_BYTE,
  HOLD,
  INT_SLOTS,
  SHARED_BYTES,
  STOP,
  WORK,
  type WorkerDone,
  type WorkerJob,
} from './branchProtocol.ts'
import { edgeCount } from './deadline.ts'
import { closeFlipThread, startFlip, warmFlipThread } from './flipThread.ts'
import { closeMipThread, coupledOnThread, mipThreadRunner, warmMipThread } from './mipThread.ts'
import type { Network } from './network.ts'
import type { BranchOptions, BranchOutcome } from './serviceBranch.ts'
import { type Attack, attackCost, attackProfit, isValidAttack, normalizeAttack } from './verify.ts'

export type ParallelBranchOptions = {
  /**
   * Components with fewer operator–service pairs are searched on the calling thread. Default 2,500: below it the
   * branching either settles on one thread in about a second (boundary 200 × 50 seed 3, 0.7–1.2 s) or, with an
   * attack known, gets a tenth of the time before the solver (hard 200 × 50, about 1,250 pairs), and a thread
   * beside the heuristic only takes a core from it and from the solver that follows (hard 200 × 50 seed 3, proven
   * optimal by the solver in 7.7 s on one thread, ended at a gap of 36 with two at load 10); hard 1,000 × 100 has
   * about 5,000.
   */
  minEdges?: number
  /** The search's steps (serviceBranch.ts BranchOptions), and from what size flat nodes are covered, for tests. */
  steps?: Pick<
    BranchOptions,
    'rootSteps' | 'nodeSteps' | 'rootPriceSteps' | 'nodePriceSteps' | 'flatMinEdges'
  >
  /**
   * Tests only: the given thread (0 or 1) throws after bounding this many nodes, or with `hang` stops answering
   * there (stuck in a node) until it is ended.
   */
  failure?: { thread: 0 | 1; afterNodes: number; hang?: boolean }
}

/**
 * The threads are told to stop this long before the search's deadline (the deadline in shared memory is moved up
 * by it), so that a node or a leaf's LP under way when they look (each checks the deadline between steps and inside
 * a leaf's LPs: tens of milliseconds at 1,000 × 100, more under load) ends before the deadline itself. With the
 * grace below it bounds what a thread may take past its stop: BRANCH_EARLY_MS + GRACE_MS. (Before, the threads
 * stopped at the deadline and were waited for 1 s past it: the largest attack, whose scaled search ends here,
 * overran its limit by up to 0.2 s.)
 */
export const BRANCH_EARLY_MS = 250
/** … or this part of the search's time, when that is less (riskc.review.test.ts's searches of 0–80 ms). */
const EARLY_PART = 0.1
/**
 * How long after the deadline the threads' reports are waited for before the search is declared unproven (a thread
 * that has not reported cannot have its nodes counted as pruned) and the threads that have not reported are ended
 * and replaced, their successors loading at once for the next search (as the flip thread's: flipThread.ts). It was
 * 1 s, and a thread that did not report was kept for 10 s more: a search started meanwhile queued behind it.
 */
export const GRACE_MS = 100
/** The longest delay setTimeout takes (2^31 − 1 ms, 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1

const THREADS = 2

/**
 * Threads not yet started are worth starting only for a search this long: through tsx a thread takes 0.5–0.7 s
 * to load its modules and the solver (load 7–9), and a 0.3 s question waited 0.9 s for them.
 */
const COLD_START_MS = 2000

/** Two threads kept between searches (starting one costs a few hundred milliseconds through tsx), unref'd idle. */
let pool: (Worker | undefined)[] = []
let nextJob = 0
/** Threads ended because they had not reported by the deadline and GRACE_MS (tests). */
let replaced = 0
export const replacedBranchThreads = (): number => replaced

function thread(i: number): Worker {
  let w = pool[i]
  if (!w) {
    const started = startModuleWorker(import.meta.url, 'branchWorker')
    started.on('error', () => {}) // each job listens for its own; this keeps a failure from crashing the process
    started.on('exit', () => {
      if (pool[i] === started) pool[i] = undefined
    })
    started.unref()
    pool[i] = started
    w = started
  }
  return w
}

/** Ends the pool's threads (tests, or a process that wants to exit at once). */
export async function closeBranchThreads(): Promise<void> {
  const old = pool
  pool = []
  await Promise.all([...old.flatMap((w) => (w ? [w.terminate()] : [])), closeFlipThread(), closeMipThread()])
}

export function parallelBranch(options: ParallelBranchOptions = {}): ParallelBranch {
  return {
    worthIt: (n, budgetMs) =>
      availableParallelism() > 1 &&
      edgeCount(n) >= (options.minEdges ?? 2500) &&
      (budgetMs >= COLD_START_MS || pool.filter(Boolean).length === THREADS),
    start: (n, opts) => startJob(n, opts, options),
    flip: startFlip,
    warmFlip: warmFlipThread,
    mip: mipThreadRunner,
    warmMip: warmMipThread,
    coupled: coupledOnThread,
    cpuMs: () => {
      const u = process.cpuUsage()
      return (u.user + u.system) / 1000
    },
  }
}

function startJob(n: Network, opts: BranchJobOptions, options: ParallelBranchOptions): BranchJob {
  const id = nextJob++
  const shared = new SharedArrayBuffer(SHARED_BYTES)
  const i32 = new Int32Array(shared, 0, INT_SLOTS)
  const deadlineEpoch = new BigInt64Array(shared, DEADLINE_BYTE, 1)
  let deadline = opts.deadline
  // capped, as the slot is a BigInt64 (a deadline past 2^63 ms wrapped round to one long over); the threads see it
  // BRANCH_EARLY_MS sooner, or a tenth of their time when that is less (they stop then, to report by the deadline;
  // a search of tens of milliseconds, as under a limit of a second, would not start at all)
  const storeDeadline = () => {
    const early = Math.min(BRANCH_EARLY_MS, EARLY_PART * Math.max(0, deadline - performance.now()))
    Atomics.store(
      deadlineEpoch,
      0,
      BigInt(Math.min(Number.MAX_SAFE_INTEGER, Math.ceil(performance.timeOrigin + deadline - early))),
    )
  }
  storeDeadline()
  Atomics.store(i32, WORK, 1) // the root
  Atomics.store(i32, HOLD, 1) // one thread until the caller's heuristic is done (setDeadline)
  const { port1, port2 } = new MessageChannel()
  const workers = [thread(0), thread(1)]
  const reports: (WorkerDone | null)[] = [null, null]
  // threads out of their search loop (their report follows once the peer's last message is in)
  const stopping = [false, false]
  // every attack the threads prune against: the start, those offered, those they found
  const found: Attack[] = opts.incumbent ? [opts.incumbent] : []
  let failed = false
  let answered = false
  let resolve: (b: BranchOutcome) => void = () => {}
  const result = new Promise<BranchOutcome>((r) => {
    resolve = r
  })
  const cleanups: (() => void)[] = []
  let timer: NodeJS.Timeout | undefined

  const answer = () => {
    if (answered) return
    answered = true
    clearTimeout(timer)
    resolve(combine(n, reports, failed, found))
  }
  const end = () => {
    clearTimeout(timer)
    for (const c of cleanups) c()
    for (const w of workers) w.unref()
  }
  // A thread that failed may have held nodes it can no longer report: nothing is proven. The other is told to
  // stop (and not to wait for the failed one's last message), and the failed one is replaced next time.
  const fail = (i: number) => {
    if (reports[i]) return
    failed = true
    Atomics.store(i32, STOP, 1)
    Atomics.store(i32, DEAD, 1)
    if (pool[i] === workers[i]) pool[i] = undefined
    void workers[i]?.terminate()
    settleIfDone(i)
  }
  const dead = new Set<number>()
  const settleIfDone = (failedThread?: number) => {
    if (failedThread !== undefined) dead.add(failedThread)
    if (reports.every((r, k) => r !== null || dead.has(k))) {
      answer()
      end()
    }
  }
  const armTimer = () => {
    clearTimeout(timer)
    // setTimeout fires after 1 ms when given more than MAX_TIMER_MS: a time limit of months stopped the threads
    // at once; a due time that far off is looked at again then
    const due = Math.max(0, deadline - performance.now()) + (opts.graceMs ?? GRACE_MS)
    if (due > MAX_TIMER_MS) {
      timer = setTimeout(armTimer, MAX_TIMER_MS)
      return
    }
    // Past the deadline and the grace period: stop, and answer unproven at once (a thread that has not reported may
    // hold nodes not yet pruned). A thread that has not reported is ended now and replaced, its successor loading
    // for the next search: kept, the next search's job queued behind it (a leaf that ignored its deadline), and that
    // search too ended unproven (parallelBranch.test.ts).
    timer = setTimeout(() => {
      Atomics.store(i32, STOP, 1)
      failed = true
      answer()
      // a thread out of its search, only waiting for its peer's last message, reports now (DEAD: none will come)
      if (workers.some((_, i) => !reports[i] && !dead.has(i) && !stopping[i])) Atomics.store(i32, DEAD, 1)
      workers.forEach((w, i) => {
        if (reports[i] || dead.has(i) || stopping[i]) return
        replaced++
        if (pool[i] === w) pool[i] = undefined
        void w.terminate()
        try {
          thread(i)
        } catch {}
      })
      end()
    }, due)
  }

  workers.forEach((w, i) => {
    const onMessage = (
      m: WorkerDone | { type: 'incumbent'; id: number; attack: Attack } | { type: 'stopping'; id: number },
    ) => {
      if (m.id !== id) return
      if (m.type === 'incumbent') {
        found.push(m.attack)
        return
      }
      if (m.type === 'stopping') {
        stopping[i] = true
        return
      }
      reports[i] = m
      if (m.attack) found.push(m.attack)
      settleIfDone()
    }
    const onGone = () => fail(i)
    w.on('message', onMessage)
    w.on('error', onGone)
    w.on('exit', onGone)
    cleanups.push(() => {
      w.off('message', onMessage)
      w.off('error', onGone)
      w.off('exit', onGone)
    })
    w.ref()
    const job: WorkerJob = {
      type: 'job',
      id,
      network: n,
      root: i === 0 ? { shares: opts.rootShares ?? null } : null,
      incumbent: opts.incumbent ?? null,
      shared,
      peer: i === 0 ? port1 : port2,
      options: {
        ...(options.steps ?? {}),
        ...(opts.flatLeafMs !== undefined ? { flatLeafMs: opts.flatLeafMs } : {}),
      },
      ...(options.failure?.thread === i
        ? options.failure.hang
          ? { hangAfterNodes: options.failure.afterNodes }
          : { throwAfterNodes: options.failure.afterNodes }
        : {}),
    }
    w.postMessage(job, [job.peer])
  })
  armTimer()

  return {
    offer(attack) {
      found.push(attack)
      for (const w of workers) w.postMessage({ type: 'incumbent', id, attack })
    },
    setDeadline(d) {
      deadline = d
      storeDeadline()
      Atomics.store(i32, HOLD, 0)
      if (!answered) armTimer()
    },
    result: () => result,
  }
}

/** The threads' reports as one answer; every attack is checked exactly again here, the best kept. */
function combine(
  n: Network,
  reports: (WorkerDone | null)[],
  failed: boolean,
  found: Attack[],
): BranchOutcome {
  const net = (a: Attack) => attackProfit(n, a) - attackCost(n, a)
  let attack: Attack | null = null
  let value = 0n
  for (const a of found) {
    if (!isValidAttack(n, a)) continue
    const v = net(a)
    if (v > value) {
      attack = normalizeAttack(n, a)
      value = v
    }
  }
  const done = reports.filter((r): r is WorkerDone => r !== null)
  const proven =
    !failed &&
    done.length === reports.length &&
    done.some((r) => r.exhausted) &&
    done.every((r) => !r.gaveUp && r.complete)
  // A bound covers every open node only when both threads reported and each took in its peer's last message: a
  // thread that stopped waiting for it (BYE_WAIT_MS) may miss nodes handed to it, so its bound could sit under them
  const open =
    done.length === reports.length && done.every((r) => r.complete)
      ? Math.max(...done.map((r) => r.bound))
      : Number.POSITIVE_INFINITY
  const nodes = done.reduce((a, r) => a + r.nodes, 0)
  return {
    proven,
    attack,
    value,
    bound: proven ? Number(value) : Math.max(Number(value), open),
    nodes,
    nodesPerThread: reports.map((r) => r?.nodes ?? 0),
  }
}
