/**
 * A local step after the cascade start (cascadeHeuristic.ts): services added to the start's attacked set A one at a
 * time, each A ∪ {s} planned afresh as a whole — a shock within the budget and a coalition meeting every threshold
 * after it — and kept when that coalition costs at most π(A ∪ {s}) − 1. The greedy start plans each service once, in
 * the order it opens them, with the shock and coalition it has already chosen; a joint plan re-chooses both for the
 * set, and opens services the greedy could not (issue 14: HiGHS, given A ∪ {s} fixed, found hard 1,000 × 100 seed 1's
 * start of 4 services extended by a fifth, R_ψ 0.1287 → 0.1358; bench/allocLocalProbe.ts).
 *
 * The plan (floats; every result is checked exactly by the caller, and one that fails is not used):
 *  1. the shock: members of N(A) by the threshold they remove per unit of stake, Σ_{s∈A} α_s a_vs / σ_v, largest
 *     first, while the budget holds;
 *  2. the coalition: a greedy multicover — the member covering most of the remaining needs per unit of its cost
 *     min(σ_v, a_v(A)) next (lazily re-scored: a score only falls as needs are met);
 *  3. reverse deletion: bought members, dearest first, dropped while every threshold still holds without them.
 */
import { MaxHeap } from './maxHeap.ts'
import type { Network } from './network.ts'

export type JointPlan = { shock: number[]; buy: number[]; cost: number }

/**
 * The joint plan for A fixed, or null when the greedy cannot meet every threshold. `sigma` and `alpha` are the
 * operators' stakes and the services' thresholds in floats; `byOp[v]` lists v's services with its allocation.
 */
export function jointPlan(
  n: Network,
  A: readonly number[],
  budget: number,
  sigma: Float64Array,
  alpha: Float64Array,
  byOp: readonly { service: number; stake: bigint }[][],
): JointPlan | null {
  const inA = new Map<number, number>() // service → its index in `need`
  A.forEach((s, i) => {
    inA.set(s, i)
  })
  const need = new Float64Array(A.length)
  const members = new Set<number>()
  A.forEach((s, i) => {
    const svc = n.services[s]
    if (!svc) return
    let total = 0
    for (const a of svc.memberStake) total += Number(a)
    need[i] = (alpha[s] as number) * total
    for (const v of svc.members) members.add(v)
  })
  // each member's allocations on A: [index in need, a_vs]
  const edges = new Map<number, [number, number][]>()
  const onA = new Map<number, number>()
  for (const v of members) {
    const list: [number, number][] = []
    let sum = 0
    for (const e of byOp[v] ?? []) {
      const i = inA.get(e.service)
      if (i === undefined) continue
      const a = Number(e.stake)
      if (a <= 0) continue
      list.push([i, a])
      sum += a
    }
    edges.set(v, list)
    onA.set(v, sum)
  }
  // 1. the shock: most threshold removed per unit of stake first
  const density = new Map<number, number>()
  for (const v of members) {
    let c = 0
    for (const [i, a] of edges.get(v) ?? []) c += (alpha[A[i] as number] as number) * a
    if ((sigma[v] as number) > 0 && c > 0) density.set(v, c / (sigma[v] as number))
  }
  const byDensity = [...density.keys()].sort(
    (x, y) => (density.get(y) as number) - (density.get(x) as number),
  )
  const shock: number[] = []
  const shocked = new Set<number>()
  let room = budget
  for (const v of byDensity) {
    const sv = sigma[v] as number
    if (sv > room) continue
    room -= sv
    shock.push(v)
    shocked.add(v)
    for (const [i, a] of edges.get(v) ?? [])
      need[i] = (need[i] as number) - (alpha[A[i] as number] as number) * a
  }
  // 2. the coalition: a lazy greedy multicover by needs met per unit of cost
  const costOf = (v: number) => Math.min(sigma[v] as number, onA.get(v) ?? 0)
  const score = (v: number) => {
    let c = 0
    for (const [i, a] of edges.get(v) ?? []) c += Math.max(0, Math.min(a, need[i] as number))
    const cost = costOf(v)
    return cost > 0 ? c / cost : c > 0 ? Number.POSITIVE_INFINITY : 0
  }
  // (the open thresholds counted as they close, and the candidates in a binary heap: a sorted array with shift and
  // splice made one plan O(members²), 1.4 CPU-s for 1,000 services at 20,000 × 1,000 — review riskw)
  let openNeeds = 0
  for (const x of need) if (x > 0) openNeeds++
  const meet = (i: number, a: number) => {
    const before = need[i] as number
    need[i] = before - a
    if (before > 0 && before - a <= 0) openNeeds--
  }
  const heap = new MaxHeap<number>()
  for (const v of members) if (!shocked.has(v)) heap.push(score(v), v)
  const buy: number[] = []
  while (openNeeds > 0 && heap.size > 0) {
    const v = heap.pop() as number
    const now = score(v)
    if (!(now > 0)) continue
    if (now < heap.top) {
      // re-scored below the next: back in the heap (scores only fall)
      heap.push(now, v)
      continue
    }
    buy.push(v)
    for (const [i, a] of edges.get(v) ?? []) meet(i, a)
  }
  if (openNeeds > 0) return null
  // 3. reverse deletion, dearest first: need[i] ≤ 0 is the slack left on each service
  const kept: number[] = []
  for (const v of [...buy].sort((x, y) => costOf(y) - costOf(x))) {
    const list = edges.get(v) ?? []
    if (list.every(([i, a]) => (need[i] as number) + a <= 0)) {
      for (const [i, a] of list) need[i] = (need[i] as number) + a
    } else kept.push(v)
  }
  let cost = 0
  for (const v of kept) cost += costOf(v)
  return { shock, buy: kept, cost }
}

