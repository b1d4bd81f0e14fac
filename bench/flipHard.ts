/**
 * The exact-cover flips over services (leafFlip.ts) alone on hard whole-stake 1,000 × 100 seed 3, from a saved
 * attack (`bench/branchProbe.ts --save FILE`), for each budget given: whether they raise the found side of that
 * network's optimality gap (issue 14; docs/risk.md, "Flat nodes covered exactly").
 * Run: npx tsx bench/flipHard.ts FILE [MS,MS,...]
 */
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseRiskInput } from '../src/risk/input.ts'
import { flipByLeaf } from '../src/risk/leafFlip.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from '../src/risk/verify.ts'

const n = parseRiskInput(
  randomNetwork(createRng(3), {
    operators: 1000,
    services: 100,
    membersPerService: [20, 80],
    profitFactor: [0.05, 0.35],
  }),
)
const highs = await loadHighs()
const tok = (a: Attack) => (Number(attackProfit(n, a) - attackCost(n, a)) / 10 ** n.scale).toFixed(1)
const start = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Attack
console.log(`start ${start.services.length} services, net ${tok(start)}, load ${loadavg()[0]?.toFixed(1)}`)
for (const ms of (process.argv[3] ?? '2000,5000').split(',').map(Number)) {
  const t = performance.now()
  const out = flipByLeaf(n, start, highs, ms)
  console.log(
    `flips ${ms} ms: ${out.services.length} services, net ${tok(out)}, valid ${isValidAttack(n, out)}, ${(performance.now() - t).toFixed(0)} ms, load ${loadavg()[0]?.toFixed(1)}`,
  )
}
