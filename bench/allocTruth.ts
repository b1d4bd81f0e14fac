/**
 * The truth behind the typical-with-allocations verdict gaps (docs/risk.md, "Insecure networks with allocations"):
 * HiGHS on the verdict's MIP (attackModel.ts) for a long time, started from the engine's attack (heuristic + leaf
 * polish), its log printed so that the incumbent and the dual bound can be followed.
 * Run: npx tsx bench/allocTruth.ts [--seed 1] [--size 1000x100] [--seconds 600] [--regime typical] [--flips 8]
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import type { Highs } from 'highs'
import { buildAttackModel, readSolution, startSolution } from '../src/risk/attackModel.ts'
import { heuristicAttack } from '../src/risk/heuristic.ts'
import { flipByLeaf } from '../src/risk/leafFlip.ts'
import { polishByLeaf } from '../src/risk/leafPolish.ts'
import { passBuilder } from '../src/risk/mip.ts'
import { attackCost, attackProfit, isValidAttack } from '../src/risk/verify.ts'
import { benchNetwork, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    size: { type: 'string', default: '1000x100' },
    seconds: { type: 'string', default: '600' },
    regime: { type: 'string', default: 'typical' },
    /** seconds of exact-cover flips (leafFlip.ts) on the start first, as the engine's verdict does beside its solver */
    flips: { type: 'string', default: '0' },
  },
})
const [ops, svcs] = parseSize(values.size)
type Loader = (o: { print?: (m: string) => void; printErr?: (m: string) => void }) => Promise<Highs>
const print = (m: string) => process.stdout.write(m.endsWith('\n') ? m : `${m}\n`)
const highs = await ((await import('highs')).default as unknown as Loader)({ print, printErr: print })
const n = benchNetwork({
  seed: Number(values.seed),
  operators: ops,
  services: svcs,
  regime: regimeOf(values.regime, 'typical'),
  allocations: true,
})
const perToken = 10 ** n.scale
const tokens = (u: bigint) => (Number(u) / perToken).toFixed(1)
let start = heuristicAttack(n, { budgetMs: 1500 })
if (start) start = polishByLeaf(n, start, highs, 3000)
if (start && Number(values.flips) > 0)
  start = flipByLeaf(n, start, highs, Number(values.flips) * 1000) ?? start
const startNet = start ? attackProfit(n, start) - attackCost(n, start) : 0n
console.log(
  `seed ${values.seed} ${values.size}: start nets ${tokens(startNet)} tokens; load ${loadavg()[0]?.toFixed(1)}`,
)
const m = buildAttackModel(n, 'profit')
const b = m.builder
const model = highs.createModel()
passBuilder(highs, model, b, true)
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
const sol = model.getSolution().colValue
const { attack } = readSolution(m, Float64Array.from(sol))
const ok = isValidAttack(n, attack)
const net = ok ? attackProfit(n, attack) - attackCost(n, attack) : 0n
console.log(
  `final: attack ${ok ? `${tokens(net)} tokens (${attack.services.length} services, ${attack.operators.length} operators)` : 'invalid'}, dual bound ${((Number(model.info.get('mip_dual_bound')) * Number(m.unit)) / perToken).toFixed(1)}, ${((u.user + u.system) / 1e6).toFixed(0)} CPU-s; load ${loadavg()[0]?.toFixed(1)}`,
)
console.log(`attack services: ${JSON.stringify(attack.services)}`)
