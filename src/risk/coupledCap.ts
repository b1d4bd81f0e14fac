/**
 * The coupled Lagrangian bound (coupledCore.ts) checked exactly: a cap on the verdict's net profit that sees the
 * coalition coupling (an operator in B is charged on every attacked service it secures), for when the solver's
 * root LP does not finish (typical 1,000 × 100 with allocations: about 21,000 tokens against the cost shares'
 * 25,300–28,500; docs/risk.md).
 *
 * For multipliers λ_vs (any sign) and μ_s ≥ 0, every valid attack (A, B) nets at most
 *
 *   Σ_s max(0, π_s − μ_s need_s − Σ_v λ_vs)
 *   + Σ_v max( Σ_{s not forcing v} max(0, λ_vs), Σ_s max(0, d_vs) − σ_v, Σ_s max(0, d_vs − a_vs) ),
 *   d_vs = λ_vs + μ_s ā_vs.
 *
 * Why: add μ_s (Σ_{v∈B∩N(s)} ā_vs − need_s) ≥ 0 for each s ∈ A (validity) and λ_vs (1[s∈A] − 1[s∈A]) = 0 for each
 * pair to π(A) − cost(B), and regroup: each service in A keeps π_s − μ_s need_s − Σ_v λ_vs; an operator outside B
 * keeps λ_vs on the attacked services it secures — none of which it is forced on (forcedMembers: without it the
 * service cannot be held); an operator in B keeps d_v(T) − min(σ_v, a_v(T)) for T its attacked services, which is
 * max(d_v(T) − σ_v, d_v(T) − a_v(T)) and no more than the larger sum above.
 *
 * Exactly, in bigint: the multipliers are rounded to numerators over D = 2^40 (λ_vs = Λ_vs · unit / D, μ_s = M_s / D,
 * M_s ≥ 0) — the argument holds for any multipliers, so rounding can only weaken the bound, never break it — and
 * every amount is multiplied by D and by G, the thresholds' common denominator, so need_s and ā_vs = min(a_vs,
 * need_s) are exact too: D·G times the bound is a sum of integers.
 */
import { buildCoupledCore, type CoupledSearch, searchCoupled } from './coupledCore.ts'
import type { Network } from './network.ts'
import { serviceStake } from './network.ts'
import { forcedMembers } from './presolve.ts'
import { gcd, type Rational, rat } from './rational.ts'

const D = 1n << 40n
const DF = 2 ** 40

export type CoupledMultipliers = {
  /** Λ_vs, parallel to `services[s].members`: λ_vs = Λ_vs · unit / D */
  lam: bigint[][]
  /** M_s ≥ 0: μ_s = M_s / D */
  mu: bigint[]
  unit: bigint
}

/**
 * x over 2^40, rounded; 0 where that is not a finite number: a finite x past 2^984 (garbage from a thread, or μ_s =
 * p_s / need_s with amounts near 2^1000 and a service needing one unit) overflowed x·2^40 to ∞ and BigInt(∞) threw.
 * Any multipliers are valid (λ of any sign, μ ≥ 0), so 0 only weakens the bound.
 */
const toBig = (x: number): bigint => {
  const y = Math.round(x * DF)
  return Number.isFinite(y) ? BigInt(y) : 0n
}

/** From the float search (amounts over `unit`, p_s = μ_s need_s) to integer numerators. */
export function toMultipliers(
  n: Network,
  r: Pick<CoupledSearch, 'lam' | 'p'>,
  unit: bigint,
): CoupledMultipliers {
  const u = Number(unit)
  let e = 0
  const lam = n.services.map((s) =>
    s.members.map(() => {
      const l = r.lam[e++] as number
      return toBig(l)
    }),
  )
  const mu = n.services.map((s, si) => {
    const need = (Number(s.threshold.num) / Number(s.threshold.den)) * Number(serviceStake(s))
    const m = need > 0 ? ((r.p[si] as number) * u) / need : 0
    return m > 0 ? toBig(m) : 0n
  })
  return { lam, mu, unit }
}

/** The bound at these multipliers, exactly (amount units). */
export function coupledCapExact(n: Network, m: CoupledMultipliers): Rational {
  // every amount times G, the thresholds' common denominator, so need_s · G = α_s σ(N(s)) · G is an integer
  let G = 1n
  for (const s of n.services) G = (G / gcd(G, s.threshold.den)) * s.threshold.den
  const DG = D * G
  const V = n.operators.length
  const a0 = new Array<bigint>(V).fill(0n)
  const a1 = n.operators.map((o) => -o.stake * DG)
  const a2 = new Array<bigint>(V).fill(0n)
  const touched = new Uint8Array(V)
  let total = 0n
  n.services.forEach((s, si) => {
    const lam = m.lam[si] as bigint[]
    const mu = (m.mu[si] as bigint) > 0n ? (m.mu[si] as bigint) : 0n
    const needG = (s.threshold.num * serviceStake(s) * G) / s.threshold.den // exact: den divides G
    const forced = new Set(forcedMembers(s))
    let r = s.profit * DG - mu * needG
    s.members.forEach((v, k) => {
      const l = (lam[k] ?? 0n) * m.unit * G
      r -= l
      touched[v] = 1
      const aG = (s.memberStake[k] as bigint) * G
      // biome-ignore lint/complexity/useMathMinMax: bigint, Math.min would throw
      const abG = aG < needG ? aG : needG
      if (!forced.has(k) && l > 0n) a0[v] = (a0[v] as bigint) + l
      const d = l + mu * abG
      if (d > 0n) a1[v] = (a1[v] as bigint) + d
      const over = d - aG * D
      if (over > 0n) a2[v] = (a2[v] as bigint) + over
    })
    if (r > 0n) total += r
  })
  for (let v = 0; v < V; v++) {
    if (!touched[v]) continue
    let h = a0[v] as bigint
    if ((a1[v] as bigint) > h) h = a1[v] as bigint
    if ((a2[v] as bigint) > h) h = a2[v] as bigint
    total += h
  }
  return rat(total, DG)
}

/**
 * The time kept from the search for the exact check after it (toMultipliers, coupledCapExact), per operator–service
 * pair: 1–2 ms at 1,000 × 100 (about 5,000 pairs) once compiled, 24–46 ms the first time in a process (load 4–5).
 */
export const EXACT_CHECK_MS_PER_EDGE = 0.008

/**
 * Search (floats) and check exactly: a valid cap on the verdict's net profit, in about `budgetMs` of wall-clock all
 * told — building the search's arrays and the exact check are inside it (they came after it: the cap overran its
 * share by about 20 ms at 1,000 × 100).
 */
export function findCoupledCap(n: Network, opts: { budgetMs: number; maxIterations?: number }): Rational {
  return searchCoupledCap(n, opts).bound
}

/** findCoupledCap, with the search's multipliers and τ too (a warm start for its continuation: attack.ts). */
export function searchCoupledCap(
  n: Network,
  opts: { budgetMs: number; maxIterations?: number },
): { bound: Rational; search: CoupledSearch; unit: bigint } {
  const t0 = performance.now()
  const core = buildCoupledCore(n)
  const edges = n.services.reduce((a, s) => a + s.members.length, 0)
  const searchMs = opts.budgetMs - (performance.now() - t0) - EXACT_CHECK_MS_PER_EDGE * edges
  // (with no time left it still takes its start, λ = 0 and each service priced at its profit: a valid cap)
  const r = searchCoupled(core, { budgetMs: Math.max(0, searchMs), maxIterations: opts.maxIterations })
  return { bound: coupledCapExact(n, toMultipliers(n, r, core.unit)), search: r, unit: core.unit }
}
