/**
 * Probe: the largest attack's bounds on one bench network — the solver's, the cost shares' knapsack at ψ = 0
 * (cascadeBound.ts) and the branching over services (cascadeBranch.ts) from the attack found.
 *   npx tsx bench/largestProbe.ts --regime hard --seed 3 [--allocations] [--branch-ms 5000]
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { largestAttack, solveMostProfitable } from '../src/risk/attack.ts'
import { branchCascade } from '../src/risk/cascadeBranch.ts'
import { findCascadeShares } from '../src/risk/cascadeShares.ts'
import { largestAttackStart } from '../src/risk/largestHeuristic.ts'
import { attackCost, attackProfit } from '../src/risk/verify.ts'
import { benchNetwork, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'hard' },
    seed: { type: 'string', default: '3' },
    allocations: { type: 'boolean', default: false },
    'branch-ms': { type: 'string', default: '5000' },
    'share-ms': { type: 'string', default: '1000' },
    'only-found': { type: 'boolean', default: false },
  },
})
const n = benchNetwork({
  seed: Number(values.seed),
  operators: 1000,
  services: 100,
  regime: regimeOf(values.regime),
  allocations: values.allocations,
})
const tok = (x: bigint | number) => (Number(x) / 10 ** n.scale).toFixed(1)
const best = await solveMostProfitable(n, { timeLimitSeconds: 10 })
const large = await largestAttack(n, { timeLimitSeconds: 10, start: best.attack ?? undefined })
const found = large.attack?.cost ?? 0n
console.log(
  `load ${loadavg()[0]?.toFixed(1)}; largest found ${tok(found)} (π(A) ${tok(large.attack?.profit ?? 0n)}, ${large.attack?.services.length ?? 0} services) proven ${large.proven}, solver bound ${tok(large.bound)}`,
)
if (best.attack) {
  const g = largestAttackStart(n, best.attack, { budgetMs: 2000 })
  if (g)
    console.log(
      `heuristic start: cost ${tok(attackCost(n, g))}, π(A) ${tok(attackProfit(n, g))}, ${g.services.length} services`,
    )
}
// (with --only-found) can the attack found grow? Each other service tried with the exact leaf cover.
if (large.attack) {
  const { solveLeaf } = await import('../src/risk/leafCover.ts')
  const { loadHighs } = await import('../src/risk/mip.ts')
  const { coalitionFor, prepare } = await import('../src/risk/heuristic.ts')
  const { polishCoalition } = await import('../src/risk/polish.ts')
  const highs = await loadHighs()
  const idx = new Map(n.services.map((s, i) => [s.id, i]))
  const A = large.attack.services.map((id) => idx.get(id) as number)
  const p = prepare(n)
  const inA = new Uint8Array(n.services.length)
  for (const s of A) inA[s] = 1
  const cov = coalitionFor(p, inA)
  const pol = cov && polishCoalition(p, inA, cov.operators)
  console.log(
    `heuristic cover of the found A: ${cov && tok(cov.cost)} polished ${pol && tok(pol.cost)} vs π(A) ${tok(large.attack.profit)}`,
  )
  let t0 = performance.now()
  const own = solveLeaf(n, A, 0n, highs, performance.now() + 2000)
  console.log(
    `leaf on found A: complete ${own.complete} cover ${own.attack && tok(attackCost(n, own.attack))} (${(performance.now() - t0).toFixed(0)} ms)`,
  )
  for (let s = 0; s < n.services.length; s++) {
    if (inA[s]) continue
    t0 = performance.now()
    const out = solveLeaf(
      n,
      [...A, s].sort((a, b) => a - b),
      0n,
      highs,
      performance.now() + 1000,
    )
    console.log(
      `+s${s} π ${tok(n.services[s]?.profit ?? 0n)}: complete ${out.complete} attack ${out.attack ? tok(attackCost(n, out.attack)) : 'none'} of π ${tok(large.attack.profit + (n.services[s]?.profit ?? 0n))} (${(performance.now() - t0).toFixed(0)} ms)`,
    )
  }
}

if (!values['only-found']) {
  let t = performance.now()
  const sh = findCascadeShares(n, 0n, {
    budgetMs: Number(values['share-ms']),
    incumbent: found,
    shareSteps: 300,
    priceSteps: 300,
  })
  console.log(
    `shares knapsack bound ${tok(sh.bound)} (${sh.steps} steps, ${((performance.now() - t) / 1000).toFixed(2)} s)`,
  )
  t = performance.now()
  const br = branchCascade(n, 0n, found, {
    rootBound: sh.bound,
    rootShares: sh.shares[0],
    deadline: performance.now() + Number(values['branch-ms']),
  })
  console.log(
    `branching bound ${tok(br.bound)} proven ${br.proven} nodes ${br.nodes} (${((performance.now() - t) / 1000).toFixed(2)} s); load ${loadavg()[0]?.toFixed(1)}`,
  )
}
