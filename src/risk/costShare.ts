/**
 * A proof of security by cost sharing (a Lagrangian decomposition of the attack problem over services).
 *
 * Split each operator's stake among the services it secures: shares λ_vs ≥ 0 with λ_vs ≤ a_vs and
 * Σ_s λ_vs ≤ σ_v. Then for any attack (A, B), cost_v = min(σ_v, Σ_{s∈A} a_vs) ≥ Σ_{s∈A} λ_vs, so
 *
 *   π(A) − cost(B) ≤ Σ_{s∈A} (π_s − λ(B ∩ N(s))) ≤ Σ_s max(0, π_s − C_s(λ)),
 *
 * where C_s(λ) is the cheapest cover of s priced by λ: min λ(T) over T ⊆ N(s) holding α_s σ(N(s)) — bounded
 * below here by its fractional (greedy, cheapest share per unit of stake first) value. When every service's
 * cover costs at least its profit the bound is 0 and no valid attack exists (a valid one needs π(A) > cost(B)).
 *
 * The shares are searched for in floating point (`findCostShares`); the bound is then computed **exactly**
 * (`costShareBound`, bigint) from shares rounded down to a common denominator, so a float error can only make the
 * proof fail, never make a wrong one. With integral A the bound is exactly as strong as the LP relaxation in which
 * each threshold row is convexified on its own (the "x ∧ y" disaggregation), which is why it proves secure the
 * networks whose aggregated LP bound HiGHS cannot close in time; see docs/risk.md for where it stops.
 */
import type { Network } from './network.ts'
import { type Rational, rat } from './rational.ts'

export type CostShares = {
  /** Numerators of λ_vs, parallel to `services[s].members`. */
  shares: bigint[][]
  /** λ_vs = shares[s][k] · unit / den (amount units). */
  unit: bigint
  den: bigint
}

/** Whether the shares respect λ_vs ≤ a_vs and Σ_s λ_vs ≤ σ_v, exactly. */
export function sharesFit(n: Network, c: CostShares): boolean {
  const used = n.operators.map(() => 0n)
  for (const [si, s] of n.services.entries()) {
    const row = c.shares[si]
    if (!row || row.length !== s.members.length) return false
    for (const [k, v] of s.members.entries()) {
      const l = row[k] as bigint
      if (l < 0n || l * c.unit > (s.memberStake[k] ?? 0n) * c.den) return false
      used[v] = (used[v] ?? 0n) + l
    }
  }
  return n.operators.every((o, v) => (used[v] ?? 0n) * c.unit <= o.stake * c.den)
}

/**
 * A lower bound on C_s in share numerators: the fractional min-cost cover, members taken cheapest share per unit
 * of stake first (sorted exactly by cross-multiplication), the last one in part, rounded down. Null when the
 * members cannot reach the threshold at all (then s cannot be attacked).
 */
function coverLowerBound(n: Network, c: CostShares, si: number): bigint | null {
  const s = n.services[si]
  if (!s) return null
  const row = c.shares[si] ?? []
  const items = s.memberStake
    .map((a, k) => ({ a, l: row[k] ?? 0n }))
    .filter((it) => it.a > 0n)
    .sort((p, q) => {
      const d = p.l * q.a - q.l * p.a
      return d < 0n ? -1 : d > 0n ? 1 : 0
    })
  const total = s.memberStake.reduce((x, y) => x + y, 0n)
  // Still needed, times den: α σ(N(s)) = num·σ/den.
  let rest = s.threshold.num * total
  let cost = 0n
  for (const it of items) {
    if (rest <= 0n) break
    const held = it.a * s.threshold.den
    if (held >= rest) return cost + (it.l * rest) / held // floor: rounds the bound on the cover cost down
    cost += it.l
    rest -= held
  }
  return rest <= 0n ? cost : null
}

/** Σ_s max(0, π_s − C_s(λ)) exactly: an upper bound on the net profit of every attack. 0 proves security. */
export function costShareBound(n: Network, c: CostShares): Rational {
  if (!sharesFit(n, c)) throw new RangeError('cost shares exceed an operator’s stake or allocation')
  let sum = 0n // in amount units × den
  n.services.forEach((s, si) => {
    const cover = coverLowerBound(n, c, si)
    if (cover === null) return
    const gain = s.profit * c.den - cover * c.unit
    if (gain > 0n) sum += gain
  })
  return rat(sum, c.den)
}

