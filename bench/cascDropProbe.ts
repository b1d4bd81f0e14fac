/**
 * Probe (floats, HiGHS; not a proof): are there large cascades the start misses? From A = every service, the
 * cheapest coalition after the best shock within Ψ for A fixed (a MIP: with A fixed each operator's cost
 * min(σ_v, a_v(A)) is a constant), then the service with the least profit per unit of threshold dropped, again
 * and again, while the coalition costs more than π(A).
 * `npx tsx bench/cascDropProbe.ts --regime hard --size 200x50 --seed 1 [--whole] [--seconds 10]`
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, solveMip } from '../src/risk/mip.ts'
import { serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'
import { addShockCoverRows } from './shockCoverRows.ts'

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'hard' },
    size: { type: 'string', default: '200x50' },
    seed: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '10' },
    whole: { type: 'boolean', default: false },
  },
})
const REGIMES: Record<string, [number, number]> = { boundary: [0.02, 0.25], hard: [0.05, 0.35] }
const [ops, svcs] = values.size.split('x').map(Number) as [number, number]
const membersFor = (o: number, s: number): [number, number] =>
  o <= 50 ? [5, 20] : o <= 200 ? [10, 40] : s >= 200 ? [25, 100] : [20, 80]
const n = parseRiskInput(
  randomNetwork(createRng(Number(values.seed)), {
    operators: ops,
    services: svcs,
    membersPerService: membersFor(ops, svcs),
    allocations: !values.whole,
    profitFactor: REGIMES[values.regime],
  }),
)
await loadHighs()
const total = Number(totalStake(n))
const psi = Number(shockBudget(n, rat(1n, 10n)))
const alpha = (si: number) => Number(n.services[si]?.threshold.num) / Number(n.services[si]?.threshold.den)
const density = (si: number) =>
  Number(n.services[si]?.profit) / alpha(si) / Number(serviceStake(n.services[si]!))
/** For A fixed: the cheapest coalition after a shock within Ψ (cost min(σ_v, a_v(A)) per operator). */
async function coverAfterShock(A: number[]): Promise<{ cost: number; bound: number }> {
  const onA = n.operators.map(() => 0)
  for (const si of A) {
    n.services[si]?.members.forEach((v, k) => {
      onA[v]! += Number(n.services[si]?.memberStake[k])
    })
  }
  const b = new MipBuilder()
  const x = n.operators.map((o, v) => b.binary(Math.min(Number(o.stake), onA[v] as number)))
  const d = n.operators.map(() => b.binary(0))
  addShockCoverRows(b, n, A, x, d, psi)
  const sol = await solveMip(b, { maximize: false, timeLimitSeconds: Number(values.seconds) })
  return { cost: sol.objective, bound: sol.bound }
}
const piOf = (A: number[]) => A.reduce((a, si) => a + Number(n.services[si]?.profit), 0)
let A = n.services.map((_, si) => si).sort((i, j) => density(j) - density(i))
console.log(
  `${values.regime} ${values.size} seed ${values.seed}: σ(V) ${total} Ψ ${psi}; load ${loadavg()[0]?.toFixed(1)}`,
)
while (A.length > 0) {
  const c = await coverAfterShock(A)
  const pi = piOf(A)
  console.log(
    `|A| ${A.length} π(A) ${pi} cheapest after a shock ${c.cost.toFixed(0)} (≥ ${c.bound.toFixed(0)})${c.cost < pi ? ` VALID: R ≥ ${((psi + pi - 1) / total).toFixed(4)} if N(A) has the stake to pad` : ''}`,
  )
  if (c.cost < pi) break
  A = A.slice(0, A.length - Math.max(1, Math.floor((A.length * (c.bound - pi)) / (4 * pi))))
}
