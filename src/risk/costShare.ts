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
import { buildShareCore, evaluate, initialShares, largestAmount, step, workspace } from './shareCore.ts'

export type CostShares = {
  /** Numerators of λ_vs, parallel to `services[s].members`. */
  shares: bigint[][]
  /** λ_vs = shares[s][k] · unit / den (amount units). */
  unit: bigint
  den: bigint
}

/**
 * Per network, the largest share numerator each edge and each operator may hold over `den` at `unit`:
 * ⌊a_vs·den/unit⌋ and ⌊σ_v·den/unit⌋. For an integer share l and unit > 0, `l·unit ≤ a·den ⇔ l ≤ ⌊a·den/unit⌋`,
 * so comparing with these is the same exact test as the cross-multiplication, without two bigint products per edge
 * at every exact check of the branching (a Network is never changed once built, so the tables stay right).
 */
type FitTables = { unit: bigint; den: bigint; maxL: bigint[][]; capL: bigint[] }
const fitCache = new WeakMap<Network, FitTables>()
function fitTables(n: Network, unit: bigint, den: bigint): FitTables {
  const cached = fitCache.get(n)
  if (cached && cached.unit === unit && cached.den === den) return cached
  const t: FitTables = {
    unit,
    den,
    maxL: n.services.map((s) => s.memberStake.map((a) => (a * den) / unit)),
    capL: n.operators.map((o) => (o.stake * den) / unit),
  }
  fitCache.set(n, t)
  return t
}

/** Whether the shares respect λ_vs ≤ a_vs and Σ_s λ_vs ≤ σ_v, exactly. */
export function sharesFit(n: Network, c: CostShares): boolean {
  // the tables' floor division needs a positive unit; anything else is checked by cross-multiplication
  if (c.unit <= 0n || c.den <= 0n) return sharesFitSlow(n, c)
  const { maxL, capL } = fitTables(n, c.unit, c.den)
  const used: bigint[] = new Array(n.operators.length).fill(0n)
  for (let si = 0; si < n.services.length; si++) {
    const s = n.services[si] as Network['services'][number]
    const row = c.shares[si]
    if (!row || row.length !== s.members.length) return false
    const max = maxL[si] as bigint[]
    for (let k = 0; k < row.length; k++) {
      const l = row[k] as bigint
      if (l < 0n || l > (max[k] as bigint)) return false
      const v = s.members[k] as number
      used[v] = (used[v] as bigint) + l
    }
  }
  for (let v = 0; v < capL.length; v++) if ((used[v] as bigint) > (capL[v] as bigint)) return false
  return true
}

/** sharesFit by cross-multiplication, for any unit and denominator. */
function sharesFitSlow(n: Network, c: CostShares): boolean {
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
  // The float core (shareCore.ts) with every service free: the root of the branch and bound over services.
  const core = buildShareCore(n)
  const ws = workspace(core)
  const free = new Uint8Array(core.S)
  const lam = initialShares(core)
  let best = { value: Number.POSITIVE_INFINITY, lam: Float64Array.from(lam) }
  const history: number[] = []
  let iterations = 0
  for (; iterations < maxIterations; iterations++) {
    if (performance.now() > deadline) break
    const then = history[iterations - patience]
    // At the pace of the last `patience` steps, 0 is still more than twice as many steps away: give up.
    if (then !== undefined && then - best.value < best.value / 2) break
    const { value, norm } = evaluate(core, lam, free, ws)
    if (value < best.value) best = { value, lam: Float64Array.from(lam) }
    history.push(best.value)
    if (value <= 0 || norm === 0) break
    // Polyak's step towards the target 0: raise the shares each profitable service's cheapest cover charges, then
    // project the operators whose shares moved back onto their stake.
    step(core, lam, free, ws, value / norm)
  }
  const shares = toShares(n, best.lam, core.svcStart)
  return { shares, bound: costShareBound(n, shares), iterations, lam: best.lam }
}

/**
 * Float shares (in units of the largest amount) to exact numerators over 2^40, rounded down, and then trimmed
 * exactly wherever rounding still left an operator over its stake or a share over its allocation.
 */
export function toShares(n: Network, lam: Float64Array, svcStart: Int32Array): CostShares {
  const unit = largestAmount(n)
  // λ ≤ a: l·unit ≤ a·den, i.e. l ≤ ⌊a·den/unit⌋; each operator's cap likewise (both computed once per network)
  const { maxL, capL } = fitTables(n, unit, DEN)
  const den = Number(DEN)
  const shares: bigint[][] = new Array(n.services.length)
  const used: bigint[] = new Array(n.operators.length).fill(0n)
  for (let si = 0; si < n.services.length; si++) {
    const members = (n.services[si] as Network['services'][number]).members
    const max = maxL[si] as bigint[]
    const start = svcStart[si] as number
    const row: bigint[] = new Array(members.length)
    for (let k = 0; k < members.length; k++) {
      const x = (lam[start + k] as number) * (1 - 1e-12) * den
      const l = x > 0 ? BigInt(Math.floor(x)) : 0n
      const m = max[k] as bigint
      const r = l < m ? l : m
      row[k] = r
      const v = members[k] as number
      used[v] = (used[v] as bigint) + r
    }
    shares[si] = row
  }
  for (let si = 0; si < n.services.length; si++) {
    const members = (n.services[si] as Network['services'][number]).members
    const row = shares[si] as bigint[]
    for (let k = 0; k < members.length; k++) {
      const v = members[k] as number
      const cap = capL[v] as bigint
      const u = used[v] as bigint
      if (u > cap) row[k] = ((row[k] as bigint) * cap) / u // scale down: Σ floor(l·cap/u) ≤ cap
    }
  }
  return { shares, unit, den: DEN }
}
