/**
 * The thread of mipThread.ts: solves one model at a time with HiGHS (mip.ts solveMipWith), posting each new
 * incumbent and dual bound as they come, then the answer. The main thread keeps the last of them, so that when it
 * abandons a solve at the deadline (HiGHS does not stop at its own time limit in its root's cut rounds) the
 * answer found so far is not lost.
 */
import { parentPort } from 'node:worker_threads'
import { loadHighs, type MipArrays, type MipOptions, type MipSolution, solveMipWith } from './mip.ts'
import { threadLimitSeconds } from './mipThread.ts'

export type MipJobMessage = {
  id: number
  model: MipArrays
  /** (its time limit already less HIGHS_STOP_MS: mipThread.ts) */
  options: Omit<MipOptions, 'runner' | 'endBy'>
  /** The latest the solve may end, epoch milliseconds (the threads' clocks agree on it): HiGHS stops before. */
  endBy?: number
}
export type MipWorkerMessage =
  | { id: number; type: 'started' }
  | { id: number; type: 'incumbent'; values: Float64Array; objective: number }
  | { id: number; type: 'bound'; bound: number }
  | { id: number; type: 'done'; solution: MipSolution }
  | { id: number; type: 'failed'; message: string }

const highsReady = loadHighs()

parentPort?.on('message', (m: MipJobMessage) => {
  void highsReady.then((highs) => {
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
      post({ id: m.id, type: 'done', solution })
    } catch (e) {
      post({ id: m.id, type: 'failed', message: e instanceof Error ? e.message : String(e) })
    }
  })
})
