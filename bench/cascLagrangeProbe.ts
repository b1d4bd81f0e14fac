/**
 * Probe (floats, HiGHS MIPs; not a proof): the Lagrangian of the cascade over validity (θ) and the shock budget (φ).
 * For θ > 1, φ ≥ 0: R σ(V) ≤ Ψ − θ + (θ − 1)(φΨ + M), M = max θ/(θ−1)·π(A) − cost(B) − φσ(D) over (A, B, D) that meet
 * the thresholds after D (no budget, no validity). M is bounded here by HiGHS's dual bound.
 * `npx tsx bench/cascLagrangeProbe.ts 200 50 1`
 */
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, solveMip } from '../src/risk/mip.ts'
import { serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

await loadHighs()
const [ops, svcs, seed, limit] = process.argv.slice(2).map(Number) as [number, number, number, number]
const membersFor = (ops: number, svcs: number): [number, number] =>
  ops <= 50 ? [5, 20] : ops <= 200 ? [10, 40] : svcs >= 200 ? [25, 100] : [20, 80]
const n = parseRiskInput(
  randomNetwork(createRng(seed), {
    operators: ops,
    services: svcs,
    membersPerService: membersFor(ops, svcs),
    profitFactor: [0.02, 0.25],
  }),
)
const total = Number(totalStake(n))
const psi = Number(shockBudget(n, rat(1n, 10n)))
async function M(theta: number, phi: number): Promise<{ lo: number; hi: number; A: number; D: number }> {
  const b = new MipBuilder()
  const tp = theta / (theta - 1)
  const y = n.services.map((s) => b.binary(tp * Number(s.profit)))
  const x = n.operators.map((o) => b.binary(-Number(o.stake)))
  const d = n.operators.map((o) => b.binary(-phi * Number(o.stake)))
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
    const a = Number(s.threshold.num) / Number(s.threshold.den)
    const row: [number, number][] = [[y[si] as number, -a * Number(serviceStake(s))]]
    s.members.forEach((v, k) => {
      row.push([x[v] as number, Number(s.memberStake[k])], [d[v] as number, a * Number(s.memberStake[k])])
    })
    b.addRow(row, 0, Number.POSITIVE_INFINITY)
    // disaggregated: a member counts only on an attacked service
    s.members.forEach((v) => {
      b.addRow(
        [
          [x[v] as number, 1],
          [d[v] as number, 1],
          [y[si] as number, -1],
        ],
        Number.NEGATIVE_INFINITY,
        Number.POSITIVE_INFINITY,
      )
    })
  })
  const sol = await solveMip(b, { maximize: true, timeLimitSeconds: limit })
  const v = sol.values
  const A = v ? y.filter((c) => (v[c] as number) > 0.5).length : 0
  const D = v
    ? n.operators.reduce((a, o, i) => a + ((v[d[i] as number] as number) > 0.5 ? Number(o.stake) : 0), 0)
    : 0
  return { lo: sol.objective, hi: sol.bound, A, D }
}
let best = Number.POSITIVE_INFINITY
for (const theta of (process.env.THETAS ?? '1.25,1.5,2,3').split(',').map(Number)) {
  for (const phi of (process.env.PHIS ?? '0.2,0.3,0.4,0.5,0.6').split(',').map(Number)) {
    const m = await M(theta, phi)
    const bound = (psi - theta + (theta - 1) * (phi * psi + Math.max(0, m.hi))) / total
    const found = (psi - theta + (theta - 1) * (phi * psi + Math.max(0, m.lo))) / total
    best = Math.min(best, bound)
    console.log(
      `θ ${theta} φ ${phi}: M ∈ [${m.lo.toFixed(0)}, ${m.hi.toFixed(0)}] (|A| ${m.A}, σ(D) ${m.D}) → R ≤ ${bound.toFixed(4)} (at the found M ${found.toFixed(4)})`,
    )
  }
}
console.log(`seed ${seed}: best Lagrangian bound ${best.toFixed(4)}`)
