/**
 * One replaceable worker thread, shared by the jobs of one module (flipThread.ts, mipThread.ts; Node.js only), and
 * the schedule of the jobs on it. Two questions at once in one process (two requests, or stages of one question that
 * overlap) post their jobs to the same thread: it runs one at a time, in the order posted, the others queued.
 *
 * - Started on first use, unref'd while idle: an idle thread never holds the process.
 * - Held while any job on it is pending (queued or running) and its owner waits for it: the slot keeps the list of
 *   them, so a job's late answer cannot unref the thread under another job (ref()/unref() are a switch, not a
 *   counter: a stopped job's late answer unref'd the thread while the next job ran on it, and a process awaiting
 *   that job's result, its timer unref'd, exited with the result unsettled: the CLI printed nothing, review riskl).
 * - Which job runs: each job is posted with a claim (an Int32 in shared memory, 0 queued), which the thread turns to
 *   1 (claimJob) as it starts the job — and to 2, skipping it, when its owner withdrew it or its end has passed — and
 *   to 3 (endJob) as it ends it, before its answer: the thread is then free, whatever messages the owner has not read.
 *   Shared memory, not a message only: an owner blocked in Atomics.wait (mipThread.ts coupledOnThread) reads no
 *   message, and a 'started' message in flight would leave a job it names looking queued. Any message naming a job
 *   counts as its start too (a thread's 'started', or its first progress).
 * - A job given up by its owner (its time is over: giveUp): if still queued, it is withdrawn (its claim set to 2 by
 *   compare-and-exchange, so the thread cannot have started it meanwhile) and the thread is left to the job it runs —
 *   ending the thread there answered ANOTHER question's solve with whatever it had so far. If running, the thread is
 *   ended (a synchronous solve inside it cannot be stopped any other way) and its successor started at once (it loads
 *   while the next job waits, not after), and the jobs queued behind are re-posted there with fresh claims and their
 *   own ends (they keep their remaining time) — before, they were answered empty though they never ran.
 * - A thread that dies (error, exit) answers the job it ran as lost (what it had) and re-posts the queued ones; so
 *   does a job retired by its owner (finish(true): HiGHS failed in it, its wasm instance may be broken).
 */
import type { Worker } from 'node:worker_threads'

/** The claim's values (an Int32 at index 0 of the job's `claim` buffer). */
const QUEUED = 0
const RUNNING = 1
const SKIPPED = 2
/** Ended on the thread (endJob), its last message maybe not read yet: the thread may run the next job already. */
const DONE = 3

/**
 * The thread's side (mipWorker.ts, flipWorker.ts): true when the job is to run now (its claim was queued), false when
 * it is to be skipped — withdrawn by its owner, or its end (`endBy`, epoch milliseconds) already past, when it could
 * only overrun. A message without a claim (a test's thread) runs.
 */
export function claimJob(claim: SharedArrayBuffer | undefined, endBy?: number): boolean {
  if (!(claim instanceof SharedArrayBuffer)) return true
  const c = new Int32Array(claim, 0, 1)
  if (endBy !== undefined && performance.timeOrigin + performance.now() >= endBy) {
    Atomics.compareExchange(c, 0, QUEUED, SKIPPED)
    return false
  }
  return Atomics.compareExchange(c, 0, QUEUED, RUNNING) === QUEUED
}

/**
 * The thread's side, as it ends a job it claimed (before its last message): the job no longer counts as running,
 * though its answer may not be read yet. Else a give-up on the main thread, its timer run before the thread's
 * messages (a main thread busy in the verdict's flips), took a job that had ended for the one running and ended
 * the thread under the next job — another question's solve, answered with nothing (review riskz).
 */
export function endJob(claim: SharedArrayBuffer | undefined): void {
  if (claim instanceof SharedArrayBuffer) Atomics.store(new Int32Array(claim, 0, 1), 0, DONE)
}

/** A message naming its job. */
export type JobMessage = { id: number; type?: unknown }

