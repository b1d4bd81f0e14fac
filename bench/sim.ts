/**
 * Simulator throughput in operator-epochs per second.
 * Run: npm run bench:sim   (or: npx tsx bench/sim.ts [--operators N] [--epochs E] [--runs R])
 * The target is 10,000 operators × 8,760 hourly epochs within 60 s for one run.
 */
import { parseArgs } from 'node:util'
import { runSimulation } from '../src/risk/sim/engine.ts'
import { runMonteCarlo } from '../src/risk/sim/montecarlo.ts'
import { parseScenario } from '../src/risk/sim/scenario.ts'

const { values } = parseArgs({
  options: {
    operators: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '8760' },
    runs: { type: 'string', default: '4' },
  },
})
const operators = Number(values.operators)
const epochs = Number(values.epochs)
const runs = Number(values.runs)
const scenario = parseScenario({
  operators: { count: operators },
  services: [
    { id: 'gpu', weight: 3 },
    { id: 'cold-chain', weight: 1, orderValue: [500, 5000] },
  ],
})

let t = performance.now()
const one = runSimulation(scenario, { epochs, seed: 1 })
let s = (performance.now() - t) / 1000
console.log(
  `one run: ${operators} operators × ${epochs} epochs in ${s.toFixed(2)} s = ${((operators * epochs) / s / 1e6).toFixed(1)} M operator-epochs/s (${one.totals.faults} faults, target < 60 s)`,
)

t = performance.now()
await runMonteCarlo(scenario, { epochs, seed: 1, runs })
s = (performance.now() - t) / 1000
console.log(
  `Monte Carlo: ${runs} runs on worker threads in ${s.toFixed(2)} s = ${((operators * epochs * runs) / s / 1e6).toFixed(1)} M operator-epochs/s`,
)
