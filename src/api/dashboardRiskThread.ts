/**
 * `buildDashboardRisk` on a worker thread of its own, so the API's thread keeps serving while the solver runs.
 * One worker, started on first use and kept (starting one costs more than a small network's answer); jobs queue
 * in it one at a time (the block cache asks for one at a time anyway). A worker that dies fails the jobs it held
 * with a message, and the next job starts a new one; `close` ends it with the server.
 */
import type { Worker } from 'node:worker_threads'
import { SuretyError } from '../errors.ts'
import type { RiskInput } from '../risk/input.ts'
import { startModuleWorker } from '../workers/startModuleWorker.ts'
import type { buildDashboardRisk } from './dashboardRisk.ts'
import type { RiskJob, RiskJobResult } from './dashboardRiskWorker.ts'

type Answer = Awaited<ReturnType<typeof buildDashboardRisk>>

export type RiskThread = {
  compute(input: RiskInput, options: RiskJob['options']): Promise<Answer>
  close(): Promise<void>
}

export function createRiskThread(): RiskThread {
  let worker: Worker | undefined
  let nextId = 0
  const pending = new Map<number, { resolve: (v: Answer) => void; reject: (e: Error) => void }>()

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error)
    pending.clear()
  }

  function start(): Worker {
    const w = startModuleWorker(import.meta.url, 'dashboardRiskWorker')
    w.on('message', (m: RiskJobResult) => {
      const p = pending.get(m.id)
      if (!p) return
      pending.delete(m.id)
      if ('error' in m) p.reject(new SuretyError(`the risk computation failed: ${m.error}`))
      else p.resolve(m.value as Answer)
    })
    w.on('error', (e) => {
      if (worker === w) worker = undefined
      failAll(new SuretyError(`the risk worker failed: ${e.message}`, { cause: e }))
    })
    w.on('exit', (code) => {
      if (worker === w) worker = undefined
      failAll(new SuretyError(`the risk worker exited with code ${code}`))
    })
    // an idle worker does not keep the process alive; a job in flight does (see compute)
    w.unref()
    return w
  }

  return {
    compute(input, options) {
      worker ??= start()
      const w = worker
      const id = nextId++
      w.ref()
      return new Promise<Answer>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        w.postMessage({ id, input, options } satisfies RiskJob)
      }).finally(() => {
        if (pending.size === 0) w.unref()
      })
    },
    async close() {
      const w = worker
      worker = undefined
      if (w) await w.terminate()
      failAll(new SuretyError('the API is closing'))
    },
  }
}