/** What a job's owner hears from the slot. */
export type JobHandlers = {
  /** Each message from the thread naming the job (its id), in order. */
  message(m: JobMessage): void
  /** The thread died or was ended while it ran the job: the owner answers with what it has. */
  lost(): void
}

export type JobState = 'queued' | 'running' | 'over'

export type SlotJob = {
  /** 'queued': posted, not started; 'running': the thread has started it; 'over': answered, withdrawn or lost. */
  state(): JobState
  /**
   * Its answer is in: forgotten, and let go of. `retire`: the thread is replaced after it (its HiGHS failed), the
   * jobs queued behind re-posted to the successor.
   */
  finish(retire?: boolean): void
  /**
   * Its owner stops waiting for it (its time is over), and it is let go of at once. Queued: withdrawn, the thread
   * told to skip it ('queued'). Running ('running'): the thread ended and replaced, the jobs queued behind re-posted
   * there. 'over' when it already was, or it had ended on the thread (its answer not read yet).
   */
  giveUp(): JobState
  /**
   * Its owner no longer needs its answer but lets it run (told to stop, it ends at its next step): let go of (it no
   * longer holds the process), kept in the queue until its last message. A job given up while queued behind it,
   * once it runs, ends the thread all the same: nobody waits for it, and a thread stuck in it would hold every later
   * job.
   */
  release(): void
}

export type ThreadSlot = {
  /** The thread, started if there is none. Throws when no thread can be started. */
  thread(): Worker
  /**
   * Posts `message` (with a fresh `claim`) to the thread, started if there is none; `handlers` hear the job. Throws
   * when no thread can be started.
   */
  submit<M extends { id: number }>(message: M, handlers: JobHandlers): SlotJob
  /** Ends the thread: its jobs are answered as lost (tests, or a process that wants to exit at once). */
  close(): Promise<void>
  /** Tests: how threads are started from now on (undefined: the real way). */
  setStart(start: (() => Worker) | undefined): void
}

type Job = {
  message: { id: number }
  handlers: JobHandlers
  claim: Int32Array
  /** A message from the thread named it: started (a thread may not know claims). */
  seen: boolean
  /** Its owner waits for it (holds the thread). */
  held: boolean
  over: boolean
  /** The thread it was last posted to. */
  on: Thread
  /** Threads that died with it queued. */
  deaths: number
}
type Thread = { w: Worker; jobs: Job[]; gone: boolean }

/** How many threads may die with a job queued on them before it is answered as lost. */
const MAX_DEATHS = 2

const newClaim = () => new Int32Array(new SharedArrayBuffer(4))
/** Running on its thread: claimed and not ended (endJob), or named by a message from a thread that knows no claims. */
const isRunning = (j: Job) => {
  const c = Atomics.load(j.claim, 0)
  return c === RUNNING || (c === QUEUED && j.seen)
}