export type CostShareSearch = {
  shares: CostShares
  /** The exact bound of `shares` (costShareBound). */
  bound: Rational
  iterations: number
  /**
   * The best shares in floats (units of the largest amount), edges in service order: a warm start for the branch
   * and bound over services (serviceBranch.ts).
   */
  lam: Float64Array
}

/** Shares are rounded down to multiples of largest amount / 2^40: far below the search's margin. */
const DEN = 1n << 40n

/**
 * Looks for shares proving security: projected subgradient descent on L(λ) = Σ_s max(0, π_s − C_s(λ)) (convex)
 * with Polyak's step towards 0, from shares proportional to what each service pays per unit of stake. Stops at a
 * proof, when the budget is spent, or when over the last `patience` steps the best bound fell by less than half
 * of what is left of it (the minimum is then most likely above 0 — the hard regime's is about +1,360 tokens at
 * 1,000 × 100 — and no proof will come). Profits are inflated by a relative 1e-7 in the search so that rounding the shares down keeps a float
 * proof an exact one.
 */
export function findCostShares(
  n: Network,
  opts: { budgetMs?: number; maxIterations?: number; patience?: number } = {},
): CostShareSearch {
  const deadline = performance.now() + (opts.budgetMs ?? 1000)
  const maxIterations = opts.maxIterations ?? 5000
  const patience = opts.patience ?? 60
  const unit = Number(largestAmount(n))
  const f = (v: bigint) => Number(v) / unit
  // Edges (service, member) in service order: CSR by service (svcStart), and each operator's edges (opEdges).
  const S = n.services.length
  const svcStart = new Int32Array(S + 1)
  n.services.forEach((s, si) => {
    svcStart[si + 1] = (svcStart[si] as number) + s.members.length
  })
  const E = svcStart[S] as number
  const a = new Float64Array(E)
  const owner = new Int32Array(E)
  const profit = new Float64Array(S)
  const need = new Float64Array(S)
  n.services.forEach((s, si) => {
    let total = 0
    s.members.forEach((v, k) => {
      const e = (svcStart[si] as number) + k
      a[e] = f(s.memberStake[k] ?? 0n)
      owner[e] = v
      total += a[e] as number
    })
    profit[si] = f(s.profit) * (1 + 1e-7) + 1e-12
    need[si] = (Number(s.threshold.num) / Number(s.threshold.den)) * total
  })
  const sigma = Float64Array.from(n.operators, (o) => f(o.stake))
  const opEdges: number[][] = n.operators.map(() => [])
  for (let e = 0; e < E; e++) opEdges[owner[e] as number]?.push(e)
  // Start: each operator splits its stake in proportion to a_vs · π_s / need_s (what s pays per unit it needs).
  const lam = new Float64Array(E)
  const weight = new Float64Array(E)
  for (let si = 0; si < S; si++)
    for (let e = svcStart[si] as number; e < (svcStart[si + 1] as number); e++)
      weight[e] = ((a[e] as number) * (profit[si] as number)) / Math.max(need[si] as number, 1e-300)
  opEdges.forEach((edges, v) => {
    let w = 0
    for (const e of edges) w += weight[e] as number
    if (w > 0)
      for (const e of edges)
        lam[e] = Math.min(a[e] as number, ((sigma[v] as number) * (weight[e] as number)) / w)
  })
  const grad = new Float64Array(E)
  const touched = new Uint8Array(n.operators.length)
  const order = Int32Array.from({ length: E }, (_, e) => e)
  let best = { value: Number.POSITIVE_INFINITY, lam: Float64Array.from(lam) }
  const history: number[] = []
  let iterations = 0
  for (; iterations < maxIterations; iterations++) {
    if (performance.now() > deadline) break
    const then = history[iterations - patience]
    // At the pace of the last `patience` steps, 0 is still more than twice as many steps away: give up.
    if (then !== undefined && then - best.value < best.value / 2) break
    let value = 0
    let norm = 0
    grad.fill(0)
    for (let si = 0; si < S; si++) {
      // The cheapest fractional cover: members by share per unit of stake, the last one in part.
      const ord = order.subarray(svcStart[si] as number, svcStart[si + 1] as number)
      sortByRatio(ord, lam, a)
      let rest = need[si] as number
      let cost = 0
      let end = 0
      for (; end < ord.length && rest > 0; end++) {
        const e = ord[end] as number
        const ae = a[e] as number
        const x = ae >= rest ? rest / ae : 1
        cost += x * (lam[e] as number)
        rest -= x * ae
        grad[e] = x
      }
      const gain = (profit[si] as number) - cost
      if (rest > 1e-12 || gain <= 0) {
        for (let i = 0; i < end; i++) grad[ord[i] as number] = 0
        continue
      }
      value += gain
      for (let i = 0; i < end; i++) norm += (grad[ord[i] as number] as number) ** 2
    }
    if (value < best.value) best = { value, lam: Float64Array.from(lam) }
    history.push(best.value)
    if (value <= 0 || norm === 0) break
    // Polyak's step towards the target 0: raise the shares each profitable service's cheapest cover charges, then
    // project the operators whose shares moved back onto their stake.
    const step = value / norm
    touched.fill(0)
    for (let e = 0; e < E; e++) {
      const g = grad[e] as number
      if (g === 0) continue
      lam[e] = (lam[e] as number) + step * g
      touched[owner[e] as number] = 1
    }
    opEdges.forEach((edges, v) => {
      if (touched[v]) project(edges, lam, a, sigma[v] as number)
    })
  }
  const shares = toShares(n, best.lam, svcStart)
  return { shares, bound: costShareBound(n, shares), iterations, lam: best.lam }
}

