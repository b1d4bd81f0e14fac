/**
 * One replaceable worker thread, shared by the jobs of one module (flipThread.ts, mipThread.ts; Node.js only).
 *
 * - Started on first use, unref'd while idle: an idle thread never holds the process.
 * - Held while any job on it is pending, counted: ref()/unref() are a switch, not a counter, so a stopped job's late
 *   answer unref'd the thread while the next job ran on it, and a process awaiting that job's result (its timer
 *   unref'd) exited with the result unsettled: the CLI printed nothing (review riskl).
 * - Replaced when a job gives up on it: the thread is ended (a synchronous solve inside it cannot be stopped any
 *   other way) and its successor starts loading at once, so the next job finds it ready.
 */
import type { Worker } from 'node:worker_threads'

export type ThreadSlot = {
  /** The thread, started if there is none. Throws when no thread can be started. */
  thread(): Worker
  /** A job on `w` starts (1) or settles (−1). */
  hold(w: Worker, by: 1 | -1): void
  /** Ends `w` and starts its successor (if `w` is still the slot's; a start that fails is left to the next job). */
  replace(w: Worker): void
  /** Ends the thread (tests, or a process that wants to exit at once). */
  close(): Promise<void>
  /** Tests: how threads are started from now on (undefined: the real way). */
  setStart(start: (() => Worker) | undefined): void
}

export function threadSlot(realStart: () => Worker): ThreadSlot {
  let start = realStart
  let worker: Worker | undefined
  const pending = new WeakMap<Worker, number>()
  const thread = (): Worker => {
    if (!worker) {
      const w = start()
      w.on('error', () => {}) // each job listens for its own; this keeps a failure from crashing the process
      w.on('exit', () => {
        if (worker === w) worker = undefined
      })
      w.unref()
      worker = w
    }
    return worker
  }
  return {
    thread,
    hold(w, by) {
      const k = (pending.get(w) ?? 0) + by
      pending.set(w, k)
      if (k > 0) w.ref()
      else w.unref()
    },
    replace(w) {
      if (worker === w) worker = undefined
      void w.terminate()
      try {
        thread()
      } catch {}
    },
    async close() {
      const w = worker
      worker = undefined
      await w?.terminate()
    },
    setStart(s) {
      start = s ?? realStart
    },
  }
}
