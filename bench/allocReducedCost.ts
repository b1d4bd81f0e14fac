/**
 * Reduced-cost fixing from the verdict's root LP on typical 1,000 × 100 with allocations (issue 14): solves the LP
 * relaxation of attackModel.ts's 'profit' model, reads the reduced costs of y_s (services) and x_v (operators), and
 * counts how many a gap of (LP − attack known) would fix: a variable at a bound whose reduced cost exceeds the gap
 * cannot leave that bound in any attack netting more than the one known (LP duality: every point within the LP's
 * rows nets at most LP − Σ_j |d_j| · |x_j − x*_j| over the nonbasic columns). Floats only: a probe, not a proof.
 * With the root's duals kept at every node, a branching over services bounds a node by exactly that sum, so it
 * can never go below the LP except by such fixings.
 * Run: npx tsx bench/allocReducedCost.ts [--seed 1] [--found 20531,20432]
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { buildAttackModel } from '../src/risk/attackModel.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, passBuilder } from '../src/risk/mip.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '1' }, found: { type: 'string', default: '' } },
})
const seed = Number(values.seed)
// the long runs' best attacks (bench/allocTruth.ts, docs/risk.md) and the engine's at 10 s
const FOUND: Record<number, number[]> = { 1: [20531, 20432], 2: [21371, 21354], 3: [22545, 22530] }
const found = values.found ? values.found.split(',').map(Number) : (FOUND[seed] ?? [])
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
const m = buildAttackModel(n, 'profit')
const tokens = (v: number) => (v * Number(m.unit)) / perToken
const model = highs.createModel()
passBuilder(highs, model, m.builder, true, false)
model.options.set({ output_flag: false })
const c0 = process.cpuUsage()
model.run()
const u = process.cpuUsage(c0)
const lp = tokens(model.getObjectiveValue())
const sol = model.getSolution()
const y = m.y.map((c) => ({ value: sol.colValue[c] ?? 0, rc: tokens(sol.colDual[c] ?? 0) }))
const x = m.x
  .filter((c) => c >= 0)
  .map((c) => ({ value: sol.colValue[c] ?? 0, rc: tokens(sol.colDual[c] ?? 0) }))
const fractional = (l: { value: number }[]) => l.filter((e) => e.value > 1e-6 && e.value < 1 - 1e-6).length
console.log(
  `seed ${seed}: root LP ${lp.toFixed(1)} tokens, ${((u.user + u.system) / 1e6).toFixed(1)} CPU-s, load ${loadavg()[0]?.toFixed(1)}; ` +
    `y: ${y.filter((e) => e.value > 1 - 1e-6).length} at 1, ${fractional(y)} fractional, ${y.filter((e) => Math.abs(e.rc) < 1e-6).length} with reduced cost 0; x: ${fractional(x)} fractional of ${x.length}`,
)
for (const f of found) {
  const gap = lp - f
  console.log(
    `  attack ${f}: gap ${gap.toFixed(0)} fixes ${y.filter((e) => Math.abs(e.rc) > gap).length} of ${y.length} services, ${x.filter((e) => Math.abs(e.rc) > gap).length} of ${x.length} operators`,
  )
}
const top = [...y].sort((a, b) => Math.abs(b.rc) - Math.abs(a.rc)).slice(0, 10)
console.log(`  largest service reduced costs: ${top.map((e) => e.rc.toFixed(0)).join(', ')}`)
