/**
 * A fast search for a good attack before the MIP starts: local search over the attacked services A, each A
 * charged the cost of a minimal coalition found by reverse deletion. It proves nothing by itself — its attack is
 * checked exactly (bigint) and only then handed to the solver as a starting incumbent, which lets the solver
 * prune from its first node and turns "insecure" into a proven verdict even when the time limit stops the proof
 * of optimality.
 */
import { type Network, operatorServices } from './network.ts'
import { polishCoalition } from './polish.ts'
import { toNumber } from './rational.ts'
import { repairThresholds } from './repair.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from './verify.ts'

type Edge = { service: number; stake: number }

export type Prepared = {
  profit: number[]
  /**
   * α_s σ(N(s)) in floats, less a relative 1e-12 so that rounding never rejects a cover that meets it exactly
   * (α = 1); a float cover that misses by a rounding error is caught by the exact check at the end.
   */
  need: number[]
  members: number[][]
  memberStake: number[][]
  stake: number[]
  byOp: Edge[][]
}

export function prepare(n: Network): Prepared {
  const byOp = operatorServices(n)
  const unit = Number(n.operators.reduce((m, o) => (o.stake > m ? o.stake : m), 1n))
  const f = (v: bigint) => Number(v) / unit
  const memberStake = n.services.map((s) => s.memberStake.map(f))
  return {
    profit: n.services.map((s) => f(s.profit)),
    need: n.services.map(
      (s, si) => toNumber(s.threshold) * (memberStake[si] ?? []).reduce((a, b) => a + b, 0) * (1 - 1e-12),
    ),
    members: n.services.map((s) => s.members),
    memberStake,
    stake: n.operators.map((o) => f(o.stake)),
    byOp: byOp.map((es) => es.map((e) => ({ service: e.service, stake: f(e.stake) }))),
  }
}

/** cost_v = min(σ_v, Σ_{s∈A} a_vs). */
export function operatorCost(p: Prepared, v: number, inA: Uint8Array): number {
  let onA = 0
  for (const e of p.byOp[v] ?? []) if (inA[e.service]) onA += e.stake
  const own = p.stake[v] ?? 0
  return Math.min(onA, own)
}

/**
 * The coalition for A: start from every member of A's services and drop operators, the least useful per unit of
 * cost first, while every threshold stays met. Returns null when A cannot be attacked at all.
 */
export function coalitionFor(p: Prepared, inA: Uint8Array): { operators: number[]; cost: number } | null {
  const held = new Float64Array(p.profit.length)
  const inB = new Uint8Array(p.stake.length)
  const pool: number[] = []
  p.members.forEach((ms, s) => {
    if (!inA[s]) return
    const stakes = p.memberStake[s] ?? []
    ms.forEach((v, k) => {
      held[s] = (held[s] ?? 0) + (stakes[k] ?? 0)
      if (!inB[v]) {
        inB[v] = 1
        pool.push(v)
      }
    })
  })
  for (let s = 0; s < held.length; s++) if (inA[s] && (held[s] ?? 0) < (p.need[s] ?? 0)) return null
  // Usefulness: the share of the attacked services' requirements the operator carries, per unit of its cost.
  const cost = new Float64Array(p.stake.length)
  const score = new Float64Array(p.stake.length)
  for (const v of pool) {
    cost[v] = operatorCost(p, v, inA)
    let carried = 0
    for (const e of p.byOp[v] ?? []) if (inA[e.service]) carried += (p.profit[e.service] ?? 0) * e.stake
    score[v] = carried / Math.max(cost[v] ?? 0, 1e-300)
  }
  pool.sort((a, b) => (score[a] ?? 0) - (score[b] ?? 0) || (cost[b] ?? 0) - (cost[a] ?? 0))
  let total = 0
  for (const v of pool) {
    let removable = true
    for (const e of p.byOp[v] ?? [])
      if (inA[e.service] && (held[e.service] ?? 0) - e.stake < (p.need[e.service] ?? 0)) {
        removable = false
        break
      }
    if (removable && (cost[v] ?? 0) > 0) {
      inB[v] = 0
      for (const e of p.byOp[v] ?? []) if (inA[e.service]) held[e.service] = (held[e.service] ?? 0) - e.stake
    } else total += cost[v] ?? 0
  }
  return { operators: pool.filter((v) => inB[v]), cost: total }
}

export function profitOf(p: Prepared, inA: Uint8Array): number {
  let profit = 0
  for (let s = 0; s < inA.length; s++) if (inA[s]) profit += p.profit[s] ?? 0
  return profit
}

