/**
 * A cascade start for the "attack almost everything after a shock" cascades (issue 14, hard regime), the shock chosen
 * jointly with the coalition as a second way of meeting the thresholds. For a fixed set A a shocked member v counts
 * α_s·a_vs toward s's threshold and costs the attacker nothing, within σ(D) ≤ Ψ; a bought one counts a_vs and costs
 * c_v = min(σ_v, Σ_{s∈A} a_vs). So covering A is a multicover with two options per operator:
 *
 *  - Prices: the Lagrangian dual of A's cover LP (`coverPrices`: u_s on the thresholds, λ on the shock's budget),
 *    raised by subgradient steps. Its λ is the shock's worth per unit of stake against a unit of coalition cost
 *    (about 1 on hard whole-stake 1,000 × 100, where a shocked member of an α = 1 service is as good as a bought one).
 *  - Covers (`coverFor`): greedy by capped cover per unit of price — the shock's price λσ_v, the purchase's c_v —
 *    at a few fixed λ and at the dual's (its gains weighted by u), then the coalition's spare members dropped
 *    (most expensive first), the shock filled with the members outside B that give A most per unit of stake, and
 *    dropped again. The cheapest is kept.
 *  - A, top-down (`topDown`): from every service with a profit, while A's cover costs π(A) or more, the services the
 *    dual prices highest per unit of profit (u_s·need_s / π_s) are dropped — one at a time near π(A), a share as
 *    large as the excess far from it, where the dual's value alone (a lower bound on the LP) already exceeds π(A)
 *    and no cover is built — then the dropped ones are tried back, the cheapest first.
 *
 * The cascade is then the caller's (cascadeHeuristic.ts): the shock filled to Ψ and B padded to π(A) − 1. On hard
 * whole-stake 1,000 × 100 (seeds 1–3) this finds R_ψ 0.688, 0.640, 0.779 in 0.1–0.4 CPU-s, where the opening
 * greedy found about 0.15 and HiGHS's R = 0.683 on seed 1 took it 8.4–9.1 s of its own search (quiet machine).
 *
 * Planning is in floats (amounts over the largest stake). The plan's threshold misses that floats cannot see are
 * made up exactly (`repairWithShock`), and the caller checks every plan exactly (isValidAttack after the shock, the
 * budget in bigint) before it counts: a plan that fails is not used.
 */
import { type Network, operatorServices } from './network.ts'
import { toNumber } from './rational.ts'
import { type Attack, normalizeAttack } from './verify.ts'

export type ShockCoverPlan = { services: number[]; operators: number[]; shock: number[] }

type Prep = {
  S: number
  V: number
  /** The largest stake: floats are amounts over it. */
  unit: number
  sigma: Float64Array
  alpha: Float64Array
  profit: Float64Array
  /** α_s σ(N(s)) (less a relative 1e-12, as heuristic.ts: the exact check catches a float miss). */
  need: Float64Array
  /** Per operator, its services and its stake on each. */
  opSvc: Int32Array[]
  opStake: Float64Array[]
  budget: number
}

function prepare(n: Network, budget: bigint): Prep {
  const byOp = operatorServices(n)
  // biome-ignore lint/complexity/useMathMinMax: bigint, Math.max would throw
  const unitBig = n.operators.reduce((m, o) => (o.stake > m ? o.stake : m), 1n)
  const unit = Number(unitBig)
  const f = (x: bigint) => Number(x) / unit
  const S = n.services.length
  const alpha = Float64Array.from(n.services, (s) => toNumber(s.threshold))
  const need = new Float64Array(S)
  n.services.forEach((s, si) => {
    let t = 0
    for (const a of s.memberStake) t += f(a)
    need[si] = (alpha[si] as number) * t * (1 - 1e-12)
  })
  return {
    S,
    V: n.operators.length,
    unit,
    sigma: Float64Array.from(n.operators, (o) => f(o.stake)),
    alpha,
    profit: Float64Array.from(n.services, (s) => f(s.profit)),
    need,
    opSvc: byOp.map((es) => Int32Array.from(es, (e) => e.service)),
    opStake: byOp.map((es) => Float64Array.from(es, (e) => f(e.stake))),
    // (the plan's budget in floats, rounded down by a relative 1e-12: the exact fill checks it in bigint anyway)
    budget: f(budget) * (1 - 1e-12),
  }
}

