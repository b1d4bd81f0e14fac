/**
 * Probe (floats, HiGHS; not a proof): is the cascade start locally best over A? From the start's attacked services,
 * each service outside A is tried in turn (most profit first): A ∪ {s} is kept when its cheapest coalition after the
 * best shock within Ψ (A fixed: each operator costs min(σ_v, a_v(A)); HiGHS, `--seconds` each) costs below π(A ∪ s),
 * then swaps (one service of A out for one outside of larger profit). Prints what it reaches in points of R_ψ
 * (Ψ + π(A) − 1, if N(A) has the stake to pad) and how many candidates HiGHS proved infeasible.
 * `npx tsx bench/allocLocalProbe.ts --regime hard --size 1000x100 --seed 1 [--seconds 3] [--whole]`
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, solveMip } from '../src/risk/mip.ts'
import { totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'
import { addShockCoverRows } from './shockCoverRows.ts'

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'hard' },
    size: { type: 'string', default: '1000x100' },
    seed: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '3' },
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
const budget = shockBudget(n, rat(1n, 10n))
const psi = Number(budget)
async function coverAfterShock(A: number[]): Promise<{ cost: number; bound: number }> {
  const onA = n.operators.map(() => 0)
  for (const si of A)
    n.services[si]?.members.forEach((v, k) => {
      onA[v] = (onA[v] as number) + Number(n.services[si]?.memberStake[k])
    })
  const b = new MipBuilder()
  const x = n.operators.map((o, v) => b.binary(Math.min(Number(o.stake), onA[v] as number)))
  const d = n.operators.map(() => b.binary(0))
  addShockCoverRows(b, n, A, x, d, psi)
  const sol = await solveMip(b, { maximize: false, timeLimitSeconds: Number(values.seconds) })
  return {
    cost: sol.status === 'infeasible' ? Number.POSITIVE_INFINITY : sol.objective,
    bound: sol.status === 'infeasible' ? Number.POSITIVE_INFINITY : sol.bound,
  }
}
const piOf = (A: number[]) => A.reduce((a, si) => a + Number(n.services[si]?.profit), 0)
const R = (A: number[]) => ((psi + piOf(A) - 1) / total).toFixed(4)
const h = cascadeStart(n, budget, {})
let A = [...(h.best.attack?.services ?? [])]
console.log(
  `${values.regime} ${values.size} seed ${values.seed}: σ(V) ${total} Ψ ${psi}; start ${(Number(h.best.value) / total).toFixed(4)} A=${A.join(',')} π(A) ${piOf(A)} (its ceiling ${R(A)}); load ${loadavg()[0]?.toFixed(1)}`,
)
const byProfit = n.services
  .map((_, s) => s)
  .sort((i, j) => Number(n.services[j]?.profit) - Number(n.services[i]?.profit))
let improved = true
while (improved) {
  improved = false
  let provenOut = 0
  for (const s of byProfit) {
    if (A.includes(s)) continue
    const B = [...A, s]
    const c = await coverAfterShock(B)
    if (c.bound >= piOf(B)) provenOut++
    if (c.cost < piOf(B)) {
      A = B
      improved = true
      console.log(
        `  + ${s}: |A| ${A.length} π(A) ${piOf(A)} cost ${c.cost.toFixed(0)} → R ${R(A)}; load ${loadavg()[0]?.toFixed(1)}`,
      )
      break
    }
  }
  if (improved) continue
  console.log(`  no add: ${provenOut} of ${n.services.length - A.length} proven out`)
  // swaps: one out, one in of larger profit
  swap: for (const out of [...A]) {
    for (const s of byProfit) {
      if (A.includes(s) || Number(n.services[s]?.profit) <= Number(n.services[out]?.profit)) continue
      const B = [...A.filter((t) => t !== out), s]
      const c = await coverAfterShock(B)
      if (c.cost < piOf(B)) {
        A = B
        improved = true
        console.log(`  ${out} → ${s}: π(A) ${piOf(A)} cost ${c.cost.toFixed(0)} → R ${R(A)}`)
        break swap
      }
    }
  }
}
console.log(`local best: A=${A.join(',')} π(A) ${piOf(A)} R ≤ ${R(A)}; load ${loadavg()[0]?.toFixed(1)}`)
