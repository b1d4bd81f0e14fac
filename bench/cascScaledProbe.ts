/**
 * Probe (floats, HiGHS; not a proof): the validity row dualised, the shock's budget kept. A valid attack nets a unit,
 * so for c < 1 `cost(B) ≤ (P(c) − 1)/(1 − c)` with P(c) = max π(A) − c·cost(B) over attacks meeting the thresholds
 * after a shock D with σ(D) ≤ Ψ (no validity row), and R_ψ σ(V) ≤ Ψ + (P(c) − 1)/(1 − c) — largestBound.ts's
 * argument with a budgeted shock. Prints what HiGHS finds and bounds for P(c), and the R each would give.
 * `npx tsx bench/cascScaledProbe.ts 200 50 1 0.7 120`
 */
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, solveMip } from '../src/risk/mip.ts'
import { serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

await loadHighs()
const [ops, svcs, seed, c, limit] = process.argv.slice(2).map(Number) as [
  number,
  number,
  number,
  number,
  number,
]
const n = parseRiskInput(
  randomNetwork(createRng(seed), {
    operators: ops,
    services: svcs,
    membersPerService: ops <= 200 ? [10, 40] : [20, 80],
    profitFactor: [0.02, 0.25],
  }),
)
const total = Number(totalStake(n))
const psi = Number(shockBudget(n, rat(1n, 10n)))
const alpha = (si: number) => Number(n.services[si]?.threshold.num) / Number(n.services[si]?.threshold.den)
const b = new MipBuilder()
const y = n.services.map((s) => b.binary(Number(s.profit)))
const x = n.operators.map((o) => b.binary(-c * Number(o.stake)))
const d = n.operators.map(() => b.binary(0))
n.operators.forEach((_, v) => {
  b.addRow(
    [
      [x[v] as number, 1],
      [d[v] as number, 1],
    ],
    Number.NEGATIVE_INFINITY,
    1,
  )
})
n.services.forEach((s, si) => {
  const row: [number, number][] = [[y[si] as number, -alpha(si) * Number(serviceStake(s))]]
  s.members.forEach((v, k) => {
    row.push(
      [x[v] as number, Number(s.memberStake[k])],
      [d[v] as number, alpha(si) * Number(s.memberStake[k])],
    )
  })
  b.addRow(row, 0, Number.POSITIVE_INFINITY)
})
b.addRow(
  n.operators.map((o, v) => [d[v] as number, Number(o.stake)] as [number, number]),
  Number.NEGATIVE_INFINITY,
  psi,
)
const sol = await solveMip(b, { maximize: true, timeLimitSeconds: limit })
const r = (P: number) => ((psi + (P - 1) / (1 - c)) / total).toFixed(4)
console.log(
  `c ${c}: P(c) found ${sol.objective.toFixed(0)} (so the bound is R ≥ ${r(sol.objective)} at best), HiGHS's bound ${sol.bound.toFixed(0)} (R ≤ ${r(sol.bound)}), ${sol.status}`,
)
