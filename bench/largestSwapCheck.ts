/**
 * The largest attack on a bench network with and without the exchanges after the growth (largestSwap.ts),
 * alternately under the same load, from the same verdict attack (saved by bench/largestLocal.ts --save, or found
 * here in 10 s): wall time, attack burnt, bound.
 *   npx tsx bench/largestSwapCheck.ts [--seed 3] [--regime hard] [--load FILE] [--reps 2] [--time-limit 10]
 */
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { largestAttack, solveMostProfitable } from '../src/risk/attack.ts'
import { closeBranchThreads, parallelBranch } from '../src/risk/parallelBranch.ts'
import type { Attack } from '../src/risk/verify.ts'
import { benchNetwork, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '3' },
    regime: { type: 'string', default: 'hard' },
    load: { type: 'string' },
    reps: { type: 'string', default: '2' },
    'time-limit': { type: 'string', default: '10' },
  },
})
const limit = Number(values['time-limit'])
const parallel = parallelBranch()
const n = benchNetwork({
  seed: Number(values.seed),
  operators: 1000,
  services: 100,
  regime: regimeOf(values.regime, 'hard'),
  allocations: false,
})
const perToken = 10 ** n.scale
const start: Attack | undefined = values.load
  ? (JSON.parse(readFileSync(values.load, 'utf8')) as Attack)
  : ((await solveMostProfitable(n, { timeLimitSeconds: limit, parallel })).attack ?? undefined)
for (let rep = 0; rep < Number(values.reps); rep++) {
  for (const swaps of rep % 2 === 0 ? [false, true] : [true, false]) {
    const t0 = performance.now()
    const cpu = process.cpuUsage()
    const out = await largestAttack(n, { start, timeLimitSeconds: limit, parallel, swaps })
    const u = process.cpuUsage(cpu)
    console.log(
      `seed ${values.seed} exchanges ${swaps ? 'on ' : 'off'}: ${(performance.now() - t0).toFixed(0)} ms, ${((u.user + u.system) / 1e6).toFixed(1)} CPU-s, largest ${(Number(out.attack?.cost ?? 0n) / perToken).toFixed(0)}, bound ${(out.bound / perToken).toFixed(0)}, proven ${out.proven} (load ${(loadavg()[0] ?? 0).toFixed(1)})`,
    )
  }
}
await closeBranchThreads()
process.exit(0)
