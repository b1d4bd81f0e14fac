/**
 * The truth behind the whole-stake hard regime's gaps (docs/risk.md, "What stays hard"): the engine's 10 s answer
 * (most profitable attack, then the largest attack started from it, as bench/risk.ts asks), then HiGHS on the
 * whole model for a long time, started from that 10 s attack, its log printed so that the incumbent and the dual
 * bound can be followed. Tells whether the 10 s attack or the 10 s bound is the loose side.
 * Run: npx tsx bench/hardTruth.ts [--seed 3] [--size 1000x100] [--seconds 900] [--question profit|cost]
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import type { Highs } from 'highs'
import { largestAttack, solveMostProfitable } from '../src/risk/attack.ts'
import { buildAttackModel, readSolution, startSolution } from '../src/risk/attackModel.ts'
import { loadHighs, passBuilder } from '../src/risk/mip.ts'
import { closeBranchThreads, parallelBranch } from '../src/risk/parallelBranch.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from '../src/risk/verify.ts'
import { benchNetwork, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '3' },
    size: { type: 'string', default: '1000x100' },
    seconds: { type: 'string', default: '900' },
    regime: { type: 'string', default: 'hard' },
    /** 'profit': the most profitable attack; 'cost': the largest attack */
    question: { type: 'string', default: 'profit' },
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
const tokens = (u: bigint | number) => (Number(u) / perToken).toFixed(1)
await loadHighs()
const parallel = parallelBranch()
const best = await solveMostProfitable(n, { timeLimitSeconds: 10, parallel })
const bestNet = best.answer.attack ? best.answer.attack.profit - best.answer.attack.cost : 0n
console.log(
  `10 s most profitable: ${tokens(bestNet)} tokens, bound ${tokens(best.answer.bound)}, proven ${best.answer.proven}; load ${loadavg()[0]?.toFixed(1)}`,
)
let start: Attack | undefined = best.attack ?? undefined
if (values.question === 'cost') {
  const large = await largestAttack(n, {
    timeLimitSeconds: 10,
    start,
    provenSecure: false,
    parallel,
    scaledSearch: true,
  })
  console.log(
    `10 s largest: ${tokens(large.attack?.cost ?? 0n)} tokens, bound ${tokens(large.bound)}, proven ${large.proven}; load ${loadavg()[0]?.toFixed(1)}`,
  )
  if (large.attack)
    start = {
      services: large.attack.services.map((id) => n.services.findIndex((s) => s.id === id)),
      operators: large.attack.operators.map((id) => n.operators.findIndex((o) => o.id === id)),
    }
}
await closeBranchThreads()
type Loader = (o: { print?: (m: string) => void; printErr?: (m: string) => void }) => Promise<Highs>
const print = (m: string) => process.stdout.write(m.endsWith('\n') ? m : `${m}\n`)
const highs = await ((await import('highs')).default as unknown as Loader)({ print, printErr: print })
const objective = values.question === 'cost' ? 'cost' : 'profit'
const m = buildAttackModel(n, objective)
const model = highs.createModel()
passBuilder(highs, model, m.builder, true)
model.options.set({
  output_flag: true,
  mip_feasibility_tolerance: 1e-9,
  primal_feasibility_tolerance: 1e-9,
  mip_rel_gap: 1e-9,
  mip_abs_gap: 1e-10,
  time_limit: Number(values.seconds),
})
if (start) model.setSolution(startSolution(m, start))
const c0 = process.cpuUsage()
model.run()
const u = process.cpuUsage(c0)
const { attack } = readSolution(m, Float64Array.from(model.getSolution().colValue))
const ok = isValidAttack(n, attack)
const value = ok
  ? objective === 'cost'
    ? attackCost(n, attack)
    : attackProfit(n, attack) - attackCost(n, attack)
  : 0n
console.log(
  `final ${objective}: attack ${ok ? `${tokens(value)} tokens (${attack.services.length} services, ${attack.operators.length} operators)` : 'invalid'}, dual bound ${tokens(Number(model.info.get('mip_dual_bound')) * Number(m.unit))}, ${((u.user + u.system) / 1e6).toFixed(0)} CPU-s; load ${loadavg()[0]?.toFixed(1)}`,
)
console.log(`attack services: ${JSON.stringify(attack.services)}`)
process.exit(0)
