/**
 * The coupled Lagrangian bound on the cascade (cascadeCoupled.ts) alone on the bench's networks with allocations:
 * its exact bound on R_ψ against the float search's value, by iterations.
 * `npx tsx bench/cascCoupledBound.ts --regime hard --seed 1 [--size 1000x100] [--ms 1000] [--theta0 1] [--phase 100]`
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { cascadeSplitBound, shockBudget } from '../src/risk/cascadeBound.ts'
import {
  buildCascadeCoupled,
  cascadeCoupledValue,
  coupledCascadeExact,
  searchCascadeCoupled,
  startFromShares,
  toCascadeMultipliers,
} from '../src/risk/cascadeCoupled.ts'
import { findCascadeShares } from '../src/risk/cascadeShares.ts'
import { stepShockSplit } from '../src/risk/cascadeSplitStep.ts'
import type { CostShares } from '../src/risk/costShare.ts'
import { totalStake } from '../src/risk/network.ts'
import { rat } from '../src/risk/rational.ts'
import { benchNetwork, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'hard' },
    size: { type: 'string', default: '1000x100' },
    seed: { type: 'string', default: '1' },
    ms: { type: 'string', default: '1000' },
    theta0: { type: 'string', default: '1' },
    phase: { type: 'string', default: '100' },
    whole: { type: 'boolean', default: false },
    shares: { type: 'boolean', default: false },
    iters: { type: 'string', default: '100000' },
    tau0: { type: 'string', default: '0.01' },
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
const total = Number(totalStake(n))
const budget = shockBudget(n, rat(1n, 10n))
const core = buildCascadeCoupled(n, budget)
let t0 = performance.now()
const sh = values.shares
  ? findCascadeShares(n, budget, {
      budgetMs: 1000,
      incumbent: (totalStake(n) * 128n) / 1000n,
      shareSteps: 300,
      priceSteps: 60,
    })
  : null
const split = sh
  ? stepShockSplit(n, sh.shares[0] as CostShares, budget, {
      deadline: performance.now() + 2000,
      target: (totalStake(n) * 128n) / 1000n,
      maxSteps: 1000,
    })
  : null
if (sh && split)
  console.log(
    `split by steps: exact ${(Number(cascadeSplitBound(n, sh.shares[0] as CostShares, budget, split)) / total).toFixed(4)}`,
  )
if (sh) {
  const st = startFromShares(n, core, sh.shares[0] as CostShares, split ?? undefined)
  const v = cascadeCoupledValue(core, st.lam, st.p, st.theta)
  console.log(
    `shares: exact ${(Number(sh.bound) / total).toFixed(4)} in ${((performance.now() - t0) / 1000).toFixed(2)} s; as a start (θ ${st.theta.toFixed(3)}) R ≤ ${((Number(budget) + v * Number(core.unit) - 1) / total).toFixed(4)}`,
  )
}
t0 = performance.now()
const r = searchCascadeCoupled(core, {
  start: sh ? startFromShares(n, core, sh.shares[0] as CostShares, split ?? undefined) : undefined,
  deadline: t0 + Number(values.ms),
  theta0: Number(values.theta0),
  phase: Number(values.phase),
  maxIterations: Number(values.iters),
  tau0: Number(values.tau0),
})
const secs = (performance.now() - t0) / 1000
const bound = coupledCascadeExact(n, budget, toCascadeMultipliers(n, core, r))
const floatR = (Number(budget) + r.value * Number(core.unit) - 1) / total
console.log(
  `${values.regime} ${values.size} seed ${values.seed}: ${r.iterations} iterations in ${secs.toFixed(2)} s, θ ${r.theta.toFixed(3)}; float R ≤ ${floatR.toFixed(4)}, exact ${(Number(bound) / total).toFixed(4)}; load ${loadavg()[0]?.toFixed(1)}`,
)
