/**
 * `surety sim` — agent-based simulation of a Surety network over time, with Monte Carlo bands. See
 * docs/risk.md for the scenario format and examples/ for scenarios.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { InvalidInputError } from '../../errors.ts'
import { runMonteCarlo } from '../../risk/sim/montecarlo.ts'
import { summarize, summaryText, toCsv, toJson } from '../../risk/sim/output.ts'
import { progressBar } from '../../risk/sim/progress.ts'
import { parseScenario } from '../../risk/sim/scenario.ts'
import { CHARTS, chart } from '../../risk/sim/svg.ts'
import type { Command } from '../main.ts'

const usage = `Usage: surety sim --scenario FILE --epochs N --seed S [--runs R] [--out DIR] [--sample-every K] [--workers W] [--json]

Simulates operators, orders, faults (independent and correlated), attesters, stakers and price shocks for N
epochs. With --runs R, runs R independent Monte Carlo runs in parallel (worker threads) and reports 5/25/50/75/95%
bands. --out DIR writes series.csv, series.json and SVG charts (losses, slashes, stake, yield, price).
The same scenario, seed and runs always give the same result.`

function int(v: string | undefined, flag: string, min: number, fallback?: number): number {
  if (v === undefined) {
    if (fallback === undefined) throw new InvalidInputError(`${flag} is required`)
    return fallback
  }
  const n = Number(v)
  if (!Number.isInteger(n) || n < min)
    throw new InvalidInputError(`${flag} must be an integer ≥ ${min} (got ${v})`)
  return n
}

export const command: Command = {
  summary: 'agent-based simulation with Monte Carlo bands',
  usage,
  async run(args) {
    let values: Record<string, string | boolean | undefined>
    try {
      values = parseArgs({
        args,
        options: {
          scenario: { type: 'string' },
          epochs: { type: 'string' },
          seed: { type: 'string' },
          runs: { type: 'string' },
          out: { type: 'string' },
          'sample-every': { type: 'string' },
          workers: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
      }).values
    } catch (e) {
      throw new InvalidInputError((e as Error).message)
    }
    const file = values.scenario as string | undefined
    if (!file) throw new InvalidInputError('--scenario FILE is required')
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'))
    } catch (cause) {
      throw new InvalidInputError(`--scenario: cannot read ${file} as JSON`, { cause })
    }
    const scenario = parseScenario(raw)
    const epochs = int(values.epochs as string | undefined, '--epochs', 1)
    const seed = int(values.seed as string | undefined, '--seed', 0)
    const runs = int(values.runs as string | undefined, '--runs', 1, 1)
    const sampleEvery =
      values['sample-every'] === undefined
        ? undefined
        : int(values['sample-every'] as string, '--sample-every', 1)
    const workers = values.workers === undefined ? undefined : int(values.workers as string, '--workers', 0)

    const bar = progressBar(`simulating ${runs} × ${epochs} epochs`)
    const started = performance.now()
    const mc = await runMonteCarlo(scenario, { epochs, seed, runs, sampleEvery, workers, onProgress: bar })
    bar.end()
    const seconds = (performance.now() - started) / 1000
    const meta = { scenario: file, epochs, seed, runs, seconds }

    if (values.out) {
      const dir = values.out as string
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'series.csv'), toCsv(mc))
      writeFileSync(join(dir, 'series.json'), `${JSON.stringify(toJson(mc, meta))}\n`)
      for (const m of CHARTS) writeFileSync(join(dir, `${m}.svg`), chart(mc, m))
    }
    if (values.json) console.log(JSON.stringify({ ...meta, summary: summarize(mc) }, null, 2))
    else {
      console.log(summaryText(mc))
      console.log(`(${seconds.toFixed(1)} s${values.out ? `; series and charts in ${values.out}` : ''})`)
    }
    return 0
  },
}
