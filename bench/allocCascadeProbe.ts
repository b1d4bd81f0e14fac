/**
 * Probe of the cascade R_ψ (ψ = 0.1) with allocations on one bench network: the start, the shares' bound (and the
 * split), optionally a long HiGHS run and the branching. Prints both sides in tokens and points of R_ψ.
 * Run: npx tsx bench/allocCascadeProbe.ts --regime typical --size 1000x100 --seed 1 [--solver 60] [--branch 60]
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { cascadeShareBound, cascadeSplitBound, shockBudget } from '../src/risk/cascadeBound.ts'
import { branchCascade } from '../src/risk/cascadeBranch.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { findCascadeShares } from '../src/risk/cascadeShares.ts'
import { findShockSplit } from '../src/risk/cascadeSplit.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { totalStake } from '../src/risk/network.ts'
import { rat } from '../src/risk/rational.ts'
import { searchAttack } from '../src/risk/search.ts'
import { attackCost, attackProfit } from '../src/risk/verify.ts'
import { benchNetwork, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'typical' },
    size: { type: 'string', default: '1000x100' },
    seed: { type: 'string', default: '1' },
    solver: { type: 'string', default: '0' },
    branch: { type: 'string', default: '0' },
    whole: { type: 'boolean', default: false },
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
await loadHighs()
const load = () => loadavg()[0]?.toFixed(1)
const total = totalStake(n)
const tok = 10 ** n.scale
const pts = (x: bigint | number) => ((Number(x) / Number(total)) * 100).toFixed(3)
const budget = shockBudget(n, rat(1n, 10n))
const piAll = n.services.reduce((a, s) => a + s.profit, 0n)
console.log(
  `${values.regime} ${values.size} seed ${values.seed}: σ(V) ${Number(total) / tok}, Ψ ${Number(budget) / tok}, Σπ ${Number(piAll) / tok}; load ${load()}`,
)
let t = performance.now()
const h = cascadeStart(n, budget, { deadline: performance.now() + 2000 })
const b = h.best
const desc = (shock: number[], attack: { services: number[]; operators: number[] } | null, value: bigint) => {
  const lost = shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
  return `value ${Number(value) / tok} (${pts(value)} pts): σ(D) ${Number(lost) / tok} |D| ${shock.length}, |A| ${attack?.services.length ?? 0} π(A) ${attack ? Number(attackProfit(n, attack)) / tok : 0} cost ${attack ? Number(attackCost(n, attack)) / tok : 0} |B| ${attack?.operators.length ?? 0}`
}
console.log(`start (${(performance.now() - t).toFixed(0)} ms): ${desc(b.shock, b.attack, b.value)}`)
t = performance.now()
const sh = findCascadeShares(n, budget, {
  budgetMs: 60_000,
  incumbent: b.value,
  shareSteps: 300,
  priceSteps: 60,
})
console.log(
  `shares (${(performance.now() - t).toFixed(0)} ms): bound ${Number(sh.bound) / tok} (${pts(sh.bound)} pts)`,
)
const s0 = sh.shares[0]
if (s0) {
  t = performance.now()
  const split = await findShockSplit(n, s0, budget, 120)
  const sb = split ? cascadeSplitBound(n, s0, budget, split) : null
  console.log(
    `split (${(performance.now() - t).toFixed(0)} ms): bound ${sb === null ? 'none' : `${Number(sb) / tok} (${pts(sb)} pts)`}`,
  )
  void cascadeShareBound
}
const solverS = Number(values.solver)
if (solverS > 0) {
  t = performance.now()
  const out = await searchAttack(n, 'cascade', {
    timeLimitSeconds: solverS,
    shock: rat(1n, 10n),
    start: h.forSolver.attack ? { attack: h.forSolver.attack, shock: h.forSolver.shock } : undefined,
  })
  console.log(
    `solver ${solverS}s (${(performance.now() - t).toFixed(0)} ms, load ${load()}): proven ${out.proven} bound ${(out.bound / tok).toFixed(1)} (${pts(out.bound)} pts); ${desc(out.shock, out.attack, out.value)}`,
  )
}
const branchS = Number(values.branch)
if (branchS > 0 && s0) {
  t = performance.now()
  const br = branchCascade(n, budget, b.value, {
    rootBound: sh.bound,
    rootShares: s0,
    deadline: performance.now() + branchS * 1000,
  })
  console.log(
    `branch ${branchS}s: nodes ${br.nodes} proven ${br.proven} bound ${Number(br.bound) / tok} (${pts(br.bound)} pts), load ${load()}`,
  )
}