type Cover = { inB: Uint8Array; inD: Uint8Array; cost: number; shock: number }

/** cost_v = min(σ_v, Σ_{s∈A} a_vs). */
function costOf(p: Prep, v: number, inA: Uint8Array): number {
  const ss = p.opSvc[v] as Int32Array
  const as = p.opStake[v] as Float64Array
  let on = 0
  for (let k = 0; k < ss.length; k++) if (inA[ss[k] as number]) on += as[k] as number
  return Math.min(on, p.sigma[v] as number)
}

/**
 * The greedy two-option multicover of A (floats), the shock priced at `lambda` per unit of stake, then pruned:
 * null when A cannot be covered (never with every member available, which meets any α ≤ 1).
 */
function coverFor(p: Prep, inA: Uint8Array, lambda: number, weight?: Float64Array): Cover | null {
  const { V, S } = p
  const r = new Float64Array(S)
  let open = 0
  for (let s = 0; s < S; s++)
    if (inA[s]) {
      r[s] = p.need[s] as number
      if ((r[s] as number) > 0) open++
    }
  const inB = new Uint8Array(V)
  const inD = new Uint8Array(V)
  const cost = new Float64Array(V)
  for (let v = 0; v < V; v++) cost[v] = costOf(p, v, inA)
  const gainOf = (v: number, shock: boolean): number => {
    const ss = p.opSvc[v] as Int32Array
    const as = p.opStake[v] as Float64Array
    let g = 0
    for (let k = 0; k < ss.length; k++) {
      const s = ss[k] as number
      if (!inA[s]) continue
      const give = shock ? (p.alpha[s] as number) * (as[k] as number) : (as[k] as number)
      g += Math.min(give, Math.max(0, r[s] as number)) * (weight ? (weight[s] as number) : 1)
    }
    return g
  }
  const priceOf = (v: number, shock: boolean) =>
    shock ? lambda * (p.sigma[v] as number) : (cost[v] as number)
  // Lazy greedy: a ratio only falls as the residuals do, so a popped entry still at least the next one is the best.
  // Keys are gain per price; a zero price with a gain comes first (∞).
  const heap: { key: number; v: number; shock: boolean }[] = []
  const push = (e: { key: number; v: number; shock: boolean }) => {
    heap.push(e)
    let i = heap.length - 1
    while (i > 0) {
      const up = (i - 1) >> 1
      if ((heap[up] as { key: number }).key >= e.key) break
      heap[i] = heap[up] as (typeof heap)[number]
      i = up
    }
    heap[i] = e
  }
  const pop = () => {
    const first = heap[0]
    const last = heap.pop()
    if (!first || !last || heap.length === 0) return first
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const rr = l + 1
      let m = i
      let mk = last.key
      if (l < heap.length && (heap[l] as { key: number }).key > mk) {
        m = l
        mk = (heap[l] as { key: number }).key
      }
      if (rr < heap.length && (heap[rr] as { key: number }).key > mk) m = rr
      if (m === i) break
      heap[i] = heap[m] as (typeof heap)[number]
      i = m
    }
    heap[i] = last
    return first
  }
  const ratio = (v: number, shock: boolean) => {
    const g = gainOf(v, shock)
    if (g <= 0) return -1
    const c = priceOf(v, shock)
    return c > 0 ? g / c : Number.POSITIVE_INFINITY
  }
  for (let v = 0; v < V; v++) {
    for (const shock of [false, true]) {
      if (shock && !Number.isFinite(lambda)) continue
      const key = ratio(v, shock)
      if (key > 0) push({ key, v, shock })
    }
  }
  let shockUsed = 0
  while (open > 0 && heap.length > 0) {
    const e = pop() as (typeof heap)[number]
    if (inB[e.v] || inD[e.v]) continue
    if (e.shock && shockUsed + (p.sigma[e.v] as number) > p.budget) continue
    const key = ratio(e.v, e.shock)
    if (key <= 0) continue
    if (heap.length > 0 && key < (heap[0] as { key: number }).key) {
      push({ key, v: e.v, shock: e.shock })
      continue
    }
    if (e.shock) {
      inD[e.v] = 1
      shockUsed += p.sigma[e.v] as number
    } else inB[e.v] = 1
    const ss = p.opSvc[e.v] as Int32Array
    const as = p.opStake[e.v] as Float64Array
    for (let k = 0; k < ss.length; k++) {
      const s = ss[k] as number
      if (!inA[s]) continue
      const before = r[s] as number
      r[s] = before - (e.shock ? (p.alpha[s] as number) * (as[k] as number) : (as[k] as number))
      if (before > 0 && (r[s] as number) <= 0) open--
    }
  }
  if (open > 0) return null
  const c: Cover = { inB, inD, cost: 0, shock: shockUsed }
  prune(p, inA, c, cost)
  return c
}