function netOf(p: Prepared, inA: Uint8Array): { net: number; operators: number[] } {
  if (!inA.includes(1)) return { net: 0, operators: [] }
  const profit = profitOf(p, inA)
  const b = coalitionFor(p, inA)
  return b
    ? { net: profit - b.cost, operators: b.operators }
    : { net: Number.NEGATIVE_INFINITY, operators: [] }
}

/**
 * Iterated local search on A. A descent flips one service in or out of A while that improves the net profit
 * (first improvement, a fresh seeded order per sweep); each local optimum's coalition is then polished
 * (polish.ts). Descents start from A = every service with a profit and from the best single service; then, while
 * time remains, from the best local optimum with a few services flipped at random (a "kick"), until 30 kicks in a
 * row find nothing better. Each step costs one coalition (O(edges + members·log)).
 */
export function heuristicAttack(n: Network, opts: { budgetMs?: number } = {}): Attack | null {
  if (n.services.length === 0) return null
  const p = prepare(n)
  const deadline = performance.now() + (opts.budgetMs ?? 1000)
  const count = p.profit.length
  let best: { net: number; inA: Uint8Array; operators: number[] } = {
    net: 0,
    inA: new Uint8Array(count),
    operators: [],
  }
  const consider = (inA: Uint8Array, r = netOf(p, inA)) => {
    if (r.net > best.net) best = { net: r.net, inA: Uint8Array.from(inA), operators: r.operators }
    return r.net
  }
  // Single services are cheap to evaluate and seed the search when A = everything is far from profitable.
  // (300 coalitions at 3,000 × 300 are a fifth of a second: the budget holds here too.)
  for (let s = 0; s < count && performance.now() < deadline; s++) {
    const one = new Uint8Array(count)
    one[s] = 1
    consider(one)
  }
  let seed = 0x9e3779b9
  const random = (below: number) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    return seed % below
  }
  const order = Array.from({ length: count }, (_, i) => i)
  /** Descends from inA (changed in place) and returns the polished net profit of the local optimum. */
  const descend = (inA: Uint8Array): number => {
    let current = consider(inA)
    let improved = true
    while (improved && performance.now() < deadline) {
      improved = false
      for (let i = count - 1; i > 0; i--) {
        const j = random(i + 1)
        ;[order[i], order[j]] = [order[j] as number, order[i] as number]
      }
      for (const s of order) {
        if (performance.now() > deadline) break
        inA[s] = inA[s] ? 0 : 1
        const v = consider(inA)
        if (v > current + 1e-12) {
          current = v
          improved = true
        } else inA[s] = inA[s] ? 0 : 1
      }
    }
    const cover = coalitionFor(p, inA)
    if (!cover) return current
    const polished = polishCoalition(p, inA, cover.operators)
    const net = profitOf(p, inA) - polished.cost
    return Math.max(current, consider(inA, { net, operators: polished.operators }))
  }
  const starts: Uint8Array[] = [Uint8Array.from(p.profit, (v) => (v > 0 ? 1 : 0))]
  if (best.net > 0) starts.push(Uint8Array.from(best.inA))
  let local = { net: Number.NEGATIVE_INFINITY, inA: new Uint8Array(count) }
  for (const start of starts) {
    const inA = Uint8Array.from(start)
    const net = descend(inA)
    if (net > local.net) local = { net, inA }
  }
  for (let fails = 0; fails < 30 && performance.now() < deadline; ) {
    const inA = Uint8Array.from(local.inA)
    for (let k = 1 + random(4); k > 0; k--) {
      const s = random(count)
      inA[s] = inA[s] ? 0 : 1
    }
    const net = descend(inA)
    if (net > local.net + 1e-12) {
      local = { net, inA }
      fails = 0
    } else fails++
  }
  if (best.net <= 0) return null
  // A float cover may miss a threshold by members too small for a float to see: added back exactly (repair.ts).
  const attack = repairThresholds(n, {
    services: [...best.inA.keys()].filter((s) => best.inA[s]),
    operators: best.operators,
  })
  // Exact check: a cover that still misses a threshold, or no longer pays, is simply not used.
  return isValidAttack(n, attack) ? attack : null
}

/** Exact net profit of an attack (for callers comparing heuristic and solver answers). */
export const netProfit = (n: Network, a: Attack): bigint => attackProfit(n, a) - attackCost(n, a)
