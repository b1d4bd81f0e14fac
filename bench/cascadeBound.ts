/**
 * The cascade's exact bound on the bench's 1,000 × 100 networks (ψ = 0.1) for the same searched shares, four ways:
 * the shock credited α_s λ_vs per member (before the cover's price), κ_vs (cascadeBound.ts's shockShares), and κ
 * split by the linking LP's duals (cascadeSplit.ts) or by 1,000 subgradient steps (cascadeSplitStep.ts), with their
 * times. Shares from findCascadeShares at 300 share and 60 price steps, time unlimited (so the bounds do not move
 * with the load).
 * Run: npx tsx bench/cascadeBound.ts [boundary|hard] [--allocations] [--seeds 3]
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { cascadeShareBound, cascadeSplitBound, shockBudget } from '../src/risk/cascadeBound.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { findCascadeShares } from '../src/risk/cascadeShares.ts'
import { findShockSplit } from '../src/risk/cascadeSplit.ts'
import { stepShockSplit } from '../src/risk/cascadeSplitStep.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { allocations: { type: 'boolean', default: false }, seeds: { type: 'string', default: '3' } },
})
const REGIMES: Record<string, [number, number]> = { boundary: [0.02, 0.25], hard: [0.05, 0.35] }
const regime = positionals[0] ?? 'boundary'
const ceilDiv = (p: bigint, q: bigint) => {
  const d = p / q
  return d * q < p ? d + 1n : d
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
for (let seed = 1; seed <= Number(values.seeds); seed++) {
  const n = parseRiskInput(
    randomNetwork(createRng(seed), {
      operators: 1000,
      services: 100,
      membersPerService: [20, 80],
      allocations: values.allocations,
      profitFactor: REGIMES[regime],
    }),
  )
  const budget = shockBudget(n, rat(1n, 10n))
  const total = Number(totalStake(n))
  const found = cascadeStart(n, budget, { deadline: performance.now() + 500 }).best.value
  const sh = findCascadeShares(n, budget, {
    budgetMs: 600_000,
    incumbent: found,
    shareSteps: 300,
    priceSteps: 60,
  }).shares[0]
  if (!sh) continue
  const zero = n.services.map((s) => s.members.map(() => 0n))
  // the credit before: α_s λ_vs per member, rounded up
  const alphaLambda = n.services.map((s, si) =>
    s.members.map((_, k) => ceilDiv((sh.shares[si]?.[k] ?? 0n) * s.threshold.num, s.threshold.den)),
  )
  const before = cascadeSplitBound(n, sh, budget, zero, alphaLambda)
  const kappa = cascadeShareBound(n, sh, budget)
  const t = performance.now()
  const split = await findShockSplit(n, sh, budget, 60)
  const ms = performance.now() - t
  const after = split ? cascadeSplitBound(n, sh, budget, split) : null
  const t2 = performance.now()
  const stepped = stepShockSplit(n, sh, budget, {
    deadline: Number.POSITIVE_INFINITY,
    target: found,
    maxSteps: 1000,
  })
  const bySteps = stepped ? cascadeSplitBound(n, sh, budget, stepped) : null
  const stepMs = performance.now() - t2
  const r = (x: bigint | null) => (x === null ? 'none' : (Number(x) / total).toFixed(4))
  console.log(
    `${regime} ${values.allocations ? 'allocations' : 'whole-stake'} seed ${seed}: found ${r(found)}  αλ ${r(before)}  κ ${r(kappa)}  split ${r(after)} (LP ${ms.toFixed(0)} ms)  steps ${r(bySteps)} (${stepMs.toFixed(0)} ms)`,
  )
}
