/**
 * Monte Carlo over independent runs (run r uses the random stream (seed, r), so results do not depend on how
 * runs are spread over threads). Runs go to worker threads; the bands are per-point percentiles across runs.
 */
import { availableParallelism } from 'node:os'
import { SuretyError } from '../../errors.ts'
import { startModuleWorker } from '../../workers/startModuleWorker.ts'
import { type RunResult, runSimulation } from './engine.ts'
import { METRICS, type Metric } from './metrics.ts'
import type { Scenario } from './scenario.ts'

/** A worker on worker.ts (a checkout, through tsx) or worker.js (the built package). */
const startWorker = (workerData: unknown) => startModuleWorker(import.meta.url, 'worker', { workerData })

export const PERCENTILES = [5, 25, 50, 75, 95] as const

export type Bands = Record<Metric, Record<(typeof PERCENTILES)[number], Float64Array>>

export type MonteCarloResult = {
  runs: RunResult[]
  bands: Bands
  sampleEvery: number
  points: number
}

export type MonteCarloOptions = {
  epochs: number
  seed: number
  runs: number
  sampleEvery?: number
  /** Worker threads; 0 runs everything on this thread. Default: one per core, at most one per run. */
  workers?: number
  onProgress?: (epochsDone: number, epochsTotal: number) => void
}

function runInWorkers(
  sc: Scenario,
  o: MonteCarloOptions,
  sampleEvery: number,
  workers: number,
): Promise<RunResult[]> {
  const results: RunResult[] = new Array(o.runs)
  const total = o.epochs * o.runs
  let done = 0
  const jobs = Array.from({ length: workers }, (_, w) =>
    Array.from({ length: o.runs }, (_, r) => r).filter((r) => r % workers === w),
  )
  return Promise.all(
    jobs.map(
      (runs) =>
        new Promise<void>((resolve, reject) => {
          const worker = startWorker({ scenario: sc, epochs: o.epochs, seed: o.seed, sampleEvery, runs })
          worker.on(
            'message',
            (
              m: { type: 'progress'; epochs: number } | { type: 'result'; run: number; result: RunResult },
            ) => {
              if (m.type === 'progress') {
                done += m.epochs
                o.onProgress?.(done, total)
              } else results[m.run] = m.result
            },
          )
          worker.on('error', (e) => reject(new SuretyError('a simulation worker failed', { cause: e })))
          worker.on('exit', (code) =>
            code === 0 ? resolve() : reject(new SuretyError(`a simulation worker exited with ${code}`)),
          )
        }),
    ),
  ).then(() => results)
}

export function percentileBands(runs: readonly RunResult[], points: number): Bands {
  const column = new Float64Array(runs.length)
  const bands = {} as Bands
  for (const m of METRICS) {
    const out = Object.fromEntries(PERCENTILES.map((p) => [p, new Float64Array(points)])) as Bands[Metric]
    for (let k = 0; k < points; k++) {
      for (let r = 0; r < runs.length; r++) column[r] = runs[r]?.series[m][k] ?? 0
      column.sort()
      for (const p of PERCENTILES) {
        // Nearest-rank percentile: an actual run's value, never an interpolation between runs.
        const rank = Math.min(runs.length - 1, Math.max(0, Math.ceil((p / 100) * runs.length) - 1))
        out[p][k] = column[rank] ?? 0
      }
    }
    bands[m] = out
  }
  return bands
}

export async function runMonteCarlo(sc: Scenario, o: MonteCarloOptions): Promise<MonteCarloResult> {
  const sampleEvery = Math.max(1, o.sampleEvery ?? Math.ceil(o.epochs / 1000))
  const workers = Math.min(o.runs, o.workers ?? availableParallelism())
  let runs: RunResult[]
  if (workers <= 0 || o.runs === 1) {
    runs = []
    for (let r = 0; r < o.runs; r++) {
      const base = r * o.epochs
      runs.push(
        runSimulation(sc, {
          epochs: o.epochs,
          seed: o.seed,
          run: r,
          sampleEvery,
          onProgress: (d) => o.onProgress?.(base + d, o.epochs * o.runs),
        }),
      )
    }
  } else runs = await runInWorkers(sc, o, sampleEvery, workers)
  const points = Math.ceil(o.epochs / sampleEvery)
  return { runs, bands: percentileBands(runs, points), sampleEvery, points }
}
