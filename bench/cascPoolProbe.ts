/**
 * The cascade's branching with one vector per node (cascadeBranch.ts) against the pool (cascadePool.ts), alone,
 * from the same start and shares: `npx tsx bench/cascPoolProbe.ts --sizes 200x50 --seeds 1,2,3 --seconds 5`.
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { branchCascade } from '../src/risk/cascadeBranch.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { poolBranchCascade } from '../src/risk/cascadePool.ts'
import { findCascadeShares } from '../src/risk/cascadeShares.ts'
import { totalStake } from '../src/risk/network.ts'
import { rat } from '../src/risk/rational.ts'
import { benchNetwork, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '200x50' },
    seeds: { type: 'string', default: '1,2,3' },
    seconds: { type: 'string', default: '5' },
    regime: { type: 'string', default: 'boundary' },
    'node-steps': { type: 'string', default: '30' },
    which: { type: 'string', default: 'both' },
    allocations: { type: 'boolean', default: false },
  },
})
const [ops, svcs] = parseSize(values.sizes as string)
const ms = Number(values.seconds) * 1000
for (const seed of (values.seeds as string).split(',').map(Number)) {
  const n = benchNetwork({
    seed,
    operators: ops,
    services: svcs,
    regime: regimeOf(values.regime as string),
    allocations: values.allocations as boolean,
  })
  const total = Number(totalStake(n))
  const budget = shockBudget(n, rat(1n, 10n))
  const found = cascadeStart(n, budget, { deadline: performance.now() + 500 }).best.value
  const sh = findCascadeShares(n, budget, {
    budgetMs: 1000,
    incumbent: found,
    shareSteps: 300,
    priceSteps: 60,
  })
  const r = (x: bigint) => (Number(x) / total).toFixed(4)
  let line = `seed ${seed}: found ${r(found)} shares ${r(sh.bound)}`
  if (values.which !== 'pool') {
    const t = performance.now()
    const b = branchCascade(n, budget, found, {
      rootBound: sh.bound,
      rootShares: sh.shares[0],
      deadline: t + ms,
    })
    line += `; branch ${r(b.bound)} (${b.nodes} nodes${b.proven ? ', proven' : ''})`
  }
  if (values.which !== 'branch') {
    const t = performance.now()
    const p = poolBranchCascade(n, budget, found, {
      rootBound: sh.bound,
      rootShares: sh.shares[0],
      deadline: t + ms,
      nodeSteps: Number(values['node-steps']),
    })
    line += `; pool ${r(p.bound)} (${p.nodes} nodes, ${p.vectors} vectors${p.proven ? ', proven' : ''})`
  }
  console.log(`${line}; load ${loadavg()[0]?.toFixed(1)}`)
}
