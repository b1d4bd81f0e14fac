/**
 * Review probe: the largest attack on hard 1,000 × 100 (the bench's networks) with and without the scaled search
 * (largestBound.ts) on a worker thread, alternately under the same load: wall time against the limit, attack, bound.
 *   npx tsx bench/largestScaledCheck.ts --time-limit 4 --seeds 3 --reps 2
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { largestAttack, solveMostProfitable } from '../src/risk/attack.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { closeBranchThreads, parallelBranch } from '../src/risk/parallelBranch.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

const { values } = parseArgs({
  options: {
    'time-limit': { type: 'string', default: '4' },
    seeds: { type: 'string', default: '3' },
    reps: { type: 'string', default: '2' },
  },
})
const limit = Number(values['time-limit'])
const parallel = parallelBranch()
for (const seed of values.seeds.split(',').map(Number)) {
  const n = parseRiskInput(
    randomNetwork(createRng(seed), {
      operators: 1000,
      services: 100,
      membersPerService: [20, 80],
      profitFactor: [0.05, 0.35],
    }),
  )
  const best = await solveMostProfitable(n, { timeLimitSeconds: limit, parallel })
  for (let rep = 0; rep < Number(values.reps); rep++) {
    for (const scaledSearch of [true, false]) {
      const t0 = performance.now()
      const out = await largestAttack(n, {
        start: best.attack ?? undefined,
        timeLimitSeconds: limit,
        parallel,
        scaledSearch,
      })
      console.log(
        `seed ${seed} scaled search ${scaledSearch ? 'on ' : 'off'}: ${(performance.now() - t0).toFixed(0)} ms of ${limit * 1000}, largest ${out.attack?.cost ?? 0n}, bound ${out.bound.toFixed(0)}, proven ${out.proven} (load ${(loadavg()[0] ?? 0).toFixed(1)})`,
      )
    }
  }
}
await closeBranchThreads()
process.exit(0)
