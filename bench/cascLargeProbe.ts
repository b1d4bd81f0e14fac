/**
 * Probe (floats, HiGHS; not a proof): are large cascades there? A from the Lagrangian MIP (cascLagrangeProbe.ts) at
 * (θ, φ), then, for that A fixed, the cheapest coalition after the best shock within Ψ (a MIP); then services with
 * the worst profit per cover dropped one at a time. `npx tsx bench/cascLargeProbe.ts 200 50 1 [θ φ seconds]`
 */
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, solveMip } from '../src/risk/mip.ts'
import { serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'
import { addShockCoverRows } from './shockCoverRows.ts'

await loadHighs()
const [ops, svcs, seed, theta, phi, limit] = process.argv.slice(2).map(Number) as number[]
const membersFor = (ops: number, svcs: number): [number, number] =>
  ops <= 50 ? [5, 20] : ops <= 200 ? [10, 40] : svcs >= 200 ? [25, 100] : [20, 80]
const n = parseRiskInput(
  randomNetwork(createRng(seed as number), {
    operators: ops as number,
    services: svcs as number,
    membersPerService: membersFor(ops as number, svcs as number),
    profitFactor: [0.02, 0.25],
  }),
)
const total = Number(totalStake(n))
const psi = Number(shockBudget(n, rat(1n, 10n)))
const alpha = (si: number) => Number(n.services[si]?.threshold.num) / Number(n.services[si]?.threshold.den)
/** Lagrangian MIP (θ, φ); A of its best solution. */
async function lagrangeA(): Promise<number[]> {
  const b = new MipBuilder()
  const tp = (theta as number) / ((theta as number) - 1)
  const y = n.services.map((s) => b.binary(tp * Number(s.profit)))
  const x = n.operators.map((o) => b.binary(-Number(o.stake)))
  const d = n.operators.map((o) => b.binary(-(phi as number) * Number(o.stake)))
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
  const sol = await solveMip(b, { maximize: true, timeLimitSeconds: limit as number })
  const v = sol.values as Float64Array
  return y.flatMap((c, si) => ((v[c] as number) > 0.5 ? [si] : []))
}
/** For A fixed: min σ(B) after a shock within Ψ. */
async function coverAfterShock(A: number[], lp = false): Promise<{ cost: number; bound: number }> {
  const b = new MipBuilder()
  const x = n.operators.map((o) => b.addVar(Number(o.stake), 0, 1, !lp))
  const d = n.operators.map(() => b.addVar(0, 0, 1, !lp))
  addShockCoverRows(b, n, A, x, d, psi)
  const sol = await solveMip(b, { maximize: false, timeLimitSeconds: limit as number })
  return { cost: sol.objective, bound: sol.bound }
}
let A = await lagrangeA()
const piOf = (A: number[]) => A.reduce((a, si) => a + Number(n.services[si]?.profit), 0)
while (A.length > 0) {
  const c = await coverAfterShock(A)
  const l = await coverAfterShock(A, true)
  console.log(
    `|A| ${A.length} π(A) ${piOf(A)} LP cover after shock ${l.cost.toFixed(0)}; MIP ${c.cost.toFixed(0)} (≥ ${c.bound.toFixed(0)})${c.cost < piOf(A) ? ` VALID: R ≥ ${((psi + piOf(A) - 1) / total).toFixed(4)}` : ''}`,
  )
  if (c.bound >= piOf(A) + 2000 && A.length > 30) {
    // drop a third, by the lowest profit per member stake
    A.sort(
      (i, j) =>
        Number(n.services[j]!.profit) / alpha(j) / Number(serviceStake(n.services[j]!)) -
        Number(n.services[i]!.profit) / alpha(i) / Number(serviceStake(n.services[i]!)),
    )
    A = A.slice(0, Math.floor(A.length * 0.8))
  } else {
    A.sort(
      (i, j) =>
        Number(n.services[j]!.profit) / alpha(j) / Number(serviceStake(n.services[j]!)) -
        Number(n.services[i]!.profit) / alpha(i) / Number(serviceStake(n.services[i]!)),
    )
    A = A.slice(0, A.length - 1)
  }
  if (A.length < 25) break
}
