/**
 * Probe: the largest attack's found side on one bench network. Saves (or loads) the verdict's 10 s attack, then
 * grows it for `--grow-ms` as largestAttack does (growByLeaf), and prints what each step burns.
 *   npx tsx bench/largestLocal.ts --seed 3 [--regime hard] [--save FILE | --load FILE] [--grow-ms 4500]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { solveMostProfitable } from '../src/risk/attack.ts'
import { growByLeaf, largestAttackStart, padCoalition } from '../src/risk/largestHeuristic.ts'
import { swapByLeaf } from '../src/risk/largestSwap.ts'
import { solveLeaf } from '../src/risk/leafCover.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { closeBranchThreads, parallelBranch } from '../src/risk/parallelBranch.ts'
import { type Attack, attackCost, attackProfit, isValidAttack, normalizeAttack } from '../src/risk/verify.ts'
import { benchNetwork, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '3' },
    regime: { type: 'string', default: 'hard' },
    size: { type: 'string', default: '1000x100' },
    save: { type: 'string' },
    load: { type: 'string' },
    'grow-ms': { type: 'string', default: '4500' },
    compare: { type: 'string' },
    grown: { type: 'string' },
    'swap-from': { type: 'string', default: 'grown' },
    'swap-ms': { type: 'string', default: '5000' },
  },
})
const [ops, svcs] = parseSize(values.size)
const n = benchNetwork({
  seed: Number(values.seed),
  operators: ops,
  services: svcs,
  regime: regimeOf(values.regime, 'hard'),
  allocations: false,
})
const perToken = 10 ** n.scale
const tokens = (u: bigint) => (Number(u) / perToken).toFixed(1)
const show = (label: string, a: Attack) =>
  console.log(
    `${label}: burns ${tokens(attackCost(n, a))}, π(A) ${tokens(attackProfit(n, a))}, net ${tokens(attackProfit(n, a) - attackCost(n, a))}, ${a.services.length} services, valid ${isValidAttack(n, a)}; load ${loadavg()[0]?.toFixed(1)}`,
  )
const highs = await loadHighs()
let verdict: Attack
if (values.load) verdict = JSON.parse(readFileSync(values.load, 'utf8')) as Attack
else {
  const parallel = parallelBranch()
  const best = await solveMostProfitable(n, { timeLimitSeconds: 10, parallel })
  await closeBranchThreads()
  if (!best.attack) throw new Error('no attack')
  verdict = best.attack
  if (values.save) writeFileSync(values.save, JSON.stringify(verdict))
}
show('verdict', verdict)
if (values.compare) {
  const other = JSON.parse(readFileSync(values.compare, 'utf8')) as number[]
  const a = new Set(verdict.services)
  console.log(
    `compare: only in verdict ${verdict.services.filter((s) => !other.includes(s))}; only in other ${other.filter((s) => !a.has(s))}`,
  )
}
let t = performance.now()
const start = largestAttackStart(n, verdict, { budgetMs: 1000 })
if (start) show(`largestAttackStart ${(performance.now() - t).toFixed(0)} ms`, start)
t = performance.now()
let grown = growByLeaf(n, verdict, highs, performance.now() + Number(values['grow-ms']))
if (values.grown) {
  // a saved A, covered exactly for 3 s and padded: the start of the exchanges instead of this run's growth
  const services = JSON.parse(readFileSync(values.grown, 'utf8')) as number[]
  const out = solveLeaf(n, services, 0n, highs, performance.now() + 3000)
  if (out.attack) grown = padCoalition(n, normalizeAttack(n, out.attack))
}
show(`growByLeaf ${(performance.now() - t).toFixed(0)} ms`, grown)
console.log(`grown services ${JSON.stringify(grown.services)}`)
t = performance.now()
const swapped = swapByLeaf(
  n,
  values['swap-from'] === 'verdict' ? verdict : grown,
  highs,
  performance.now() + Number(values['swap-ms']),
)
show(`swapByLeaf ${(performance.now() - t).toFixed(0)} ms`, swapped)
console.log(`swapped services ${JSON.stringify(swapped.services)}`)
process.exit(0)