function largestAmount(n: Network): bigint {
  let m = 1n
  for (const o of n.operators) if (o.stake > m) m = o.stake
  for (const s of n.services) if (s.profit > m) m = s.profit
  return m
}

/**
 * Sorts edge indices by share per unit of stake, ascending; members with no stake on the service last (their
 * ratio is 0/0, and one compared as "equal to everything" would stop the others from passing it, leaving the
 * cover too dear and the float search believing a proof the exact check then rejects). Insertion sort: between
 * two steps only the shares of a few covers move, so the order kept from the last step is nearly sorted.
 */
function sortByRatio(ord: Int32Array, lam: Float64Array, a: Float64Array): void {
  for (let i = 1; i < ord.length; i++) {
    const e = ord[i] as number
    const le = lam[e] as number
    const ae = a[e] as number
    let j = i - 1
    while (j >= 0) {
      const f = ord[j] as number
      const af = a[f] as number
      const before = af === 0 ? ae !== 0 : ae !== 0 && le * af < (lam[f] as number) * ae
      if (!before) break
      ord[j + 1] = f
      j--
    }
    ord[j + 1] = e
  }
}

/** Euclidean projection of one operator's shares onto {0 ≤ λ_e ≤ a_e, Σ λ_e ≤ σ_v}, by bisection on the shift. */
function project(edges: number[], lam: Float64Array, a: Float64Array, sigma: number): void {
  const clamped = (e: number, tau: number) => Math.min(a[e] as number, Math.max(0, (lam[e] as number) - tau))
  let sum = 0
  let hi = 0
  for (const e of edges) {
    sum += clamped(e, 0)
    hi = Math.max(hi, lam[e] as number)
  }
  let tau = 0
  if (sum > sigma) {
    let lo = 0
    for (let it = 0; it < 50; it++) {
      const mid = (lo + hi) / 2
      let s = 0
      for (const e of edges) s += clamped(e, mid)
      if (s > sigma) lo = mid
      else hi = mid
    }
    tau = hi
  }
  for (const e of edges) lam[e] = clamped(e, tau)
}

/**
 * Float shares (in units of the largest amount) to exact numerators over 2^40, rounded down, and then trimmed
 * exactly wherever rounding still left an operator over its stake or a share over its allocation.
 */
export function toShares(n: Network, lam: Float64Array, svcStart: Int32Array): CostShares {
  const unit = largestAmount(n)
  const shares = n.services.map((s, si) =>
    s.members.map((_, k) => {
      const x = (lam[(svcStart[si] as number) + k] as number) * (1 - 1e-12) * Number(DEN)
      const l = x > 0 ? BigInt(Math.floor(x)) : 0n
      // λ ≤ a: l·unit ≤ a·den.
      const max = ((s.memberStake[k] ?? 0n) * DEN) / unit
      return l < max ? l : max
    }),
  )
  const used = n.operators.map(() => 0n)
  n.services.forEach((s, si) => {
    s.members.forEach((v, k) => {
      used[v] = (used[v] ?? 0n) + ((shares[si] as bigint[])[k] as bigint)
    })
  })
  n.services.forEach((s, si) => {
    s.members.forEach((v, k) => {
      const cap = ((n.operators[v]?.stake ?? 0n) * DEN) / unit
      const u = used[v] ?? 0n
      const row = shares[si] as bigint[]
      if (u > cap) row[k] = ((row[k] as bigint) * cap) / u // scale down: Σ floor(l·cap/u) ≤ cap
    })
  })
  return { shares, unit, den: DEN }
}
