/**
 * Probe (floats; not a proof): the cascade bound as a Benders loop over services. Master: max π(A) over binary A
 * subject to every share vector's knapsack row Σ_{s∈A} w^k_s ≤ cap^k (cascadePool.ts's vectors), by HiGHS; its
 * optimum A* gets a vector of its own (share steps with A* forced in), whose row cuts it off, and again.
 * `npx tsx bench/cascBendersProbe.ts 200 50 1 [seconds]`
 */
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { type Ctx, searchNode } from '../src/risk/cascadeBranch.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { poolVector } from '../src/risk/cascadePool.ts'
import { findCascadeShares, shockCapper } from '../src/risk/cascadeShares.ts'
import { toShares } from '../src/risk/costShare.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, passBuilder, solveMip } from '../src/risk/mip.ts'
import { totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'
import { buildShareCore, FREE, IN, OUT, workspace } from '../src/risk/shareCore.ts'

await loadHighs()
const [ops, svcs, seed, seconds] = process.argv.slice(2).map(Number) as number[]
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
const found = cascadeStart(n, budget, { deadline: performance.now() + 500 }).best.value
const sh = findCascadeShares(n, budget, { budgetMs: 1000, incumbent: found, shareSteps: 300, priceSteps: 60 })
const core = buildShareCore(n)
const unitF = Number(core.unit)
const ctx: Ctx = {
  n,
  core,
  ws: workspace(core),
  base: Float64Array.from(core.profit),
  cover: new Float64Array(core.S),
  psiF: Number(budget) / unitF,
  unitF,
  goal: Number(found) / unitF,
  shockCap: shockCapper(n, core, Number(budget) / unitF),
}
const rootLam = (() => {
  const lam = new Float64Array(core.E)
  const c = sh.shares[0]!
  const scale = Number(c.unit) / Number(core.unit) / Number(c.den)
  c.shares.forEach((row, si) => {
    row.forEach((l, k) => {
      lam[(core.svcStart[si] as number) + k] = Number(l) * scale
    })
  })
  return lam
})()
const highs = await loadHighs()
/** Shares tailored to A: the duals of A's cover LP after a fractional shock within Ψ, fitted to each stake. */
function tailored(A: number[]): Float64Array {
  const V = n.operators.length
  const b = new MipBuilder()
  const x = n.operators.map((o) => b.addVar(Number(o.stake), 0, 1, false))
  const d = n.operators.map(() => b.addVar(0, 0, 1, false))
  for (const si of A) {
    const s = n.services[si]!
    const al = Number(s.threshold.num) / Number(s.threshold.den)
    const row: [number, number][] = []
    let tot = 0
    s.members.forEach((v, k) => {
      const a = Number(s.memberStake[k])
      tot += a
      row.push([x[v] as number, a], [d[v] as number, al * a])
    })
    b.addRow(row, al * tot, Number.POSITIVE_INFINITY)
  }
  b.addRow(
    n.operators.map((o, v) => [d[v] as number, Number(o.stake)] as [number, number]),
    Number.NEGATIVE_INFINITY,
    Number(budget),
  )
  const model = highs.createModel()
  passBuilder(highs, model, b, false, false)
  model.options.set({ output_flag: false })
  model.run()
  const dual = model.getSolution().rowDual
  model.dispose()
  const lam = new Float64Array(core.E)
  const used = new Float64Array(V)
  A.forEach((si, r) => {
    const u = Math.max(0, dual[r] as number)
    const s = n.services[si]!
    s.members.forEach((v, k) => {
      const l = u * Number(s.memberStake[k])
      lam[(core.svcStart[si] as number) + k] = l / unitF
      used[v] = (used[v] as number) + l
    })
  })
  // fit: scale each operator's shares down to its stake
  n.services.forEach((s, si) => {
    s.members.forEach((v, k) => {
      const st = Number(n.operators[v]!.stake)
      const e = (core.svcStart[si] as number) + k
      if ((used[v] as number) > st) lam[e] = ((lam[e] as number) * st) / (used[v] as number)
    })
  })
  if (process.env.FILL) {
    // each operator's stake left over goes to its other services in proportion to the root's shares
    const inA = new Uint8Array(core.S)
    for (const si of A) inA[si] = 1
    const rest = new Float64Array(V)
    n.services.forEach((s, si) => {
      if (inA[si]) return
      s.members.forEach((v, k) => {
        rest[v] = (rest[v] as number) + (rootLam[(core.svcStart[si] as number) + k] as number)
      })
    })
    const usedNow = new Float64Array(V)
    n.services.forEach((s, si) => {
      if (!inA[si]) return
      s.members.forEach((v, k) => {
        usedNow[v] = (usedNow[v] as number) + (lam[(core.svcStart[si] as number) + k] as number)
      })
    })
    n.services.forEach((s, si) => {
      if (inA[si]) return
      s.members.forEach((v, k) => {
        const left = Math.max(0, Number(n.operators[v]!.stake) / unitF - (usedNow[v] as number))
        const f = (rest[v] as number) > 0 ? Math.min(1, left / (rest[v] as number)) : 0
        lam[(core.svcStart[si] as number) + k] =
          (rootLam[(core.svcStart[si] as number) + k] as number) * f * (1 - 1e-9)
      })
    })
  }
  return lam
}
const rows = [poolVector(n, sh.shares[0]!, budget, rootLam)]
const t0 = performance.now()
const profit = n.services.map((s) => Number(s.profit))
const r = (p: number) => ((Number(budget) + Math.max(0, p - 1)) / total).toFixed(4)
console.log(`found ${(Number(found) / total).toFixed(4)} shares ${(Number(sh.bound) / total).toFixed(4)}`)
for (let it = 0; performance.now() - t0 < (seconds as number) * 1000; it++) {
  const b = new MipBuilder()
  const y = n.services.map((_, si) => b.binary(profit[si] as number))
  for (const v of rows)
    b.addRow(
      y.map((c, si) => [c, v.wF[si] as number] as [number, number]),
      Number.NEGATIVE_INFINITY,
      v.capF,
    )
  const t = performance.now()
  const sol = await solveMip(b, { maximize: true, timeLimitSeconds: 5 })
  const ms = performance.now() - t
  const A = y.flatMap((c, si) => ((sol.values?.[c] as number) > 0.5 ? [si] : []))
  if (it % 10 === 0 || A.length === 0)
    console.log(
      `it ${it}: master ${sol.objective.toFixed(0)} (bound ${sol.bound.toFixed(0)}, ${ms.toFixed(0)} ms) → R ≤ ${r(sol.bound)}, |A*| ${A.length}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    )
  if (A.length === 0) break
  const fixed = new Uint8Array(core.S).fill(process.env.OUTREST ? OUT : FREE)
  for (const s of A) fixed[s] = IN
  const lam = process.env.LPDUAL
    ? tailored(A)
    : searchNode(ctx, Float64Array.from(rootLam), fixed, Number(process.env.STEPS ?? 60)).lam
  const v = poolVector(n, toShares(n, lam, core.svcStart), budget, lam)
  const lhs = A.reduce((a, si) => a + (v.wF[si] as number), 0)
  if (it < 3) console.log(`  cut: Σ_A* w ${lhs.toFixed(0)} vs cap ${v.capF.toFixed(0)}`)
  rows.push(v)
}
