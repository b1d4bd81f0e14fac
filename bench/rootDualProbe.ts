/**
 * Does the verdict's root LP give a bound before it finishes? (issue 14: under load the solver's root LP on typical
 * 1,000 × 100 with allocations does not finish within the limit, and the bound reported is the cost shares' cap.)
 * Solves the LP relaxation of attackModel.ts's 'profit' model with HiGHS's time limit at each given value and
 * computes, from whatever row duals π HiGHS holds when it stops, the weak-duality bound for max c·x over the box:
 *   c·x = π·Ax + (c − Aᵀπ)·x ≤ Σ_i (π_i > 0 ? π_i U_i : π_i L_i) + Σ_j max(d_j l_j, d_j u_j),
 * valid for any π (a π_i whose side is infinite is taken as 0). Floats: a probe, not a proof.
 * Run: npx tsx bench/rootDualProbe.ts [seed] [limits, e.g. 1,3,5,30] [size, e.g. 5000x200; default 1000x100]
 */
import { loadavg } from 'node:os'
import { buildAttackModel } from '../src/risk/attackModel.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, passBuilder } from '../src/risk/mip.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

const seed = Number(process.argv[2] ?? 1)
const limits = (process.argv[3] ?? '1,3,5,30').split(',').map(Number)
const [operators = 1000, services = 100] = (process.argv[4] ?? '1000x100').split('x').map(Number)
const highs = await loadHighs()
const n = parseRiskInput(
  randomNetwork(createRng(seed), {
    operators,
    services,
    // as bench/risk.ts
    membersPerService: services >= 200 ? [25, 100] : [20, 80],
    allocations: true,
    profitFactor: [0.2, 1.2],
  }),
)
const m = buildAttackModel(n, 'profit')
const b = m.builder
const tokens = (v: number) => (v * Number(m.unit)) / 10 ** n.scale
for (const limit of limits) {
  const model = highs.createModel()
  passBuilder(highs, model, b, true, false)
  model.options.set({ output_flag: false, time_limit: limit })
  const cpu = process.cpuUsage()
  model.run()
  const u = process.cpuUsage(cpu)
  const rowDual = model.getSolution().rowDual
  const d = Float64Array.from(b.cost)
  let bound = 0
  for (let i = 0; i < b.numRows; i++) {
    let p = rowDual[i] ?? 0
    const lo = b.rowLower[i] ?? Number.NEGATIVE_INFINITY
    const up = b.rowUpper[i] ?? Number.POSITIVE_INFINITY
    if ((p > 0 && !Number.isFinite(up)) || (p < 0 && !Number.isFinite(lo))) p = 0
    if (p === 0) continue
    bound += p > 0 ? p * up : p * lo
    for (let k = b.starts[i] ?? 0; k < (b.starts[i + 1] ?? 0); k++) {
      const j = b.indices[k] ?? 0
      d[j] = (d[j] ?? 0) - p * (b.values[k] ?? 0)
    }
  }
  for (let j = 0; j < b.numCols; j++) {
    const dj = d[j] ?? 0
    bound += Math.max(dj * (b.lower[j] ?? 0), dj * (b.upper[j] ?? 0))
  }
  console.log(
    `seed ${seed}, limit ${limit} s: status ${model.getModelStatus()}, objective ${tokens(model.getObjectiveValue()).toFixed(1)}, bound from the duals ${tokens(bound).toFixed(1)} tokens, ${model.info.get('simplex_iteration_count')} iterations, ${((u.user + u.system) / 1e6).toFixed(1)} CPU-s; load ${loadavg()[0]?.toFixed(1)}`,
  )
  model.dispose()
}
