/**
 * A fast search for a good attack before the MIP starts: local search over the attacked services A, each A
 * charged the cost of a minimal coalition found by reverse deletion. It proves nothing by itself — its attack is
 * checked exactly (bigint) and only then handed to the solver as a starting incumbent, which lets the solver
 * prune from its first node and turns "insecure" into a proven verdict even when the time limit stops the proof
 * of optimality.
 */
import { type Network, operatorServices } from './network.ts'
import { toNumber } from './rational.ts'
import { type Attack, attackCost, attackProfit, isValidAttack, normalizeAttack } from './verify.ts'

type Edge = { service: number; stake: number }

type Prepared = {
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

function prepare(n: Network): Prepared {
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
function operatorCost(p: Prepared, v: number, inA: Uint8Array): number {
  let onA = 0
  for (const e of p.byOp[v] ?? []) if (inA[e.service]) onA += e.stake
  const own = p.stake[v] ?? 0
  return Math.min(onA, own)
}

/**
 * The coalition for A: start from every member of A's services and drop operators, the least useful per unit of
 * cost first, while every threshold stays met. Returns null when A cannot be attacked at all.
 */
function coalitionFor(p: Prepared, inA: Uint8Array): { operators: number[]; cost: number } | null {
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

function netOf(p: Prepared, inA: Uint8Array): { net: number; operators: number[] } {
  let profit = 0
  let any = false
  for (let s = 0; s < inA.length; s++)
    if (inA[s]) {
      profit += p.profit[s] ?? 0
      any = true
    }
  if (!any) return { net: 0, operators: [] }
  const b = coalitionFor(p, inA)
  return b
    ? { net: profit - b.cost, operators: b.operators }
    : { net: Number.NEGATIVE_INFINITY, operators: [] }
}

/**
 * First-improvement local search on A (flip one service in or out), from A = every service with a profit and from
 * the best single service, in a seeded order, until no flip improves or the time budget is spent. Each step
 * costs one coalition (O(edges + members·log)); the budget keeps 1,000 × 100 well under a second.
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
  const consider = (inA: Uint8Array) => {
    const r = netOf(p, inA)
    if (r.net > best.net) best = { net: r.net, inA: Uint8Array.from(inA), operators: r.operators }
    return r.net
  }
  // Single services are cheap to evaluate and seed the search when A = everything is far from profitable.
  for (let s = 0; s < count; s++) {
    const one = new Uint8Array(count)
    one[s] = 1
    consider(one)
  }
  const starts: Uint8Array[] = [Uint8Array.from(p.profit, (v) => (v > 0 ? 1 : 0))]
  if (best.net > 0) starts.push(Uint8Array.from(best.inA))
  let seed = 0x9e3779b9
  const order = Array.from({ length: count }, (_, i) => i)
  for (const start of starts) {
    const inA = Uint8Array.from(start)
    let current = consider(inA)
    let improved = true
    while (improved && performance.now() < deadline) {
      improved = false
      // A fresh pseudo-random order per sweep, so the search does not always try the same services first.
      for (let i = count - 1; i > 0; i--) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
        const j = seed % (i + 1)
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
  }
  if (best.net <= 0) return null
  const attack = normalizeAttack(n, {
    services: [...best.inA.keys()].filter((s) => best.inA[s]),
    operators: best.operators,
  })
  // Exact check: a float cover that misses a threshold by a rounding error is simply not used.
  return isValidAttack(n, attack) ? attack : null
}

/** Exact net profit of an attack (for callers comparing heuristic and solver answers). */
export const netProfit = (n: Network, a: Attack): bigint => attackProfit(n, a) - attackCost(n, a)