export function threadSlot(realStart: () => Worker): ThreadSlot {
  let start = realStart
  let current: Thread | undefined
  // the thread is held exactly while a job on it is held (its owner waits)
  const sync = (t: Thread) => {
    if (t.gone) return
    if (t.jobs.some((j) => j.held)) t.w.ref()
    else t.w.unref()
  }
  const thread = (): Thread => {
    if (current) return current
    const w = start()
    const t: Thread = { w, jobs: [], gone: false }
    w.on('message', (m: JobMessage) => {
      if (typeof m !== 'object' || m === null) return
      const j = t.jobs.find((x) => x.message.id === m.id)
      if (!j) return
      j.seen = true
      j.handlers.message(m)
    })
    // (an error is followed by an exit; either one ends the thread's jobs, once)
    const died = () => {
      if (!t.gone) void endThread(t, 'died')
    }
    w.on('error', died)
    w.on('exit', died)
    w.unref()
    current = t
    return t
  }
  const post = (t: Thread, j: Job) => {
    j.claim = newClaim()
    j.on = t
    t.w.postMessage({ ...j.message, claim: j.claim.buffer })
    t.jobs.push(j)
    sync(t)
  }
  const drop = (j: Job) => {
    j.over = true
    j.held = false
    const t = j.on
    t.jobs = t.jobs.filter((x) => x !== j)
    sync(t)
  }
  /**
   * Ends `t`: a running job is lost; queued ones are re-posted to the successor when `repost` (taken from `t` first,
   * by compare-and-exchange: one the dying thread claimed meanwhile is running, so lost), or lost.
   */
  const endThread = (t: Thread, why: 'replaced' | 'died' | 'closed'): Promise<number> => {
    const repost = why !== 'closed'
    t.gone = true
    if (current === t) current = undefined
    const jobs = t.jobs
    t.jobs = []
    t.w.removeAllListeners('message')
    // Node's terminate() refs the thread until it has exited: closed, that is awaited (unref'd after, the awaited
    // promise held nothing and the process could end under it); replaced or dead, nobody waits for it
    if (why === 'closed') t.w.unref()
    const ended = t.w.terminate()
    if (why !== 'closed') t.w.unref()
    const moved: Job[] = []
    for (const j of jobs) {
      // (a thread that dies before it claims anything, e.g. one that cannot load, would have a job re-posted to
      // successor after successor until its owner gives up: MAX_DEATHS at most)
      const again = why !== 'died' || ++j.deaths <= MAX_DEATHS
      if (repost && again && !j.seen && Atomics.compareExchange(j.claim, 0, QUEUED, SKIPPED) === QUEUED)
        moved.push(j)
      else lose(j)
    }
    if (moved.length === 0) {
      // the successor loads now, so that the next job finds it ready (a start that fails is left to that job)
      try {
        if (why === 'replaced') thread()
      } catch {}
      return ended
    }
    let next: Thread
    try {
      next = thread()
    } catch {
      for (const j of moved) lose(j)
      return ended
    }
    for (const j of moved) {
      try {
        post(next, j)
      } catch {
        lose(j)
      }
    }
    return ended
  }
  const lose = (j: Job) => {
    if (j.over) return
    j.over = true
    j.held = false
    j.handlers.lost()
  }
  return {
    thread: () => thread().w,
    submit(message, handlers) {
      const t = thread()
      const j: Job = {
        message,
        handlers,
        claim: newClaim(),
        seen: false,
        held: true,
        over: false,
        on: t,
        deaths: 0,
      }
      post(t, j)
      return {
        // (one that has ended on the thread, its answer not read yet, is no longer queued: its answer is coming)
        state: () => {
          if (j.over) return 'over'
          const c = Atomics.load(j.claim, 0)
          return isRunning(j) || c === DONE ? 'running' : 'queued'
        },
        finish(retire) {
          if (j.over) return
          drop(j)
          if (retire && !j.on.gone) void endThread(j.on, 'replaced')
        },
        giveUp() {
          if (j.over) return 'over'
          const t = j.on
          // withdrawn, unless the thread has claimed it: then it runs (or it has ended there, its answer unread: the
          // thread is left to the next job)
          const was = j.seen ? Atomics.load(j.claim, 0) : Atomics.compareExchange(j.claim, 0, QUEUED, SKIPPED)
          if (was === DONE) {
            drop(j)
            return 'over'
          }
          if (was !== RUNNING && !(was === QUEUED && j.seen)) {
            drop(j)
            // (the job running there is ended only when nobody waits for it: released, and still in it)
            if (!t.gone && t.jobs.some((x) => isRunning(x) && !x.held)) void endThread(t, 'replaced')
            return 'queued'
          }
          drop(j)
          if (!t.gone) void endThread(t, 'replaced')
          return 'running'
        },
        release() {
          if (j.over) return
          j.held = false
          sync(j.on)
        },
      }
    },
    async close() {
      const t = current
      current = undefined
      if (t) await endThread(t, 'closed')
    },
    setStart(s) {
      start = s ?? realStart
    },
  }
}