/** Held − need per service of A for a cover (floats): what each threshold has to spare. */
function slackOf(p: Prep, inA: Uint8Array, c: Cover): Float64Array {
  const slack = new Float64Array(p.S)
  for (let s = 0; s < p.S; s++) if (inA[s]) slack[s] = -(p.need[s] as number)
  for (let v = 0; v < p.V; v++) {
    if (!c.inB[v] && !c.inD[v]) continue
    const ss = p.opSvc[v] as Int32Array
    const as = p.opStake[v] as Float64Array
    for (let k = 0; k < ss.length; k++) {
      const s = ss[k] as number
      if (inA[s])
        slack[s] = (slack[s] as number) + (c.inD[v] ? (p.alpha[s] as number) : 1) * (as[k] as number)
    }
  }
  return slack
}

/**
 * Drops the coalition's spare members (most expensive first), fills the shock with the members outside B that
 * give A's thresholds most per unit of stake (within the budget), and drops again: a shock only lowers thresholds.
 */
function prune(p: Prep, inA: Uint8Array, c: Cover, cost: Float64Array): void {
  const slack = slackOf(p, inA, c)
  const dropSpare = () => {
    const members: number[] = []
    for (let v = 0; v < p.V; v++) if (c.inB[v]) members.push(v)
    members.sort((x, y) => (cost[y] as number) - (cost[x] as number))
    for (const v of members) {
      const ss = p.opSvc[v] as Int32Array
      const as = p.opStake[v] as Float64Array
      let ok = true
      for (let k = 0; k < ss.length && ok; k++)
        if (inA[ss[k] as number] && (slack[ss[k] as number] as number) < (as[k] as number)) ok = false
      if (!ok) continue
      c.inB[v] = 0
      for (let k = 0; k < ss.length; k++)
        if (inA[ss[k] as number])
          slack[ss[k] as number] = (slack[ss[k] as number] as number) - (as[k] as number)
    }
  }
  dropSpare()
  const gives = (v: number) => {
    const ss = p.opSvc[v] as Int32Array
    const as = p.opStake[v] as Float64Array
    let g = 0
    for (let k = 0; k < ss.length; k++)
      if (inA[ss[k] as number]) g += (p.alpha[ss[k] as number] as number) * (as[k] as number)
    return g
  }
  const pool: { v: number; key: number }[] = []
  for (let v = 0; v < p.V; v++)
    if (!c.inB[v] && !c.inD[v] && (p.sigma[v] as number) > 0) {
      const g = gives(v)
      if (g > 0) pool.push({ v, key: g / (p.sigma[v] as number) })
    }
  pool.sort((x, y) => y.key - x.key)
  for (const { v } of pool) {
    if (c.shock + (p.sigma[v] as number) > p.budget) continue
    c.inD[v] = 1
    c.shock += p.sigma[v] as number
    const ss = p.opSvc[v] as Int32Array
    const as = p.opStake[v] as Float64Array
    for (let k = 0; k < ss.length; k++)
      if (inA[ss[k] as number])
        slack[ss[k] as number] =
          (slack[ss[k] as number] as number) + (p.alpha[ss[k] as number] as number) * (as[k] as number)
  }
  dropSpare()
  let total = 0
  for (let v = 0; v < p.V; v++) if (c.inB[v]) total += cost[v] as number
  c.cost = total
}

