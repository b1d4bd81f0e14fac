/**
 * Probe (floats, HiGHS; not a proof): the cover's dual with service prices μ instead of shares. For any μ ≥ 0,
 * `Σ_{s∈A} μ_s α_s σ(N(s)) ≤ Σ_{v∈B} M_v(A) + Σ_{v∈D} Mα_v(A)`, M_v(A) = Σ_{s∈A} μ_s a_vs, and M_v(A) ≤ cost_v +
 * max(0, M_v(A) − σ_v) (whole stake; with allocations when μ ≤ 1): each operator's excess exact for every A, not
 * linearised into shares. μ = t × the searched shares' critical prices (the share per unit of stake of the member
 * each service's fractional cover takes last). HiGHS looks for the largest π(A) that passes
 * `Σ_{s∈A} (μ_s α_s σ(N(s)) − π_s) − Σ_{v∉D} excess_v(A) − Σ_{v∈D} Mα_v(A) ≤ −1` for some shock within Ψ, from the
 * start's cascade. `npx tsx bench/cascPriceProbe.ts 200 50 1 t seconds [1 = allocations]`
 */
import { cascadeShareBound, shockBudget } from '../src/risk/cascadeBound.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { findCascadeShares } from '../src/risk/cascadeShares.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, solveMip } from '../src/risk/mip.ts'
import { serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

await loadHighs()
const [ops, svcs, seed, t, limit, alloc] = process.argv.slice(2).map(Number) as number[]
const membersFor = (ops: number, svcs: number): [number, number] =>
  ops <= 50 ? [5, 20] : ops <= 200 ? [10, 40] : svcs >= 200 ? [25, 100] : [20, 80]
const n = parseRiskInput(
  randomNetwork(createRng(seed as number), {
    operators: ops as number,
    services: svcs as number,
    membersPerService: membersFor(ops as number, svcs as number),
    profitFactor: [0.02, 0.25],
    allocations: alloc === 1,
  }),
)
const total = Number(totalStake(n))
const psi = Number(shockBudget(n, rat(1n, 10n)))
const alpha = (si: number) => Number(n.services[si]?.threshold.num) / Number(n.services[si]?.threshold.den)
const need = (si: number) => alpha(si) * Number(serviceStake(n.services[si]!))
const budget = shockBudget(n, rat(1n, 10n))
const startCascade = cascadeStart(n, budget, { deadline: performance.now() + 500 }).best
const found = startCascade.value
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
// μ_s: the share per unit of stake of the member the fractional cover takes last (cheapest first), times t
const mu = n.services.map((s, si) => {
  const m = s.members.map((_, k) => ({
    a: Number(s.memberStake[k]),
    l: (Number(sh.shares[si]![k]) * Number(sh.unit)) / Number(sh.den),
  }))
  m.sort((p, q) => p.l / p.a - q.l / q.a)
  let left = need(si)
  for (const x of m) {
    left -= x.a
    // with allocations μ ≤ 1, so that M_v(A) ≤ a_v(A) and the excess over min(σ_v, a_v(A)) is max(0, M_v(A) − σ_v)
    if (t === 0) return 1 // t = 0: every price 1 (with allocations: a member pays a token per token it holds)
    if (left <= 0) return Math.min(alloc === 1 ? 1 : Number.POSITIVE_INFINITY, (t as number) * (x.l / x.a))
  }
  return 0
})
const b = new MipBuilder()
const y = n.services.map((s) => b.binary(Number(s.profit)))
const d = n.operators.map(() => b.binary(0))
const z = n.operators.map(() => b.binary(0))
const e = n.operators.map(() => b.addVar(0, 0, Number.POSITIVE_INFINITY, false))
// M_v(y) = Σ_s μ_s a_vs y_s
const M: [number, number][][] = n.operators.map(() => [])
const U: [number, number][] = []
n.services.forEach((s, si) => {
  s.members.forEach((v, k) => {
    const a = Number(s.memberStake[k])
    M[v]!.push([y[si] as number, (mu[si] as number) * a])
    const u = b.addVar(0, 0, 1, false)
    b.addRow(
      [
        [u, 1],
        [y[si] as number, -1],
      ],
      Number.NEGATIVE_INFINITY,
      0,
    )
    b.addRow(
      [
        [u, 1],
        [d[v] as number, -1],
      ],
      Number.NEGATIVE_INFINITY,
      0,
    )
    U.push([u, (mu[si] as number) * alpha(si) * a])
  })
})
n.operators.forEach((o, v) => {
  const big = M[v]!.reduce((acc, [, c]) => acc + c, 0) + Number(o.stake) + 1
  // e ≤ M(y) − σ + big(1 − z); e ≤ big z
  b.addRow(
    [[e[v] as number, 1], ...M[v]!.map(([c, w]) => [c, -w] as [number, number]), [z[v] as number, big]],
    Number.NEGATIVE_INFINITY,
    big - Number(o.stake),
  )
  b.addRow(
    [
      [e[v] as number, 1],
      [z[v] as number, -big],
    ],
    Number.NEGATIVE_INFINITY,
    0,
  )
  // a shocked operator is not in B: its excess is not subtracted (its credit is Mα_v)
  b.addRow(
    [
      [e[v] as number, 1],
      [d[v] as number, big],
    ],
    Number.NEGATIVE_INFINITY,
    big,
  )
})
b.addRow(
  n.operators.map((o, v) => [d[v] as number, Number(o.stake)] as [number, number]),
  Number.NEGATIVE_INFINITY,
  psi,
)
// Σ (μ need − π) y − Σ e − Σ credit ≤ −1
b.addRow(
  [
    ...n.services.map(
      (s, si) => [y[si] as number, (mu[si] as number) * need(si) - Number(s.profit)] as [number, number],
    ),
    ...e.map((c) => [c, -1] as [number, number]),
    ...U.map(([u, w]) => [u, -w] as [number, number]),
  ],
  Number.NEGATIVE_INFINITY,
  -1,
)
// SHARES_ROW=1: the shares' knapsack row beside it (C_s the fractional cover at the shares' prices, the shock
// credited at Ψ: weaker than ρ*, so the row is valid), to see what the two exclude together
if (process.env.SHARES_ROW) {
  const cover = n.services.map((s, si) => {
    const m = s.members.map((_, k) => ({
      a: Number(s.memberStake[k]),
      l: (Number(sh.shares[si]![k]) * Number(sh.unit)) / Number(sh.den),
    }))
    m.sort((p, q) => p.l / p.a - q.l / q.a)
    let left = need(si)
    let c = 0
    for (const x of m) {
      const take = Math.min(1, left / x.a)
      c += take * x.l
      left -= take * x.a
      if (left <= 0) break
    }
    return c
  })
  b.addRow(
    n.services.map(
      (s, si) => [y[si] as number, (cover[si] as number) - Number(s.profit)] as [number, number],
    ),
    Number.NEGATIVE_INFINITY,
    psi - 1,
  )
}
const sol = process.env.NOSOLVE
  ? { objective: 0, bound: 0, status: 'skip' }
  : await solveMip(b, {
      maximize: true,
      timeLimitSeconds: limit as number,
      // the start's services and shock: the price form is a relaxation, so they pass it
      start: {
        indices: [
          ...(startCascade.attack?.services ?? []).map((si) => y[si] as number),
          ...startCascade.shock.map((v) => d[v] as number),
        ],
        values: [...(startCascade.attack?.services ?? []).map(() => 1), ...startCascade.shock.map(() => 1)],
      },
    })
console.log(
  `t ${t}: π(A) found ${sol.objective.toFixed(0)} (R ≥ ${((psi + sol.objective - 1) / total).toFixed(4)}), bound ${sol.bound.toFixed(0)} (R ≤ ${((psi + sol.bound - 1) / total).toFixed(4)}), ${sol.status}; Ψ ${psi} σ(V) ${total}`,
)
{
  // A = every service: the shares' Σ C_s against the prices' Σ μ need − Σ excess (never below it)
  let sumC = 0,
    sumMuNeed = 0,
    sumPi = 0
  const Mv = n.operators.map(() => 0),
    Lv = n.operators.map(() => 0)
  n.services.forEach((s, si) => {
    const m = s.members.map((v, k) => ({
      v,
      a: Number(s.memberStake[k]),
      l: (Number(sh.shares[si]![k]) * Number(sh.unit)) / Number(sh.den),
    }))
    for (const x of m) {
      Mv[x.v]! += (mu[si] as number) * x.a
      Lv[x.v]! += x.l
    }
    m.sort((p, q) => p.l / p.a - q.l / q.a)
    let left = need(si),
      c = 0
    for (const x of m) {
      const take = Math.min(1, left / x.a)
      c += take * x.l
      left -= take * x.a
      if (left <= 0) break
    }
    sumC += c
    sumMuNeed += (mu[si] as number) * need(si)
    sumPi += Number(s.profit)
  })
  let E = 0,
    over = 0
  n.operators.forEach((o, v) => {
    E += Math.max(0, (Mv[v] as number) - Number(o.stake))
    over = Math.max(over, (Lv[v] as number) - Number(o.stake))
  })
  console.log({ sumC, sumMuNeed, E, sumPi, over })
}
if (!process.env.NOSOLVE && (sol as { values: Float64Array | null }).values) {
  const v = (sol as { values: Float64Array }).values
  const ys = y.filter((c) => (v[c] as number) > 0.5).length
  const es = e.reduce((a, c) => a + (v[c] as number), 0)
  const cr = U.reduce((a, [u, w]) => a + w * (v[u] as number), 0)
  const dsum = n.operators.reduce((a, o, i) => a + Number(o.stake) * (v[d[i] as number] as number), 0)
  const lhs = n.services.reduce(
    (a, s, si) => a + ((mu[si] as number) * need(si) - Number(s.profit)) * (v[y[si] as number] as number),
    0,
  )
  let eTrue = 0
  n.operators.forEach((o, i) => {
    eTrue += Math.max(0, M[i]!.reduce((a, [c, w]) => a + w * (v[c] as number), 0) - Number(o.stake))
  })
  console.log({ ys, es, eTrue, cr, dsum, lhs })
}
