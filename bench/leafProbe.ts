/**
 * Probe: one fully fixed node of the branching over services (a set A written by `bench/branchProbe.ts --leaf-out`)
 * solved two ways — the exact leaf (leafCover.ts) for --leaf-ms, and HiGHS's MIP of the covering knapsack
 * min Σ σ_v x_v s.t. Σ a_vs x_v ≥ α_s σ(N(s)), s ∈ A, for --mip-s — to tell how far A's best coalition is from its
 * LP cover. Whole-stake model.
 *   npx tsx bench/leafProbe.ts --seed 3 --leaf /tmp/leafA.json --value 3179 [--leaf-ms 60000] [--mip-s 60]
 */
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { parseRiskInput } from '../src/risk/input.ts'
import { solveLeaf } from '../src/risk/leafCover.ts'
import { loadHighs, MipBuilder, solveMip } from '../src/risk/mip.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'
import { attackCost } from '../src/risk/verify.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '3' },
    leaf: { type: 'string' },
    value: { type: 'string', default: '0' },
    'leaf-ms': { type: 'string', default: '60000' },
    'mip-s': { type: 'string', default: '60' },
  },
})
const n = parseRiskInput(
  randomNetwork(createRng(Number(values.seed)), {
    operators: 1000,
    services: 100,
    membersPerService: [20, 80],
    profitFactor: [0.05, 0.35],
  }),
)
const A = JSON.parse(readFileSync(values.leaf as string, 'utf8')) as number[]
const profit = A.reduce((x, s) => x + Number(n.services[s]?.profit ?? 0n), 0)
console.log(`A: ${A.length} services, π(A) ${profit}; load ${loadavg()[0]?.toFixed(1)}`)
// HiGHS's MIP of the cover (floats; a measurement)
const b = new MipBuilder()
const col = new Map<number, number>()
for (const s of A)
  for (const v of n.services[s]?.members ?? [])
    if (!col.has(v)) col.set(v, b.binary(Number(n.operators[v]?.stake ?? 0n)))
for (const s of A) {
  const svc = n.services[s]
  if (!svc) continue
  const total = svc.memberStake.reduce((x, y) => x + Number(y), 0)
  const need = (Number(svc.threshold.num) / Number(svc.threshold.den)) * total
  b.addRow(
    svc.members.map((v, k) => [col.get(v) as number, Number(svc.memberStake[k])] as const),
    need - 1e-9,
    Number.POSITIVE_INFINITY,
  )
}
let t = performance.now()
const mip = await solveMip(b, { maximize: false, timeLimitSeconds: Number(values['mip-s']) })
console.log(
  `HiGHS MIP: ${mip.status}, cover ${mip.objective.toFixed(1)}, bound ${mip.bound.toFixed(1)} → net ≤ ${(profit - mip.bound).toFixed(1)}, found ${(profit - mip.objective).toFixed(1)} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
)
const highs = await loadHighs()
t = performance.now()
const out = solveLeaf(n, A, BigInt(values.value), highs, performance.now() + Number(values['leaf-ms']))
console.log(
  `leaf: complete ${out.complete}, ${out.nodes} nodes, bound ${out.bound.toFixed(1)}, ` +
    `${out.attack ? `coalition ${attackCost(n, out.attack)} netting ${out.value}` : 'nothing above the value'} ` +
    `(${((performance.now() - t) / 1000).toFixed(1)} s); load ${loadavg()[0]?.toFixed(1)}`,
)