/**
 * Services added one at a time to A (most profitable first) while a joint plan opens A ∪ {s} within its profit:
 * `accept` checks a plan exactly (and keeps it when it is the best so far); the attacked set reached is returned.
 */
export function addServices(
  n: Network,
  start: readonly number[],
  budget: number,
  accept: (services: number[], plan: JointPlan) => boolean,
  opts: { deadline?: number; byOp: readonly { service: number; stake: bigint }[][] },
): number[] {
  const sigma = Float64Array.from(n.operators, (o) => Number(o.stake))
  const alpha = Float64Array.from(n.services, (s) => Number(s.threshold.num) / Number(s.threshold.den))
  const deadline = opts.deadline ?? Number.POSITIVE_INFINITY
  const byProfit = n.services
    .map((_, s) => s)
    .filter((s) => (n.services[s]?.profit ?? 0n) > 0n)
    .sort((x, y) => Number(n.services[y]?.profit) - Number(n.services[x]?.profit))
  let A = [...start]
  let profit = A.reduce((x, s) => x + Number(n.services[s]?.profit ?? 0n), 0)
  const tried = new Set<number>()
  let grown = true
  while (grown && performance.now() < deadline) {
    grown = false
    for (const s of byProfit) {
      if (A.includes(s) || tried.has(s)) continue
      if (performance.now() >= deadline) break
      const next = [...A, s]
      const gain = Number(n.services[s]?.profit ?? 0n)
      const plan = jointPlan(n, next, budget, sigma, alpha, opts.byOp)
      // (whole units: a coalition costing at most π − 1; the caller's exact check decides)
      if (!plan || plan.cost > profit + gain - 1 || !accept(next, plan)) {
        tried.add(s)
        continue
      }
      A = next
      profit += gain
      grown = true
      // a service that failed beside the old A may fit beside the new one
      tried.clear()
      break
    }
    if (grown) continue
    // swaps: one service of A out for a more profitable one outside, then adds again
    swap: for (const out of [...A].sort(
      (x, y) => Number(n.services[x]?.profit) - Number(n.services[y]?.profit),
    )) {
      const lose = Number(n.services[out]?.profit ?? 0n)
      for (const s of byProfit) {
        const gain = Number(n.services[s]?.profit ?? 0n)
        if (gain <= lose) break
        if (A.includes(s) || performance.now() >= deadline) continue
        const next = [...A.filter((t) => t !== out), s]
        const plan = jointPlan(n, next, budget, sigma, alpha, opts.byOp)
        if (!plan || plan.cost > profit - lose + gain - 1 || !accept(next, plan)) continue
        A = next
        profit += gain - lose
        grown = true
        tried.clear()
        break swap
      }
    }
  }
  return A
}
