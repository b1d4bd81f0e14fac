/**
 * The coupled Lagrangian branching (cascadeCoupledBranch.ts) on the bench's networks: the shares, their split by
 * steps and the root's coupled search as in cascade.ts's concurrent stages, then a best-first branching over services
 * with the coupled node bound (each node exact in bigint), its bound by nodes and CPU-seconds.
 * Also how deep it gets: the deepest node (services fixed) and the leaves (every service with a profit fixed).
 * `npx tsx bench/cascCoupledBranch.ts --whole --regime boundary --seed 1 [--size 1000x100] [--root 2000]
 *  [--node 60] [--seconds 10]`
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import {
  buildCascadeCoupled,
  coupledCascadeExact,
  searchCascadeCoupled,
  startFromShares,
  toCascadeMultipliers,
} from '../src/risk/cascadeCoupled.ts'
import { branchCascadeCoupled } from '../src/risk/cascadeCoupledBranch.ts'
import { findCascadeShares } from '../src/risk/cascadeShares.ts'
import { stepShockSplit } from '../src/risk/cascadeSplitStep.ts'
import type { CostShares } from '../src/risk/costShare.ts'
import { totalStake } from '../src/risk/network.ts'
import { rat } from '../src/risk/rational.ts'
import { IN } from '../src/risk/shareCore.ts'
import { benchNetwork, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'boundary' },
    size: { type: 'string', default: '1000x100' },
    seed: { type: 'string', default: '1' },
    whole: { type: 'boolean', default: false },
    root: { type: 'string', default: '2000' },
    node: { type: 'string', default: '60' },
    seconds: { type: 'string', default: '10' },
    nodes: { type: 'string', default: '100000' },
  },
})
const [ops, svcs] = parseSize(values.size)
const n = benchNetwork({
  seed: Number(values.seed),
  operators: ops,
  services: svcs,
  regime: regimeOf(values.regime),
  allocations: !values.whole,
})
const total = totalStake(n)
const R = (b: bigint) => (Number(b) / Number(total)).toFixed(4)
const budget = shockBudget(n, rat(1n, 10n))
const incumbent = (total * 128n) / 1000n
const cpu = () => process.cpuUsage().user / 1e6
let c0 = cpu()
const sh = findCascadeShares(n, budget, { budgetMs: 1000, incumbent, shareSteps: 300, priceSteps: 60 })
const split = stepShockSplit(n, sh.shares[0] as CostShares, budget, {
  deadline: performance.now() + 500,
  target: incumbent,
  maxSteps: 1000,
})
const core = buildCascadeCoupled(n, budget)
const root = searchCascadeCoupled(core, {
  start: startFromShares(n, core, sh.shares[0] as CostShares, split ?? undefined),
  deadline: Number.POSITIVE_INFINITY,
  maxIterations: Number(values.root),
})
const rootExact = coupledCascadeExact(n, budget, toCascadeMultipliers(n, core, root))
console.log(
  `${values.regime} ${values.size} seed ${values.seed}${values.whole ? ' whole' : ''}: shares ${R(sh.bound)}, coupled root ${R(rootExact)} (${root.iterations} steps) in ${(cpu() - c0).toFixed(2)} CPU-s; load ${loadavg()[0]?.toFixed(1)}`,
)
c0 = cpu()
// the depth the best-first branching reaches (how many services fixed), its leaves (every service with a profit fixed)
let maxDepth = 0
let leaves = 0
let maxIn = 0
const withProfit = n.services.filter((s) => s.profit > 0n).length
const marks = [1, 2, 3, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000, 5000]
const r = branchCascadeCoupled(n, budget, incumbent, {
  start: root,
  rootBound: rootExact,
  rootIterations: Number(values.node),
  nodeIterations: Number(values.node),
  deadline: performance.now() + Number(values.seconds) * 1000,
  maxNodes: Number(values.nodes),
  onNode: (k, b, info) => {
    if (info.depth > maxDepth) maxDepth = info.depth
    if (info.leaf) leaves++
    const ins = info.fixed.filter((f) => f === IN).length
    if (ins > maxIn) maxIn = ins
    if (marks.includes(k))
      console.log(
        `  ${k} nodes: R ≤ ${R(b)} after ${(cpu() - c0).toFixed(2)} CPU-s; deepest ${maxDepth} of ${withProfit} services, most IN ${maxIn}, ${info.open} open`,
      )
  },
})
console.log(
  `branching: ${r.nodes} nodes, R ≤ ${R(r.bound)} (root ${R(r.rootBound)}) in ${(cpu() - c0).toFixed(2)} CPU-s, proven ${r.proven}; deepest node ${maxDepth} of ${withProfit} services with a profit, ${leaves} leaves; load ${loadavg()[0]?.toFixed(1)}`,
)
