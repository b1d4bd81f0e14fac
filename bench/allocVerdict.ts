/**
 * The verdict on the bench's typical 1,000 × 100 networks with allocations (bench/risk.ts's network, 10 s, two
 * threads), printing what bench/risk.ts folds into its gap: the best attack's net profit, the bound, CPU and load.
 * Run: npx tsx bench/allocVerdict.ts [--seeds 1,2,3] [--time-limit 10]
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { solveMostProfitable } from '../src/risk/attack.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { closeBranchThreads, parallelBranch } from '../src/risk/parallelBranch.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '1,2,3' }, 'time-limit': { type: 'string', default: '10' } },
})
const parallel = parallelBranch()
await loadHighs()
const small = parseRiskInput(
  randomNetwork(createRng(0), { operators: 20, services: 5, membersPerService: [2, 8] }),
)
await solveMostProfitable(small)
for (const seed of values.seeds.split(',').map(Number)) {
  const n = parseRiskInput(
    randomNetwork(createRng(seed), {
      operators: 1000,
      services: 100,
      membersPerService: [20, 80],
      allocations: true,
      profitFactor: [0.2, 1.2],
    }),
  )
  const per = 10 ** n.scale
  const load0 = loadavg()[0]?.toFixed(1)
  const cpu = process.cpuUsage()
  const t = performance.now()
  const { answer } = await solveMostProfitable(n, {
    timeLimitSeconds: Number(values['time-limit']),
    parallel,
  })
  const secs = (performance.now() - t) / 1000
  const u = process.cpuUsage(cpu)
  const net = answer.attack ? Number(answer.attack.profit - answer.attack.cost) / per : 0
  const bound = answer.bound / per
  console.log(
    `seed ${seed}: attack ${net.toFixed(0)}, bound ${bound.toFixed(0)}, gap ${(bound - net).toFixed(0)} tokens; ${secs.toFixed(1)} s, ${((u.user + u.system) / 1e6).toFixed(1)} CPU-s (main thread); load ${load0} → ${loadavg()[0]?.toFixed(1)}`,
  )
}
await closeBranchThreads()
