/**
 * Probe (floats; not a proof): best-first branching over services with the price-form node bound — fixed service
 * prices μ (the searched shares' critical prices × t), each operator's excess max(0, M_v(A) − σ_v) exact on IN and
 * bounded by its chord over [M_v(IN), M_v(IN ∪ FREE)] for the FREE services.
 * `npx tsx bench/cascPriceBranchProbe.ts 200 50 1 [t] [seconds]`
 */
import { cascadeShareBound, shockBudget } from '../src/risk/cascadeBound.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { findCascadeShares } from '../src/risk/cascadeShares.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { MaxHeap } from '../src/risk/maxHeap.ts'
import { serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

const [ops, svcs, seed, tArg, secArg, alloc] = process.argv.slice(2).map(Number) as number[]
const t = tArg ?? 1
const seconds = secArg ?? 20
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
const budget = shockBudget(n, rat(1n, 10n))
const psi = Number(budget)
const found = Number(cascadeStart(n, budget, { deadline: performance.now() + 500 }).best.value)
const sh = findCascadeShares(n, budget, {
  budgetMs: 600_000,
  incumbent: BigInt(found),
  shareSteps: 300,
  priceSteps: 60,
}).shares[0]!
const shareBound = cascadeShareBound(n, sh, budget)
console.log(
  `found ${found} (R ${(found / total).toFixed(4)}), shares' bound ${shareBound} (R ${(Number(shareBound) / total).toFixed(4)})`,
)
const S = n.services.length
const V = n.operators.length
const alpha = n.services.map((s) => Number(s.threshold.num) / Number(s.threshold.den))
const need = n.services.map((s, si) => (alpha[si] as number) * Number(serviceStake(s)))
const profit = n.services.map((s) => Number(s.profit))
const stake = n.operators.map((o) => Number(o.stake))
const mu = n.services.map((s, si) => {
  const m = s.members.map((_, k) => ({
    a: Number(s.memberStake[k]),
    l: (Number(sh.shares[si]![k]) * Number(sh.unit)) / Number(sh.den),
  }))
  m.sort((p, q) => p.l / p.a - q.l / q.a)
  let left = need[si] as number
  for (const x of m) {
    left -= x.a
    // with allocations μ ≤ 1, so that the excess over min(σ_v, a_v(A)) is max(0, M_v(A) − σ_v)
    if (left <= 0) return Math.min(alloc === 1 ? 1 : Number.POSITIVE_INFINITY, t * (x.l / x.a))
  }
  return 0
})
const E = (v: number, m: number) => Math.max(0, m - (stake[v] as number))
type Node = { state: Uint8Array; bound: number } // 0 FREE, 1 IN, 2 OUT
const m0 = new Float64Array(V)
const m1 = new Float64Array(V)
const ma1 = new Float64Array(V)
const lossIn = new Float64Array(V)
function bound(state: Uint8Array): { value: number; split: number } {
  m0.fill(0)
  m1.fill(0)
  ma1.fill(0)
  lossIn.fill(0)
  n.services.forEach((s, si) => {
    if (state[si] === 2) return
    s.members.forEach((v, k) => {
      const c = (mu[si] as number) * Number(s.memberStake[k])
      m1[v]! += c
      ma1[v]! += (alpha[si] as number) * c
      if (state[si] === 1) {
        m0[v]! += c
        lossIn[v]! += (1 - (alpha[si] as number)) * c
      }
    })
  })
  // shock credit: fractional knapsack of g_v = min(σ_v, Mα_v(IN ∪ FREE)) over σ_v
  const order = Array.from({ length: V }, (_, v) => v).filter((v) => (stake[v] as number) > 0)
  const g = (v: number) =>
    Math.max(0, Math.min((stake[v] as number) - (lossIn[v] as number), ma1[v] as number))
  order.sort((a, b) => g(b) / (stake[b] as number) - g(a) / (stake[a] as number))
  let room = psi
  let rho = 0
  for (const v of order) {
    const take = Math.min(1, room / (stake[v] as number))
    rho += take * g(v)
    room -= take * (stake[v] as number)
    if (room <= 0) break
  }
  let cap = rho - 1
  let piIn = 0
  const slope = new Float64Array(V)
  for (let v = 0; v < V; v++) {
    const e0 = E(v, m0[v] as number)
    cap += e0
    const d = (m1[v] as number) - (m0[v] as number)
    slope[v] = d > 0 ? (E(v, m1[v] as number) - e0) / d : 0
  }
  const items: { s: number; w: number }[] = []
  n.services.forEach((s, si) => {
    if (state[si] === 2) return
    if (state[si] === 1) {
      cap -= (mu[si] as number) * (need[si] as number) - (profit[si] as number)
      piIn += profit[si] as number
      return
    }
    let w = (mu[si] as number) * (need[si] as number) - (profit[si] as number)
    s.members.forEach((v, k) => {
      w -= (slope[v] as number) * (mu[si] as number) * Number(s.memberStake[k])
    })
    items.push({ s: si, w })
  })
  let value = piIn
  let split = -1
  for (const it of items)
    if (it.w <= 0) {
      value += profit[it.s] as number
      cap -= it.w
    }
  if (cap < 0) return { value: state.includes(1) ? Number.NEGATIVE_INFINITY : 0, split }
  const pos = items.filter((it) => it.w > 0 && (profit[it.s] as number) > 0)
  pos.sort((a, b) => (profit[b.s] as number) / b.w - (profit[a.s] as number) / a.w)
  for (const it of pos) {
    if (it.w <= cap) {
      value += profit[it.s] as number
      cap -= it.w
    } else {
      value += ((profit[it.s] as number) * cap) / it.w
      split = it.s
      break
    }
  }
  if (split < 0) {
    // branch on a taken FREE service of the largest profit
    let bestP = -1
    for (const it of items)
      if (it.w <= 0 || pos.includes(it))
        if ((profit[it.s] as number) > bestP) {
          bestP = profit[it.s] as number
          split = it.s
        }
  }
  return { value: psi + value - 1, split }
}
const root = new Uint8Array(S)
const rb = bound(root)
console.log(`root price bound R ≤ ${(rb.value / total).toFixed(4)}`)
const heap = new MaxHeap<Node & { split: number }>()
heap.push(rb.value, { state: root, bound: rb.value, split: rb.split })
let nodes = 0
let leaves = -Infinity
const t0 = performance.now()
let lastPrint = t0
while (heap.size > 0 && performance.now() - t0 < seconds * 1000) {
  const node = heap.pop()!
  if (node.bound <= found) break
  nodes++
  if (node.split < 0) {
    leaves = Math.max(leaves, node.bound)
    continue
  }
  for (const st of [1, 2]) {
    const state = node.state.slice()
    state[node.split] = st
    const b = bound(state)
    const v = Math.min(b.value, node.bound)
    if (v > found) heap.push(v, { state, bound: v, split: b.split })
  }
  if (performance.now() - lastPrint > 2000) {
    lastPrint = performance.now()
    console.log(
      `  ${nodes} nodes, open ${heap.size}, best open R ≤ ${((heap.size ? heap.top : found) / total).toFixed(4)}`,
    )
  }
}
const top = Math.max(heap.size ? heap.top : found, leaves, found)
console.log(
  `t ${t}: ${nodes} nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s, R ≤ ${(top / total).toFixed(4)}${heap.size === 0 ? ' (closed)' : ''}`,
)
