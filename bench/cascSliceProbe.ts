/**
 * Probe (floats, HiGHS LPs; not a proof): the cascade bound sliced by π(A). For P ∈ [P0, P1] a shock must hold
 * h_s = σ(N(s)) − (P1 − 1)/α_s of each attacked service; with the cost shares' knapsack row beside it.
 * `npx tsx bench/cascSliceProbe.ts 200 50 1 [split]`
 */
import { coverExcess, shockBudget, shockEdgeCredits } from '../src/risk/cascadeBound.ts'
import { findCascadeShares } from '../src/risk/cascadeShares.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, solveMip } from '../src/risk/mip.ts'
import { serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

await loadHighs()
const [ops, svcs, seed] = process.argv.slice(2).map(Number) as [number, number, number]
const mode = process.argv[5] ?? 'plain'
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
const budget = shockBudget(n, rat(1n, 10n))
const psi = Number(budget)
const sumPi = n.services.reduce((a, s) => a + Number(s.profit), 0)
const t0 = performance.now()
const sh = findCascadeShares(n, budget, { budgetMs: 3000, shareSteps: 300, priceSteps: 60 })
const shares = sh.shares[0]!
const toAmt = (x: bigint) => (Number(x) * Number(shares.unit)) / Number(shares.den)
const w = coverExcess(n, shares).map(toAmt)
const kap = shockEdgeCredits(n, shares).map((r) => r.map(toAmt))
console.log(
  `shares bound R ≤ ${(Number(sh.bound) / total).toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
)
async function lp(P1: number, useShares: boolean): Promise<number> {
  const b = new MipBuilder()
  const y = n.services.map((s) => b.addVar(Number(s.profit), 0, 1, false))
  const d = n.operators.map(() => b.addVar(0, 0, 1, false))
  n.services.forEach((s, si) => {
    const a = Number(s.threshold.num) / Number(s.threshold.den)
    const h = Number(serviceStake(s)) - (P1 - 1) / a
    if (h <= 0) return
    b.addRow(
      [
        [y[si] as number, -h],
        ...s.members.map((v, k) => [d[v] as number, Number(s.memberStake[k])] as [number, number]),
      ],
      0,
      Number.POSITIVE_INFINITY,
    )
  })
  b.addRow(
    n.operators.map((o, v) => [d[v] as number, Number(o.stake)] as [number, number]),
    Number.NEGATIVE_INFINITY,
    psi,
  )
  if (useShares) {
    // Σ w_s y_s − Σ κ_vs e_vs ≤ −1 with e_vs ≤ y_s, e_vs ≤ d_v (split) or Σ_v κ_v d_v (plain)
    const row: [number, number][] = n.services.map((_, si) => [y[si] as number, w[si] as number])
    n.services.forEach((s, si) => {
      s.members.forEach((v, k) => {
        const kp = kap[si]?.[k] ?? 0
        if (kp <= 0) return
        if (mode === 'split') {
          const e = b.addVar(0, 0, 1, false)
          b.addRow(
            [
              [e, 1],
              [y[si] as number, -1],
            ],
            Number.NEGATIVE_INFINITY,
            0,
          )
          b.addRow(
            [
              [e, 1],
              [d[v] as number, -1],
            ],
            Number.NEGATIVE_INFINITY,
            0,
          )
          row.push([e, -kp])
        } else row.push([d[v] as number, -kp])
      })
    })
    b.addRow(row, Number.NEGATIVE_INFINITY, -1)
  }
  const sol = await solveMip(b, { maximize: true })
  return sol.status === 'infeasible' ? 0 : sol.objective
}
if (process.env.SCAN) {
  for (const P of [150, 200, 300, 400, 600, 800, 1000, 1500, 2000, 2500, 3000, 3500]) {
    console.log(
      `P1 ${P}: LP ${(await lp(P, false)).toFixed(0)} with shares ${(await lp(P, true)).toFixed(0)}`,
    )
  }
  process.exit(0)
}
for (const useShares of [false, true]) {
  let top = sumPi
  let pstar = 0
  let lps = 0
  while (top > 1) {
    const lo = top / 1.05
    const v = await lp(top, useShares)
    lps++
    if (v >= lo) {
      pstar = top
      break
    }
    top = lo
  }
  console.log(
    `seed ${seed} ${ops}x${svcs} shares=${useShares} ${mode}: σ(V) ${total} Ψ ${psi} Σπ ${sumPi} P* ${pstar.toFixed(0)} → R ≤ ${((psi + pstar - 1) / total).toFixed(4)} (${lps} LPs, ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  )
}
