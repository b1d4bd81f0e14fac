/**
 * The thread of mipThread.ts: solves one model at a time with HiGHS (mip.ts solveMipWith), posting each new
 * incumbent and dual bound as they come, then the answer. The main thread keeps the last of them, so that when it
 * abandons a solve at the deadline (HiGHS does not stop at its own time limit in its root's cut rounds) the
 * answer found so far is not lost.
 */
import { parentPort } from 'node:worker_threads'
import { loadHighs, type MipArrays, type MipOptions, type MipSolution, solveMipWith } from './mip.ts'

export type MipJobMessage = { id: number; model: MipArrays; options: Omit<MipOptions, 'runner'> }
export type MipWorkerMessage =
  | { id: number; type: 'incumbent'; values: Float64Array; objective: number }
  | { id: number; type: 'bound'; bound: number }
  | { id: number; type: 'done'; solution: MipSolution }
  | { id: number; type: 'failed'; message: string }

const highsReady = loadHighs()

parentPort?.on('message', (m: MipJobMessage) => {
  void highsReady.then((highs) => {
    const post = (x: MipWorkerMessage) => parentPort?.postMessage(x)
    try {
      const solution = solveMipWith(highs, m.model, m.options, {
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