const profitOf = (p: Prep, inA: Uint8Array) => {
  let t = 0
  for (let s = 0; s < p.S; s++) if (inA[s]) t += p.profit[s] as number
  return t
}

/** The cheapest of the greedy covers at a few fixed prices and at the dual's prices (weights u_s, price λ). */
function bestCover(
  p: Prep,
  inA: Uint8Array,
  prices: { u: Float64Array; lambda: number } | null,
  deadline: number,
): Cover | null {
  let best: Cover | null = null
  const keep = (c: Cover | null) => {
    if (c && (!best || c.cost < best.cost)) best = c
  }
  // (past the deadline no further cover is built once one is: the cheapest so far is kept)
  const late = () => best !== null && performance.now() > deadline
  for (const lambda of FIXED_LAMBDAS) if (!late()) keep(coverFor(p, inA, lambda))
  if (prices && !late()) {
    // (a small floor on the weights: a service the dual prices at 0 still has to be met)
    let mean = 0
    let count = 0
    for (let s = 0; s < p.S; s++)
      if (inA[s]) {
        mean += prices.u[s] as number
        count++
      }
    const w = prices.u.map((x) => x + (1e-3 * mean) / Math.max(1, count))
    keep(coverFor(p, inA, prices.lambda, w))
    if (!late()) keep(coverFor(p, inA, prices.lambda * 0.95, w))
  }
  return best
}

/**
 * Top-down: from every service with a profit, drop the services the dual prices highest per unit of profit
 * (u_s·need_s / π_s) until the cover costs less than π(A) — one at a time near π(A), a share of A as large as the
 * cover's excess over it when far — then try the dropped ones back (the cheapest first, ADD_BACK at most). Gives up
 * at once when covering them all costs over 1.5 π by the dual, once π(A) is at most `floor` (a plan then burns no
 * more than the cascade already found), or at the deadline.
 * Returns the valid plan (floats), or null.
 */
function topDown(p: Prep, floor: number, deadline: number): { inA: Uint8Array; cover: Cover } | null {
  const inA = Uint8Array.from(p.profit, (x) => (x > 0 ? 1 : 0))
  if (!inA.includes(1)) return null
  // (a float margin of a billionth of the profit: the exact check decides, this only keeps plans off the edge)
  const fits = (a: Uint8Array, c: Cover) => c.cost < profitOf(p, a) * (1 - 1e-9)
  let cover: Cover | null = null
  // an upper bound on the cover's cost, the dual's target: a cover of A covers every subset of it for no more
  let target = coverFor(p, inA, FIXED_LAMBDAS[1] as number)?.cost ?? Number.POSITIVE_INFINITY
  let prices: { u: Float64Array; lambda: number } | undefined
  const dropped: { s: number; key: number }[] = []
  for (;;) {
    const profit = profitOf(p, inA)
    if (performance.now() > deadline || profit <= floor) return null
    const first = prices === undefined
    const pr = coverPrices(p, inA, target, first ? 300 : 150, prices, deadline)
    prices = pr
    // The stage is for cascades that attack most services: when covering every service with a profit costs more
    // than 1.5 times their profit by the dual alone (hard whole-stake 1,000 × 100: 1.04; with allocations 1.85), it
    // leaves the question to the openings — its drops to the openings' floor took 0.3–0.8 s there for nothing.
    if (first && pr.value > 1.5 * profit) return null
    // The dual's value bounds A's cover LP from below (any u, λ ≥ 0), so no greedy cover fits below it: far from
    // π(A) the services are dropped on the dual alone, near it the covers are built.
    let excess = pr.value
    if (pr.value < profit * 1.02) {
      cover = bestCover(p, inA, pr, deadline)
      if (!cover) return null
      if (fits(inA, cover)) break
      target = Math.min(target, cover.cost)
      excess = cover.cost
    }
    const keyed: { s: number; key: number }[] = []
    for (let s = 0; s < p.S; s++)
      if (inA[s])
        keyed.push({
          s,
          key: ((pr.u[s] as number) * (p.need[s] as number)) / Math.max(p.profit[s] as number, 1e-300),
        })
    keyed.sort((x, y) => y.key - x.key)
    // (the excess as a share of the cost, of A's services, at least one: near π(A) one at a time)
    const count = Math.max(1, Math.floor(keyed.length * Math.min(0.5, (excess - profit) / excess)))
    for (const e of keyed.slice(0, count)) {
      inA[e.s] = 0
      dropped.push(e)
    }
    if (!inA.includes(1)) return null
  }
  if (!cover) return null
  dropped.sort((x, y) => x.key - y.key)
  for (const { s } of dropped.slice(0, ADD_BACK)) {
    if (performance.now() > deadline) break
    inA[s] = 1
    const c = bestCover(p, inA, prices ?? null, deadline)
    if (c && fits(inA, c)) cover = c
    else inA[s] = 0
  }
  return { inA, cover }
}

