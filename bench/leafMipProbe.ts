/**
 * HiGHS's own MIP on one leaf of the flips (leafFlip.ts): the covering knapsack of a fixed set A of services
 * (leafCover.ts's problem, min Σ c_v x_v over the thresholds of A), started from leafCover's coalition after 0.5 s,
 * with HiGHS's log, to see how fast a generic MIP improves the cover of the flips' best A (typical 1,000 × 100 with
 * allocations). Floats: a probe. Run: npx tsx bench/leafMipProbe.ts SEED SECONDS '[services of A]'
 * (EFFORT=1 sets mip_heuristic_effort, NOSTART=1 leaves the start out)
 */
import type { Highs } from 'highs'
import { parseRiskInput } from '../src/risk/input.ts'
import { solveLeaf } from '../src/risk/leafCover.ts'
import { serviceStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat, toNumber } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'
import { attackCost, attackProfit } from '../src/risk/verify.ts'

const seed = Number(process.argv[2] ?? 1)
const secs = Number(process.argv[3] ?? 5)
const A: number[] = JSON.parse(process.argv[4] ?? '[]')
type Loader = (o: { print?: (m: string) => void; printErr?: (m: string) => void }) => Promise<Highs>
const print = (m: string) => process.stdout.write(m.endsWith('\n') ? m : `${m}\n`)
const load = (await import('highs')).default as unknown as Loader
const highs = await load({ print, printErr: print })
const quiet = await load({})
const n = parseRiskInput(
  randomNetwork(createRng(seed), {
    operators: 1000,
    services: 100,
    membersPerService: [20, 80],
    allocations: true,
    profitFactor: [0.2, 1.2],
  }),
)
const unit = 10n ** BigInt(n.scale)
const f = (x: bigint) => toNumber(rat(x, unit))
const col = new Map<number, number>()
const onA = new Map<number, bigint>()
for (const s of A) {
  const sv = n.services[s]
  sv?.members.forEach((v, k) => {
    if (!col.has(v)) col.set(v, col.size)
    onA.set(v, (onA.get(v) ?? 0n) + (sv.memberStake[k] ?? 0n))
  })
}
const ops = [...col.keys()]
const cost = ops.map((v) => {
  const own = n.operators[v]?.stake ?? 0n
  const on = onA.get(v) ?? 0n
  return f(on < own ? on : own)
})
const starts = [0]
const indices: number[] = []
const values: number[] = []
const rowLower: number[] = []
for (const s of A) {
  const sv = n.services[s]
  if (!sv) continue
  const need = toNumber(sv.threshold) * f(serviceStake(sv))
  sv.members.forEach((v, k) => {
    indices.push(col.get(v) ?? 0)
    values.push(Math.min(need, f(sv.memberStake[k] ?? 0n)))
  })
  starts.push(indices.length)
  rowLower.push(need)
}
const profit = A.reduce((x, s) => x + f(n.services[s]?.profit ?? 0n), 0)
const leaf = solveLeaf(n, A, 0n, quiet, performance.now() + 500)
if (leaf.attack)
  console.log(`leafCover in 0.5 s: ${attackProfit(n, leaf.attack) - attackCost(n, leaf.attack)}`)
const model = highs.createModel()
model.passModel({
  numCols: ops.length,
  numRows: A.length,
  sense: highs.constants.objectiveSense.minimize,
  colCost: cost,
  colLower: new Array(ops.length).fill(0),
  colUpper: new Array(ops.length).fill(1),
  rowLower,
  rowUpper: new Array(A.length).fill(Number.POSITIVE_INFINITY),
  matrix: { format: 'csr', numRows: A.length, numCols: ops.length, starts, indices, values },
  integrality: Int32Array.from(ops, () => 1),
} as never)
const chosen = new Set(leaf.attack?.operators ?? [])
if (leaf.attack && !process.env.NOSTART)
  model.setSolution({
    indices: ops.map((_, i) => i),
    values: ops.map((v) => (chosen.has(v) ? 1 : 0)),
  } as never)
model.options.set({
  output_flag: true,
  time_limit: secs,
  mip_rel_gap: 1e-9,
  mip_heuristic_effort: Number(process.env.EFFORT ?? 0.05),
})
model.run()
console.log(
  `profit ${profit.toFixed(1)}, cover ${model.getObjectiveValue().toFixed(1)}, net ${(profit - model.getObjectiveValue()).toFixed(1)}, dual ${Number(model.info.get('mip_dual_bound')).toFixed(1)} (amounts in tokens)`,
)
