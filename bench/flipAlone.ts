/**
 * The exact-cover flips over services (leafFlip.ts) alone, on the calling thread at the default priority, from a
 * fixed start, on the bench's typical 1,000 × 100 networks with allocations: what they reach in a given time, apart
 * from the solver and the thread's nice 19 (in the engine they get what the solver leaves of the second core).
 * The start is the engine's (the heuristic for 1.5 s, the leaf polish for 0.5 s); it depends on the load, so it is
 * written to `--start FILE` the first time and read from there after, for comparisons of the same start.
 * Run: npx tsx bench/flipAlone.ts [--seed 1] [--seconds 8] [--start /tmp/flipStart1.json]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { heuristicAttack } from '../src/risk/heuristic.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { flipByLeaf } from '../src/risk/leafFlip.ts'
import { polishByLeaf } from '../src/risk/leafPolish.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from '../src/risk/verify.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '8' },
    start: { type: 'string' },
  },
})
const seed = Number(values.seed)
const highs = await loadHighs()
const n = parseRiskInput(
  randomNetwork(createRng(seed), {
    operators: 1000,
    services: 100,
    membersPerService: [20, 80],
    allocations: true,
    profitFactor: [0.2, 1.2],
  }),
)
const perToken = 10 ** n.scale
const tokens = (a: Attack) => (Number(attackProfit(n, a) - attackCost(n, a)) / perToken).toFixed(0)
const file = values.start
let start: Attack | null =
  file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Attack) : null
if (!start) {
  const h = heuristicAttack(n, { budgetMs: 1500 })
  if (!h) throw new Error('the heuristic found no attack')
  start = polishByLeaf(n, h, highs, 500)
  if (file) writeFileSync(file, JSON.stringify(start))
}
if (!isValidAttack(n, start)) throw new Error('the start is not a valid attack on this network')
const cpu = process.cpuUsage()
const t = performance.now()
const out = flipByLeaf(n, start, highs, Number(values.seconds) * 1000)
const u = process.cpuUsage(cpu)
console.log(
  `seed ${seed}: start ${tokens(start)} (${start.services.length} services) → ${tokens(out)} (${out.services.length}) in ${((performance.now() - t) / 1000).toFixed(1)} s, ${((u.user + u.system) / 1e6).toFixed(1)} CPU-s; load ${loadavg()[0]?.toFixed(1)}`,
)