/** The dropped services tried back, at most (each try is a few greedy covers). */
const ADD_BACK = 12

/** The shock's fixed prices tried, per unit of budget against a unit of coalition cost, beside the dual's. */
const FIXED_LAMBDAS = [0.8, 0.9, 0.97]

/**
 * The plan (services, coalition, shock) for the cascade start, or none; the caller repairs, fills and checks it
 * exactly. Stops at `deadline` (performance.now()), or once π(A) cannot beat `floor` (the loss found, units).
 */
export function shockCoverPlans(
  n: Network,
  budget: bigint,
  opts: { deadline?: number; floor?: bigint } = {},
): ShockCoverPlan[] {
  const deadline = opts.deadline ?? Number.POSITIVE_INFINITY
  // (a deadline already past plans nothing: preparing and the first cover alone took 5–120 CPU-ms at 1,000 × 100 and
  // 5,000 × 200, risky review)
  if (n.services.length === 0 || n.operators.length === 0 || performance.now() > deadline) return []
  const p = prepare(n, budget)
  // (π(A) at most the loss found less Ψ burns no more than it; in the floats' unit, a touch low: it only stops early)
  const floor = opts.floor === undefined ? 0 : ((Number(opts.floor) - Number(budget)) / p.unit) * (1 - 1e-9)
  const r = topDown(p, floor, deadline)
  if (!r) return []
  const pick = (m: Uint8Array) => [...m.keys()].filter((i) => m[i])
  return [{ services: pick(r.inA), operators: pick(r.cover.inB), shock: pick(r.cover.inD) }]
}

/**
 * Exact repair after a shock (bigint): per attacked service that misses its threshold on what the shock leaves,
 * the members outside B and D join B, most stake on the service first, until it is met. The floats cannot see a
 * member of 1 unit beside 10^30 (repair.ts); the result is still checked by the caller.
 */
export function repairWithShock(n: Network, a: Attack, shock: ReadonlySet<number>): Attack {
  const inB = new Set(a.operators.filter((v) => !shock.has(v)))
  for (const si of a.services) {
    const s = n.services[si]
    if (!s) continue
    let remaining = 0n
    let held = 0n
    s.members.forEach((v, k) => {
      const x = s.memberStake[k] ?? 0n
      if (!shock.has(v)) remaining += x
      if (inB.has(v)) held += x
    })
    const { num, den } = s.threshold
    const outside = s.members
      .map((v, k) => ({ v, a: s.memberStake[k] ?? 0n }))
      .filter((m) => !inB.has(m.v) && !shock.has(m.v) && m.a > 0n)
      .sort((x, y) => (y.a > x.a ? 1 : y.a < x.a ? -1 : 0))
    for (const m of outside) {
      if (held * den >= num * remaining) break
      inB.add(m.v)
      held += m.a
    }
  }
  return normalizeAttack(n, { services: a.services, operators: [...inB] })
}

