/**
 * Probe of the cascade start (cascadeHeuristic.ts) with and without the shock chosen with the coalition
 * (cascadeShockCover.ts): R_ψ (ψ = 0.1) found by the start alone, and its time, per seed.
 * Run: npx tsx bench/shockCoverProbe.ts --regime hard --size 1000x100 --seeds 3 [--allocations]
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { shockCoverPlans } from '../src/risk/cascadeShockCover.ts'
import { totalStake } from '../src/risk/network.ts'
import { rat } from '../src/risk/rational.ts'
import { attackCost, attackProfit } from '../src/risk/verify.ts'
import { benchNetwork, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'hard' },
    size: { type: 'string', default: '1000x100' },
    seeds: { type: 'string', default: '3' },
    allocations: { type: 'boolean', default: false },
    deadline: { type: 'string', default: '2000' },
  },
})
const [ops, svcs] = parseSize(values.size)
const load = () => loadavg()[0]?.toFixed(1)
for (let seed = 1; seed <= Number(values.seeds); seed++) {
  const n = benchNetwork({
    seed,
    operators: ops,
    services: svcs,
    regime: regimeOf(values.regime),
    allocations: values.allocations,
  })
  const total = totalStake(n)
  const budget = shockBudget(n, rat(1n, 10n))
  const pts = (x: bigint) => ((Number(x) / Number(total)) * 100).toFixed(2)
  const row: string[] = []
  for (const shockCover of [false, true]) {
    const t = performance.now()
    const h = cascadeStart(n, budget, {
      deadline: performance.now() + Number(values.deadline),
      shockCover: shockCover ? undefined : false,
    })
    const ms = performance.now() - t
    const a = h.best.attack
    row.push(
      `${shockCover ? 'with' : 'without'} ${pts(h.best.value)} (${ms.toFixed(0)} ms; |A| ${a?.services.length ?? 0} π(A) ${a ? attackProfit(n, a) : 0} cost ${a ? attackCost(n, a) : 0} |D| ${h.best.shock.length}; solver's ${pts(h.forSolver.value)})`,
    )
  }
  const t = performance.now()
  const plans = shockCoverPlans(n, budget)
  const planMs = performance.now() - t
  console.log(
    `${values.regime} ${values.size}${values.allocations ? ' alloc' : ''} seed ${seed}: ${row.join('; ')}; plans ${plans.length} in ${planMs.toFixed(0)} ms; load ${load()}`,
  )
}
