/**
 * Worker thread for Monte Carlo: runs the runs it is given and posts each result back (typed arrays are
 * transferred, not copied), plus progress in epochs.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { runSimulation } from './engine.ts'
import type { Scenario } from './scenario.ts'

type Job = { scenario: Scenario; epochs: number; seed: number; sampleEvery: number; runs: number[] }

const job = workerData as Job
let reported = 0
for (const run of job.runs) {
  const result = runSimulation(job.scenario, {
    epochs: job.epochs,
    seed: job.seed,
    run,
    sampleEvery: job.sampleEvery,
    onProgress: (done) => {
      parentPort?.postMessage({ type: 'progress', epochs: done - reported })
      reported = done === job.epochs ? 0 : done
    },
  })
  parentPort?.postMessage(
    { type: 'result', run, result },
    Object.values(result.series).map((a) => a.buffer as ArrayBuffer),
  )
}