/**
 * The Lagrangian dual of A's cover LP (floats): prices u_s on the thresholds and λ on the shock's budget,
 * g(u, λ) = Σ_s need_s u_s − λΨ − Σ_v max(0, U_v − c_v, Ū_v − λσ_v) with U_v = Σ_{s∈A} a_vs u_s and
 * Ū_v = Σ_{s∈A} α_s a_vs u_s, raised by subgradient steps (Polyak's, aimed at `target`, a cover's cost). Only
 * guides the greedy: nothing here bounds anything.
 */
function coverPrices(
  p: Prep,
  inA: Uint8Array,
  target: number,
  iterations: number,
  warm: { u: Float64Array; lambda: number } | undefined,
  deadline: number,
): { u: Float64Array; lambda: number; value: number } {
  const { S, V } = p
  const cost = new Float64Array(V)
  for (let v = 0; v < V; v++) cost[v] = costOf(p, v, inA)
  const u = warm ? warm.u.slice() : new Float64Array(S).fill(0.3)
  for (let s = 0; s < S; s++) if (!inA[s]) u[s] = 0
  let lambda = warm ? warm.lambda : 0.5
  const grad = new Float64Array(S)
  let best = { u: u.slice(), lambda, value: Number.NEGATIVE_INFINITY }
  let mu = 1
  let stale = 0
  for (let it = 0; it < iterations; it++) {
    // (the deadline every 8 steps, after the first: 300 steps and the covers after them took 100–250 CPU-ms at hard
    // whole-stake 1,000 × 100 past a 40 ms deadline, the cascade answering 0.13 s past a 0.2 s limit; risky review)
    if (it > 0 && (it & 7) === 0 && performance.now() > deadline) break
    let value = -lambda * p.budget
    let gl = -p.budget
    for (let s = 0; s < S; s++) {
      grad[s] = inA[s] ? (p.need[s] as number) : 0
      value += inA[s] ? (p.need[s] as number) * (u[s] as number) : 0
    }
    for (let v = 0; v < V; v++) {
      const ss = p.opSvc[v] as Int32Array
      const as = p.opStake[v] as Float64Array
      let U = 0
      let Ub = 0
      for (let k = 0; k < ss.length; k++) {
        const s = ss[k] as number
        if (!inA[s]) continue
        U += (as[k] as number) * (u[s] as number)
        Ub += (p.alpha[s] as number) * (as[k] as number) * (u[s] as number)
      }
      const bx = U - (cost[v] as number)
      const bd = Ub - lambda * (p.sigma[v] as number)
      if (bx <= 0 && bd <= 0) continue
      const shock = bd > bx
      value -= shock ? bd : bx
      if (shock) gl += p.sigma[v] as number
      for (let k = 0; k < ss.length; k++) {
        const s = ss[k] as number
        if (inA[s]) grad[s] = (grad[s] as number) - (shock ? (p.alpha[s] as number) : 1) * (as[k] as number)
      }
    }
    if (!Number.isFinite(best.value) || value > best.value + 1e-9 * Math.abs(best.value)) {
      best = { u: u.slice(), lambda, value }
      stale = 0
    } else if (++stale >= 15) {
      mu /= 2
      stale = 0
    }
    // ascent: the subgradient is grad on u and gl = Σ_D σ − Ψ on λ
    let norm = gl * gl
    for (let s = 0; s < S; s++) norm += (grad[s] as number) ** 2
    if (norm <= 0) break
    const step = (mu * Math.max(target - value, 1e-9 * Math.abs(target))) / norm
    for (let s = 0; s < S; s++) if (inA[s]) u[s] = Math.max(0, (u[s] as number) + step * (grad[s] as number))
    lambda = Math.max(0, lambda + step * gl)
  }
  return best
}
