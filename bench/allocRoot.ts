/**
 * Why the verdict is not proven on typical 1,000 × 100 with allocations: the root relaxations side by side, for one
 * seed of the bench's typical regime (bench/risk.ts). Prints, in tokens, with CPU seconds and the load average:
 * - HiGHS's root LP of the verdict's MIP (attackModel.ts), and the same LP without the rows z_vs ≥ x_v + y_s − 1
 *   (the coalition coupling: an operator in B counts, and is charged, on every attacked service it secures);
 * - the cost shares' best bound (costShare.ts), solved exactly as an LP over (λ, μ, ν) — min Σ_s p_s with
 *   p_s ≥ π_s − μ_s need_s + Σ_v ν_vs, ν_vs ≥ μ_s a_vs − λ_vs, Σ_s λ_vs ≤ σ_v, 0 ≤ λ_vs ≤ a_vs — and its λ
 *   checked in bigint (toShares, costShareBound).
 * The branching over services (serviceBranch.ts) bounds its nodes by those shares, so its root can be no lower.
 * Run: npx tsx bench/allocRoot.ts [--seed 1] [--log]   (--log prints HiGHS's own output)
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import type { Highs } from 'highs'
import { buildAttackModel } from '../src/risk/attackModel.ts'
import { costShareBound, toShares } from '../src/risk/costShare.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import type { MipBuilder } from '../src/risk/mip.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { toNumber } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'
import { buildShareCore } from '../src/risk/shareCore.ts'

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '1' }, log: { type: 'boolean', default: false } },
})
type Loader = (o: { print?: (m: string) => void; printErr?: (m: string) => void }) => Promise<Highs>
const print = (m: string) => console.log(m)
const highs = await ((await import('highs')).default as unknown as Loader)(
  values.log ? { print, printErr: print } : {},
)
// the bench's typical regime at 1,000 × 100 with allocations (bench/risk.ts)
const n = parseRiskInput(
  randomNetwork(createRng(Number(values.seed)), {
    operators: 1000,
    services: 100,
    membersPerService: [20, 80],
    allocations: true,
    profitFactor: [0.2, 1.2],
  }),
)
const perToken = 10 ** n.scale
const load = () => loadavg()[0]?.toFixed(1)

type Lp = {
  sense: 'max' | 'min'
  cost: number[]
  lower: number[]
  upper: number[]
  starts: number[]
  indices: number[]
  values: number[]
  rowLower: number[]
  rowUpper: number[]
}
/** Solves an LP; its optimum, CPU seconds and the column values. */
function solveLp(lp: Lp): { objective: number; cpu: number; colValue: Float64Array; status: number } {
  const model = highs.createModel()
  const numCols = lp.cost.length
  const numRows = lp.rowLower.length
  model.passModel({
    numCols,
    numRows,
    sense:
      lp.sense === 'max' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost: lp.cost,
    colLower: lp.lower,
    colUpper: lp.upper,
    rowLower: lp.rowLower,
    rowUpper: lp.rowUpper,
    matrix: { format: 'csr', numRows, numCols, starts: lp.starts, indices: lp.indices, values: lp.values },
  })
  model.options.set({ output_flag: values.log === true })
  const c0 = process.cpuUsage()
  const { modelStatus } = model.run()
  const u = process.cpuUsage(c0)
  return {
    objective: model.getObjectiveValue(),
    cpu: (u.user + u.system) / 1e6,
    colValue: Float64Array.from(model.getSolution().colValue),
    status: modelStatus,
  }
}

const m = buildAttackModel(n, 'profit')
const b: MipBuilder = m.builder
const toTokens = (v: number) => ((v * Number(m.unit)) / perToken).toFixed(1)
console.log(
  `typical 1,000 × 100 with allocations, seed ${values.seed}: MIP ${b.numRows} rows, ${b.numCols} columns, ${b.indices.length} nonzeros; load ${load()}`,
)
const mipLp = (coupled: boolean): Lp => ({
  sense: 'max',
  cost: b.cost,
  lower: b.lower,
  upper: b.upper,
  starts: b.starts,
  indices: b.indices,
  values: b.values,
  rowLower: coupled ? b.rowLower : b.rowLower.map((l) => (l === -1 ? Number.NEGATIVE_INFINITY : l)),
  rowUpper: b.rowUpper,
})
// costModel.ts writes z ≥ x + y − 1 as the only rows with lower side −1
const coupling = b.rowLower.filter((l) => l === -1).length
for (const coupled of [true, false]) {
  const r = solveLp(mipLp(coupled))
  console.log(
    `root LP ${coupled ? 'as solved' : `without the ${coupling} coupling rows`}: ${toTokens(r.objective)} tokens, ${r.cpu.toFixed(2)} CPU-s; load ${load()}`,
  )
}

// The cost shares' best bound, as an LP: columns p_s, μ_s, λ_e, ν_e (e: the service-ordered edges).
const core = buildShareCore(n)
const { S, E } = core
const P = 0
const M = S
const L = 2 * S
const N = 2 * S + E
const cols = 2 * S + 2 * E
const lp: Lp = {
  sense: 'min',
  cost: new Array(cols).fill(0),
  lower: new Array(cols).fill(0),
  upper: new Array(cols).fill(Number.POSITIVE_INFINITY),
  starts: [0],
  indices: [],
  values: [],
  rowLower: [],
  rowUpper: [],
}
const row = (entries: [number, number][], lo: number, up: number) => {
  for (const [c, v] of entries) {
    lp.indices.push(c)
    lp.values.push(v)
  }
  lp.starts.push(lp.indices.length)
  lp.rowLower.push(lo)
  lp.rowUpper.push(up)
}
for (let s = 0; s < S; s++) lp.cost[P + s] = 1
for (let e = 0; e < E; e++) lp.upper[L + e] = core.a[e] as number
for (let s = 0; s < S; s++) {
  const entries: [number, number][] = [
    [P + s, 1],
    [M + s, core.need[s] as number],
  ]
  for (let e = core.svcStart[s] as number; e < (core.svcStart[s + 1] as number); e++)
    entries.push([N + e, -1])
  row(entries, core.profit[s] as number, Number.POSITIVE_INFINITY)
}
for (let e = 0; e < E; e++)
  row(
    [
      [L + e, 1],
      [N + e, 1],
      [M + (core.svcOf[e] as number), -(core.a[e] as number)],
    ],
    0,
    Number.POSITIVE_INFINITY,
  )
for (let v = 0; v + 1 < core.opStart.length; v++) {
  const entries: [number, number][] = []
  for (let i = core.opStart[v] as number; i < (core.opStart[v + 1] as number); i++)
    entries.push([L + (core.opEdge[i] as number), 1])
  if (entries.length > 0) row(entries, Number.NEGATIVE_INFINITY, core.sigma[v] as number)
}
const shares = solveLp(lp)
const exact = costShareBound(n, toShares(n, shares.colValue.slice(L, L + E), core.svcStart))
console.log(
  `cost shares' best: ${((shares.objective * Number(core.unit)) / perToken).toFixed(1)} tokens (LP, ${shares.cpu.toFixed(2)} CPU-s), ${(toNumber(exact) / perToken).toFixed(1)} checked exactly; load ${load()}`,
)
