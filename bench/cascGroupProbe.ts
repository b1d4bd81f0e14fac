/**
 * Probe (floats, HiGHS; not a proof): services in groups of g; each operator's stake split between the groups by
 * the searched shares (slack spread alike); per group and per subset of it the fractional cover's cost with the
 * operators' group parts as prices; then the multiple-choice knapsack max Σ π(A_g) s.t. Σ (L_g(A_g) − π(A_g)) ≤ Ψ − 1.
 * `npx tsx bench/cascGroupProbe.ts 200 50 1 10 [allocations]`
 */
import { cascadeShareBound, shockBudget } from '../src/risk/cascadeBound.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { findCascadeShares } from '../src/risk/cascadeShares.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, passBuilder } from '../src/risk/mip.ts'
import { serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

const highs = await loadHighs()
const [ops, svcs, seed, gsize] = process.argv.slice(2).map(Number) as number[]
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
const budget = shockBudget(n, rat(1n, 10n))
const psi = Number(budget)
const found = cascadeStart(n, budget, { deadline: performance.now() + 500 }).best.value
const sh = findCascadeShares(n, budget, {
  budgetMs: 600_000,
  incumbent: found,
  shareSteps: 300,
  priceSteps: 60,
}).shares[0]!
const shareBound = cascadeShareBound(n, sh, budget)
console.log(
  `found ${found} (R ${(Number(found) / total).toFixed(4)}), shares' bound ${shareBound} (R ${(Number(shareBound) / total).toFixed(4)})`,
)
const alpha = (si: number) => Number(n.services[si]?.threshold.num) / Number(n.services[si]?.threshold.den)
const lam = (si: number, k: number) => (Number(sh.shares[si]![k]) * Number(sh.unit)) / Number(sh.den)
const G = Math.ceil(n.services.length / (gsize as number))
const groupOf = (si: number) => Math.floor(si / (gsize as number))
// split: σ_v^g = Σ_{s∈g} λ_vs + slack · (a_v(g) / a_v(S))
const part = n.operators.map(() => new Float64Array(G))
const onG = n.operators.map(() => new Float64Array(G))
const lsum = n.operators.map(() => 0)
const asum = n.operators.map(() => 0)
n.services.forEach((s, si) => {
  s.members.forEach((v, k) => {
    part[v]![groupOf(si)]! += lam(si, k)
    lsum[v]! += lam(si, k)
    onG[v]![groupOf(si)]! += Number(s.memberStake[k])
    asum[v]! += Number(s.memberStake[k])
  })
})
n.operators.forEach((o, v) => {
  const slack = Number(o.stake) - (lsum[v] as number)
  for (let g = 0; g < G; g++)
    if ((asum[v] as number) > 0) part[v]![g]! += (slack * (onG[v]![g] as number)) / (asum[v] as number)
})
const t0 = performance.now()
// per group: for each subset, the cover LP min Σ σ^g_v x_v over the members of its services
const options: { pi: number; w: number }[][] = []
for (let g = 0; g < G; g++) {
  const svc = n.services.map((_, si) => si).filter((si) => groupOf(si) === g)
  const opts: { pi: number; w: number }[] = []
  for (let mask = 1; mask < 1 << svc.length; mask++) {
    const A = svc.filter((_, i) => (mask >> i) & 1)
    const b = new MipBuilder()
    const col = new Map<number, number>()
    for (const si of A)
      for (const v of n.services[si]!.members)
        if (!col.has(v)) col.set(v, b.addVar(part[v]![g] as number, 0, 1, false))
    for (const si of A) {
      const s = n.services[si]!
      b.addRow(
        s.members.map((v, k) => [col.get(v) as number, Number(s.memberStake[k])] as [number, number]),
        alpha(si) * Number(serviceStake(s)),
        Number.POSITIVE_INFINITY,
      )
    }
    const model = highs.createModel()
    passBuilder(highs, model, b, false, false)
    model.options.set({ output_flag: false })
    model.run()
    const L = model.getObjectiveValue()
    model.dispose()
    const pi = A.reduce((a, si) => a + Number(n.services[si]!.profit), 0)
    opts.push({ pi, w: L - pi })
  }
  options.push(opts)
}
// multiple-choice knapsack, DP over the weight in whole units (weights floored), capacity Ψ − 1
const cap = psi - 1
let best = new Float64Array(cap + 1).fill(Number.NEGATIVE_INFINITY)
// negative weights: shift by their sum
best[0] = 0
const negs = options.map((opts) => Math.min(0, ...opts.map((o) => Math.floor(o.w))))
const offset = -negs.reduce((a, b) => a + b, 0)
const size = cap + offset + 1
best = new Float64Array(size).fill(Number.NEGATIVE_INFINITY)
best[0] = 0
for (const [gi, opts] of options.entries()) {
  const neg = negs[gi] as number
  const next = new Float64Array(size).fill(Number.NEGATIVE_INFINITY)
  const prev = best
  for (let c = 0; c < prev.length; c++) {
    if (prev[c] === Number.NEGATIVE_INFINITY) continue
    if ((prev[c] as number) > (next[c] as number)) next[c] = prev[c] as number
    for (const o of opts) {
      const c2 = c + Math.floor(o.w) - neg
      if (c2 >= 0 && c2 < size && (prev[c] as number) + o.pi > (next[c2] as number))
        next[c2] = (prev[c] as number) + o.pi
    }
  }
  best = next
}
let P = 0
for (let c = 0; c <= cap + offset; c++) if ((best[c] as number) > P) P = best[c] as number
console.log(
  `groups of ${gsize}: P ${P} → R ≤ ${((psi + P - 1) / total).toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
)
