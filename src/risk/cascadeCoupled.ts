/**
 * The coupled Lagrangian bound on the cascade R_ψ (docs/risk.md, "The cascade R_ψ", "The coupled cap"): the cost
 * shares' knapsack (cascadeBound.ts) charges each attacked service its own cover, so an operator in B is never
 * charged twice for serving two attacked services; here each operator is one subproblem over all its services, as
 * the verdict's coupled cap does (coupledCore.ts, coupledCap.ts).
 *
 * For any multipliers λ_vs (free), μ_s ≥ 0 and θ ≥ 0, every attack (A, B) valid after a shock D (σ(D) ≤ Ψ, B ∩ D = ∅,
 * A ≠ ∅) has
 *
 *   π(A) ≤ −θ + Σ_s max(0, (1 + θ) π_s − μ_s need_s − Σ_v λ_vs) + Σ_v base_v + max{ Σ_{v∈D'} gain_v : σ(D') ≤ Ψ },
 *   base_v = max( Σ_s max(0, λ_vs),                                           (v outside B and D)
 *                 Σ_s max(0, b_vs) − θ σ_v,  Σ_s max(0, b_vs − θ a_vs) ),      (v ∈ B: b_vs = λ_vs + μ_s ā_vs)
 *   gain_v = Σ_s max(0, λ_vs + μ_s ǎ_vs) − base_v                              (v ∈ D)
 *
 * with need_s = α_s σ(N(s)), ā_vs = min(a_vs, need_s) and ǎ_vs = min(α_s a_vs, need_s). Why: add to π(A) the
 * non-negative terms μ_s (Σ_{v∈B} ā_vs + Σ_{v∈D} ǎ_vs − need_s) for s ∈ A (the threshold after the shock, each
 * coefficient capped at the need: a capped member present meets the row alone), θ (π(A) − 1 − cost(B)) (validity in
 * whole units) and λ_vs (1[s∈A] − 1[s∈A]) = 0, and regroup by service and operator: each operator's part is at most
 * the best of its three states over any set of its services (cost_v = min(σ_v, a_v(T)) for v ∈ B, as in coupledCap.ts),
 * and the shock's part is a 0/1 knapsack, bounded by its LP: for any φ ≥ 0, φΨ + Σ_v max(0, gain_v − φσ_v).
 * Then R_ψ σ(V) = σ(D) + cost(B) ≤ Ψ + π(A) − 1 (and ≤ Ψ for the shock alone), so R_ψ σ(V) ≤ Ψ + max(0, ⌊P⌋ − 1).
 * At the best multipliers it is at least as tight as that relaxation's LP (bench/cascCoupledProbe.ts: on the bench's
 * hard 1,000 × 100 networks with allocations HiGHS puts the LP 1.8–2.4 points of R_ψ below the shares' bound).
 * The shares' bound, its split included, is one point of this Lagrangian (startFromShares), the search's start.
 *
 * The search is in floats (L-BFGS on a smoothed L, as coupledCore.ts; φ dualised there too); the check is exact in
 * bigint (`coupledCascadeExact`): any multipliers give a valid bound, so rounding them only weakens it, and φ is the
 * knapsack's critical ratio exactly.
 */

import { SPLIT_DEN } from './cascadeBound.ts'
import type { CostShares } from './costShare.ts'
import { buildEdgeLayout, type EdgeLayout } from './edgeLayout.ts'
import { lbfgsDirection, lbfgsRemember } from './lbfgs.ts'
import type { Network } from './network.ts'
import { gcd } from './rational.ts'
import { FREE, IN, OUT } from './shareCore.ts'
import { runSlices, runSteps } from './steps.ts'

const D = 1n << 40n
const DF = 2 ** 40

export type CascadeCoupledCore = EdgeLayout & {
  /** ǎ_vs / need_s = min(α_s·a_vs, need_s) / need_s (0 where need_s = 0) */
  wd: Float64Array
  /** Ψ and one whole unit, over `unit` */
  psi: number
  one: number
}

export function buildCascadeCoupled(n: Network, budget: bigint): CascadeCoupledCore {
  const layout = buildEdgeLayout(n)
  const wd = new Float64Array(layout.E)
  n.services.forEach((s, si) => {
    // in tokens, as the layout's w (the same floats as before the layout was shared)
    const alpha = layout.alpha[si] as number
    const need = alpha * s.memberStake.reduce((x, y) => x + Number(y), 0)
    const base = layout.svcStart[si] as number
    s.memberStake.forEach((av, k) => {
      wd[base + k] = need > 0 ? Math.min(alpha * Number(av), need) / need : 0
    })
  })
  const u = Number(layout.unit)
  return { ...layout, wd, psi: Number(budget) / u, one: 1 / u }
}

/**
 * θ = sp(x/K) and φ = sp(x/K): their variables scaled up (a step moves them K times less than a λ), for L-BFGS's one
 * scale (hard 1,000 × 100 seed 1, 600 steps: K = 1 0.2425, 4 0.2392, 16 0.2915).
 */
const K = 4
/** τ·log(1 + e^{t/τ}), stably, and its derivative */
const sp = (t: number, tau: number): number =>
  t > 0 ? t + tau * Math.log1p(Math.exp(-t / tau)) : tau * Math.log1p(Math.exp(t / tau))
const sg = (t: number, tau: number): number => {
  if (t >= 0) return 1 / (1 + Math.exp(-t / tau))
  const z = Math.exp(t / tau)
  return z / (1 + z)
}

/**
 * Beyond this many τ from its kink a softplus is its hinge to the float: e^-40 ≈ 4·10^-18 is below half an ulp of 1,
 * so the slope 1/(1 + z) is exactly 1 above it, and t + τ·log1p(z) is t; below it the slope and value are under
 * 4·10^-18 and τ·4·10^-18 (taken as 0). Most edges sit there once τ is small, and their exp and log1p were a fifth
 * of the branching's CPU (1,000 × 100). Floats only: the search's bound is checked exactly whatever it finds.
 */
const FAR = 40
/** sp(t, τ), its slope sg(t, τ) stored at out[i]: one exponential for both (none far from the kink) */
function spg(t: number, tau: number, out: Float64Array, i: number): number {
  if (t > FAR * tau) {
    out[i] = 1
    return t
  }
  if (t < -FAR * tau) {
    out[i] = 0
    return 0
  }
  const z = Math.exp(-Math.abs(t) / tau)
  out[i] = t >= 0 ? 1 / (1 + z) : z / (1 + z)
  return Math.max(t, 0) + tau * Math.log1p(z)
}
/** smoothed()'s slopes per operator edge, reused between calls (one search at a time: the engine is single-threaded) */
let slopes = new Float64Array(0)
/**
 * The unsmoothed L (cascadeCoupledValue's, the same sums in the same order, so the same float) at smoothed()'s last
 * point, and its shock gains: the search keeps its best point by it, and a separate pass after every step was a tenth
 * of the branching's CPU at 1,000 × 100.
 */
let lastExact = Number.NaN
let exactGain = new Float64Array(0)

/** knapsackFloat's scratch (ratios, weights, gains), reused between calls (one search at a time, as `slopes`) */
let kR = new Float64Array(0)
let kW = new Float64Array(0)
let kG = new Float64Array(0)

/**
 * max{ Σ gain : σ ≤ Ψ } by its LP, in floats: Σ over the densest positive gains, the last one in part. The densest
 * are found by a weighted selection (three-way partitions around a pivot ratio, into the side that holds the budget's
 * edge) rather than a sort: it runs after every accepted step of the search, and the sort's comparator was a tenth of
 * the branching's CPU at 1,000 × 100.
 */
export function knapsackFloat(gain: Float64Array, sigma: Float64Array, psi: number): number {
  const V = gain.length
  if (kR.length < V) {
    kR = new Float64Array(V)
    kW = new Float64Array(V)
    kG = new Float64Array(V)
  }
  const R = kR,
    W = kW,
    G = kG
  let val = 0
  let m = 0
  for (let v = 0; v < V; v++) {
    const gv = gain[v] as number
    if (!(gv > 0)) continue
    const sv = sigma[v] as number
    if (sv <= 0) val += gv
    else {
      R[m] = gv / sv
      W[m] = sv
      G[m] = gv
      m++
    }
  }
  let room = psi
  let lo = 0,
    hi = m
  // invariant: every item denser than those in [lo, hi) is taken (in val, out of room), every sparser one is not
  while (lo < hi && room > 0) {
    const pivot = R[lo + ((hi - lo) >> 1)] as number
    // three-way partition of [lo, hi): denser than the pivot in [lo, gt), as dense in [gt, lt), sparser in [lt, hi)
    let gt = lo,
      i = lo,
      lt = hi
    while (i < lt) {
      const r = R[i] as number
      if (r > pivot) {
        swap(R, W, G, i, gt)
        gt++
        i++
      } else if (r < pivot) {
        lt--
        swap(R, W, G, i, lt)
      } else i++
    }
    let wDense = 0,
      gDense = 0
    for (let k = lo; k < gt; k++) {
      wDense += W[k] as number
      gDense += G[k] as number
    }
    if (wDense > room) {
      hi = gt // the budget's edge is among the denser ones
      continue
    }
    val += gDense
    room -= wDense
    let wEq = 0,
      gEq = 0
    for (let k = gt; k < lt; k++) {
      wEq += W[k] as number
      gEq += G[k] as number
    }
    if (wEq > room) return val + pivot * room // the edge is among the ties: any of them, in part, at their ratio
    val += gEq
    room -= wEq
    lo = lt
  }
  return val
}

function swap(R: Float64Array, W: Float64Array, G: Float64Array, i: number, j: number): void {
  const r = R[i] as number,
    w = W[i] as number,
    g = G[i] as number
  R[i] = R[j] as number
  W[i] = W[j] as number
  G[i] = G[j] as number
  R[j] = r
  W[j] = w
  G[j] = g
}

/** The bound on P (over `unit`) at (λ, p = μ·need, θ), the shock's knapsack by its LP; floats. */
export function cascadeCoupledValue(
  c: CascadeCoupledCore,
  lam: Float64Array,
  p: Float64Array,
  theta: number,
  fixed?: Uint8Array,
): number {
  const { S, V, svcStart, svcOf, opStart, opEdges, a, w, wd, pi, sigma } = c
  let val = -theta * c.one
  for (let s = 0; s < S; s++) {
    const fx = fixed ? (fixed[s] as number) : FREE
    if (fx === OUT) continue
    let r = (1 + theta) * (pi[s] as number) - (p[s] as number)
    for (let e = svcStart[s] as number; e < (svcStart[s + 1] as number); e++) r -= lam[e] as number
    if (r > 0 || fx === IN) val += r
  }
  const gain = new Float64Array(V)
  for (let v = 0; v < V; v++) {
    let o0 = 0,
      o1 = -theta * (sigma[v] as number),
      o2 = 0,
      o3 = 0
    for (let i = opStart[v] as number; i < (opStart[v + 1] as number); i++) {
      const e = opEdges[i] as number
      const fx = fixed ? (fixed[svcOf[e] as number] as number) : FREE
      if (fx === OUT) continue
      const l = lam[e] as number
      const ps = p[svcOf[e] as number] as number
      const b = l + ps * (w[e] as number)
      const f = l + ps * (wd[e] as number)
      if (fx === IN) {
        o0 += l
        o1 += b
        o2 += b - theta * (a[e] as number)
        o3 += f
        continue
      }
      if (l > 0) o0 += l
      if (b > 0) o1 += b
      if (b > theta * (a[e] as number)) o2 += b - theta * (a[e] as number)
      if (f > 0) o3 += f
    }
    const base = Math.max(o0, o1, o2)
    val += base
    gain[v] = o3 - base
  }
  return val + knapsackFloat(gain, sigma, c.psi)
}

/**
 * The smoothed L and its gradient in x = [λ (E), m (S), t, f]: p = sp(m), θ = sp(t), φ = sp(f); the shock's
 * knapsack dualised by φ (L = … + φΨ + Σ_v LSE(out, B, B', D − φσ_v)).
 */
function smoothed(
  c: CascadeCoupledCore,
  x: Float64Array,
  tau: number,
  g: Float64Array,
  p: Float64Array,
  fixed?: Uint8Array,
): number {
  const { S, E, V, svcStart, svcOf, opStart, opEdges, a, w, wd, pi, sigma, psi } = c
  if (slopes.length < 4 * E) slopes = new Float64Array(4 * E)
  const sg0 = slopes.subarray(0, E),
    sg1 = slopes.subarray(E, 2 * E),
    sg2 = slopes.subarray(2 * E, 3 * E),
    sg3 = slopes.subarray(3 * E, 4 * E)
  for (let s = 0; s < S; s++) p[s] = c.priced[s] ? sp(x[E + s] as number, tau) : 0
  const theta = sp((x[E + S] as number) / K, tau)
  const phi = sp((x[E + S + 1] as number) / K, tau)
  g.fill(0)
  let dTheta = -c.one
  let dPhi = psi
  let val = -theta * c.one + phi * psi
  let exact = -theta * c.one
  if (exactGain.length < V) exactGain = new Float64Array(V)
  const gain = exactGain
  const gp = new Float64Array(S)
  for (let s = 0; s < S; s++) {
    const fx = fixed ? (fixed[s] as number) : FREE
    if (fx === OUT) continue // no term; g stays 0 on its λ and μ
    let r = (1 + theta) * (pi[s] as number) - (p[s] as number)
    for (let e = svcStart[s] as number; e < (svcStart[s + 1] as number); e++) r -= x[e] as number
    if (r > 0 || fx === IN) exact += r
    // IN: the term counts whatever its sign (linear, slope 1)
    val += fx === IN ? r : sp(r, tau)
    const ys = fx === IN ? 1 : sg(r, tau)
    for (let e = svcStart[s] as number; e < (svcStart[s + 1] as number); e++) g[e] = -ys
    gp[s] = -ys
    dTheta += ys * (pi[s] as number)
  }
  for (let v = 0; v < V; v++) {
    const lo = opStart[v] as number,
      hi = opStart[v + 1] as number
    gain[v] = 0
    if (lo === hi) continue
    const sv = sigma[v] as number
    let o0 = 0,
      o1 = -theta * sv,
      o2 = 0,
      o3 = -phi * sv
    // the unsmoothed states (cascadeCoupledValue's o0–o3)
    let h0 = 0,
      h1 = -theta * sv,
      h2 = 0,
      h3 = 0
    for (let i = lo; i < hi; i++) {
      const e = opEdges[i] as number
      const l = x[e] as number
      const ps = p[svcOf[e] as number] as number
      const b = l + ps * (w[e] as number)
      const fx = fixed ? (fixed[svcOf[e] as number] as number) : FREE
      if (fx !== FREE) {
        // OUT: the edge is in no state (slopes 0); IN: in every state, linear (slopes 1)
        const on = fx === IN ? 1 : 0
        sg0[i] = on
        sg1[i] = on
        sg2[i] = on
        sg3[i] = on
        if (on) {
          o0 += l
          o1 += b
          o2 += b - theta * (a[e] as number)
          o3 += l + ps * (wd[e] as number)
          h0 += l
          h1 += b
          h2 += b - theta * (a[e] as number)
          h3 += l + ps * (wd[e] as number)
        }
        continue
      }
      const b2 = b - theta * (a[e] as number)
      const f = l + ps * (wd[e] as number)
      if (l > 0) h0 += l
      if (b > 0) h1 += b
      if (b > theta * (a[e] as number)) h2 += b2
      if (f > 0) h3 += f
      // each softplus with its slope from one exponential (kept for the gradient's pass below)
      o0 += spg(l, tau, sg0, i)
      o1 += spg(b, tau, sg1, i)
      o2 += spg(b2, tau, sg2, i)
      o3 += spg(f, tau, sg3, i)
    }
    const hb = Math.max(h0, h1, h2)
    exact += hb
    gain[v] = h3 - hb
    const mx = Math.max(o0, o1, o2, o3)
    const e0 = Math.exp((o0 - mx) / tau),
      e1 = Math.exp((o1 - mx) / tau),
      e2 = Math.exp((o2 - mx) / tau),
      e3 = Math.exp((o3 - mx) / tau)
    const z = e0 + e1 + e2 + e3
    val += mx + tau * Math.log(z)
    const w0 = e0 / z,
      w1 = e1 / z,
      w2 = e2 / z,
      w3 = e3 / z
    dTheta -= w1 * sv
    dPhi -= w3 * sv
    for (let i = lo; i < hi; i++) {
      const e = opEdges[i] as number
      const s = svcOf[e] as number
      const s1 = sg1[i] as number
      const s2 = sg2[i] as number
      const s3 = sg3[i] as number
      g[e] = (g[e] as number) + w0 * (sg0[i] as number) + w1 * s1 + w2 * s2 + w3 * s3
      gp[s] = (gp[s] as number) + (w1 * s1 + w2 * s2) * (w[e] as number) + w3 * s3 * (wd[e] as number)
      dTheta -= w2 * s2 * (a[e] as number)
    }
  }
  for (let s = 0; s < S; s++)
    g[E + s] = c.priced[s] && fixed?.[s] !== OUT ? (gp[s] as number) * sg(x[E + s] as number, tau) : 0
  g[E + S] = (dTheta * sg((x[E + S] as number) / K, tau)) / K
  g[E + S + 1] = (dPhi * sg((x[E + S + 1] as number) / K, tau)) / K
  lastExact = exact + knapsackFloat(gain.subarray(0, V), sigma, psi)
  return val
}

/**
 * The cost shares' bound as a point of this Lagrangian (the start): with the shares' prices λ^sh_vs, each service's
 * cover price μ_s (the share per unit of stake of the member the fractional cover takes last) and the knapsack's
 * dual θ, the multipliers λ_vs = −θ max(0, μ_s a_vs − λ^sh_vs), μ'_s = θ μ_s give exactly the shares' bound with
 * the shock credited at κ (cascadeBound.ts shockShares): an operator in B keeps Σ_s θ min(μ_s ā_vs, λ^sh_vs) − θ
 * cost ≤ 0 (shares fit its stake and allocations), a shocked one θ κ_v, each service (1 + θ)π_s − θ T_s. θ is
 * searched here on a grid (floats). Returns λ (E) and p (S) over `unit`, and θ.
 */
export function startFromShares(
  n: Network,
  c: CascadeCoupledCore,
  shares: CostShares,
  split?: readonly (readonly bigint[])[],
): { lam: Float64Array; p: Float64Array; theta: number } {
  const scale = Number(shares.unit) / Number(shares.den) / Number(c.unit)
  const sh = new Float64Array(c.E)
  n.services.forEach((s, si) => {
    const row = shares.shares[si] ?? []
    s.members.forEach((_, k) => {
      sh[(c.svcStart[si] as number) + k] = Number(row[k] ?? 0n) * scale
    })
  })
  // each service's cover price: members by share per stake, the one that crosses the need
  const mu = new Float64Array(c.S)
  for (let s = 0; s < c.S; s++) {
    const lo = c.svcStart[s] as number,
      hi = c.svcStart[s + 1] as number
    const need = c.need[s] as number
    if (!(need > 0)) continue
    const idx: number[] = []
    for (let e = lo; e < hi; e++) if ((c.a[e] as number) > 0) idx.push(e)
    idx.sort((i, j) => (sh[i] as number) / (c.a[i] as number) - (sh[j] as number) / (c.a[j] as number))
    let left = need
    for (const e of idx) {
      mu[s] = (sh[e] as number) / (c.a[e] as number)
      left -= c.a[e] as number
      if (left <= 0) break
    }
  }
  // the split's part of each shock credit κ_vs = α_s μ_s a_vs − max(0, μ_s a_vs − λ^sh_vs) moved to the service
  const moved = new Float64Array(c.E)
  if (split)
    n.services.forEach((s, si) => {
      s.members.forEach((_, k) => {
        const e = (c.svcStart[si] as number) + k
        const beta = Math.min(1, Math.max(0, Number(split[si]?.[k] ?? 0n) / Number(SPLIT_DEN)))
        const mua = (mu[si] as number) * (c.a[e] as number)
        const kappa =
          (c.need[si] as number) * (mu[si] as number) * (c.wd[e] as number) -
          Math.max(0, mua - (sh[e] as number))
        moved[e] = beta * Math.max(0, kappa)
      })
    })
  const lam = new Float64Array(c.E)
  const p = new Float64Array(c.S)
  const at = (theta: number) => {
    for (let e = 0; e < c.E; e++) {
      const s = c.svcOf[e] as number
      lam[e] =
        -theta *
        (Math.max(0, (mu[s] as number) * (c.a[e] as number) - (sh[e] as number)) + (moved[e] as number))
    }
    for (let s = 0; s < c.S; s++) p[s] = theta * (mu[s] as number) * (c.need[s] as number)
    return cascadeCoupledValue(c, lam, p, theta)
  }
  // a grid, then golden sections around its best (the value is convex in θ: a Lagrangian dual along a ray)
  let best = { theta: 1, value: Number.POSITIVE_INFINITY }
  for (let t = 0.02; t <= 50; t *= 1.25) {
    const v = at(t)
    if (v < best.value) best = { theta: t, value: v }
  }
  let lo = best.theta / 1.25,
    hi = best.theta * 1.25
  const gr = (Math.sqrt(5) - 1) / 2
  for (let i = 0; i < 30; i++) {
    const m1 = hi - gr * (hi - lo),
      m2 = lo + gr * (hi - lo)
    if (at(m1) <= at(m2)) hi = m2
    else lo = m1
  }
  const mid = (lo + hi) / 2
  if (at(mid) < best.value) best = { theta: mid, value: at(mid) }
  at(best.theta)
  return { lam, p, theta: best.theta }
}

export type CascadeCoupledSearch = {
  /** λ_vs over `unit`, by edge */
  lam: Float64Array
  /** p_s = μ_s need_s over `unit` */
  p: Float64Array
  theta: number
  /** the bound on P at these multipliers (floats, over `unit`) */
  value: number
  iterations: number
}

/** the inverse of sp at τ (for the start) */
const spInv = (y: number, tau: number): number =>
  y > 30 * tau ? y : tau * Math.log(Math.expm1(Math.max(1e-300, y) / tau))

/**
 * L-BFGS on the smoothed L for a falling τ (coupledCore.ts's pattern: τ from a hundredth of the mean profit, halved
 * every `phase` steps or when the line search fails, down to a millionth), the best exact L kept.
 */
export function searchCascadeCoupled(
  c: CascadeCoupledCore,
  opts: CoupledSearchOptions = {},
): CascadeCoupledSearch {
  return runSteps(coupledSearchSteps(c, { ...opts, sliceMs: undefined }))
}

export type CoupledSearchOptions = {
  deadline?: number
  maxIterations?: number
  phase?: number
  theta0?: number
  tau0?: number
  /** a start (startFromShares), else λ = 0, each service priced at its inflated profit, θ = φ = theta0 */
  start?: { lam: Float64Array; p: Float64Array; theta: number }
  /** pause (yield) after this long of steps: the caller lets its event loop run in between (coupledCascadeBoundChunked) */
  sliceMs?: number
  /** checked before every step: true ends the search (with the best multipliers so far) */
  stop?: () => boolean
  /** a branching node's services (shareCore.ts FREE, IN, OUT): the node's Lagrangian (coupledCascadeNodeExact) */
  fixed?: Uint8Array
}

/** searchCascadeCoupled's steps, pausing every `sliceMs` (never when it is undefined). */
export function* coupledSearchSteps(
  c: CascadeCoupledCore,
  opts: CoupledSearchOptions,
): Generator<void, CascadeCoupledSearch, void> {
  const { S, E } = c
  const N = E + S + 2
  const maxIt = opts.maxIterations ?? 100_000
  const deadline = opts.deadline ?? performance.now() + 1000
  let meanPi = 0
  for (let s = 0; s < S; s++) meanPi += (c.pi[s] as number) / Math.max(1, S)
  if (!(meanPi > 0)) meanPi = 1
  // from a start near the optimum, a small τ (hard 1,000 × 100 seed 1 from the shares, 600 steps: τ0 0.01 → 0.2339,
  // 0.001 → 0.2290); held for `phase` steps (100: 0.2426)
  let tau = (opts.tau0 ?? (opts.start ? 0.001 : 0.01)) * meanPi
  const tauMin = 1e-6 * meanPi
  const theta0 = opts.theta0 ?? 1
  const x = new Float64Array(N)
  // start: λ = 0, each service priced at its inflated profit (no service term), θ = theta0, φ = θ
  if (opts.start) {
    x.set(opts.start.lam)
    for (let s = 0; s < S; s++) x[E + s] = spInv(opts.start.p[s] as number, tau)
    x[E + S] = spInv(opts.start.theta, tau) * K
    // φ at the shock's critical ratio would be better; θ is what the shares' credit is scaled by
    x[E + S + 1] = spInv(opts.start.theta, tau) * K
  } else {
    for (let s = 0; s < S; s++) x[E + s] = spInv((1 + theta0) * (c.pi[s] as number), tau)
    x[E + S] = spInv(theta0, tau) * K
    x[E + S + 1] = spInv(theta0, tau) * K
  }
  const g = new Float64Array(N),
    gNew = new Float64Array(N),
    xNew = new Float64Array(N),
    dir = new Float64Array(N),
    p = new Float64Array(S)
  const M = 12
  const sHist: Float64Array[] = [],
    yHist: Float64Array[] = [],
    rhoHist: number[] = []
  const alpha = new Float64Array(M)
  const best = { lam: new Float64Array(E), p: new Float64Array(S), theta: 0, value: Number.POSITIVE_INFINITY }
  // (always right after smoothed() at x: its lastExact is cascadeCoupledValue at x, p and θ)
  const record = () => {
    const theta = sp((x[E + S] as number) / K, tau)
    const v = lastExact
    if (v < best.value) {
      best.value = v
      best.lam.set(x.subarray(0, E))
      best.p.set(p)
      best.theta = theta
    }
  }
  const reset = () => {
    sHist.length = 0
    yHist.length = 0
    rhoHist.length = 0
  }
  let f = smoothed(c, x, tau, g, p, opts.fixed)
  record()
  let it = 0
  let phaseIt = 0
  const PHASE = opts.phase ?? 300
  let sliceEnd = opts.sliceMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + opts.sliceMs
  // at least one step per slice: a slice of 0 ms yielded on every turn and never stepped (review riskv)
  let sliceSteps = 0
  while (it < maxIt && performance.now() < deadline && !opts.stop?.()) {
    if (sliceSteps > 0 && performance.now() >= sliceEnd) {
      yield
      sliceEnd = performance.now() + (opts.sliceMs ?? Number.POSITIVE_INFINITY)
      sliceSteps = 0
      continue
    }
    sliceSteps++
    it++
    phaseIt++
    lbfgsDirection(g, dir, sHist, yHist, rhoHist, alpha, tau)
    const k = sHist.length
    let gd = 0
    for (let i = 0; i < N; i++) gd += (g[i] as number) * (dir[i] as number)
    if (!(gd > 0)) {
      reset()
      if (k === 0) break // no descent even along the gradient (a zero or NaN gradient)
      continue
    }
    let step = 1
    let fNew = 0
    let ok = false
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < N; i++) xNew[i] = (x[i] as number) - step * (dir[i] as number)
      fNew = smoothed(c, xNew, tau, gNew, p, opts.fixed)
      if (fNew <= f - 1e-4 * step * gd) {
        ok = true
        break
      }
      step *= 0.5
    }
    const nextPhase = () => {
      reset()
      tau = Math.max(tauMin, tau * 0.5)
      phaseIt = 0
      f = smoothed(c, x, tau, g, p, opts.fixed)
    }
    if (!ok) {
      if (tau <= tauMin) break
      nextPhase()
      continue
    }
    lbfgsRemember(x, xNew, g, gNew, sHist, yHist, rhoHist, M)
    x.set(xNew)
    g.set(gNew)
    f = fNew
    record()
    if (phaseIt >= PHASE && tau > tauMin) nextPhase()
  }
  return { lam: best.lam, p: best.p, theta: best.theta, value: best.value, iterations: it }
}

export type CascadeCoupledMultipliers = {
  /** Λ_vs, parallel to `services[s].members`: λ_vs = Λ_vs · unit / D */
  lam: bigint[][]
  /** M_s ≥ 0: μ_s = M_s / D */
  mu: bigint[]
  /** Θ ≥ 0: θ = Θ / D */
  theta: bigint
  unit: bigint
}

/**
 * x over 2^40, rounded; 0 where that is not a finite number: a finite x past 2^984 (μ_s = p_s / need_s with amounts
 * near 2^1000 and a service needing one unit) overflowed x·2^40 to ∞ and BigInt(∞) threw. Any multipliers are valid.
 */
const toBig = (x: number): bigint => {
  const y = Math.round(x * DF)
  return Number.isFinite(y) ? BigInt(y) : 0n
}

/** From the float search to integer numerators (negative μ and θ, or NaN, become 0: any multipliers are valid). */
export function toCascadeMultipliers(
  n: Network,
  c: CascadeCoupledCore,
  r: CascadeCoupledSearch,
): CascadeCoupledMultipliers {
  let e = 0
  const lam = n.services.map((s) => s.members.map(() => toBig(r.lam[e++] as number)))
  const mu = n.services.map((_, si) => {
    const need = c.need[si] as number
    const m = need > 0 ? (r.p[si] as number) / need : 0
    return m > 0 ? toBig(m) : 0n
  })
  const theta = r.theta > 0 ? toBig(r.theta) : 0n
  return { lam, mu, theta: theta > 0n ? theta : 0n, unit: c.unit }
}

/**
 * The bound on R_ψ σ(V) (amount units, a whole number) at these multipliers, exactly: Ψ + max(0, ⌊P⌋ − 1), P the
 * Lagrangian bound above with the shock's knapsack by its LP at its critical ratio (computed exactly).
 */
export function coupledCascadeExact(n: Network, budget: bigint, m: CascadeCoupledMultipliers): bigint {
  const floorP = coupledCascadeFloorP(n, budget, m)
  const pMinus1 = floorP - 1n
  return budget + (pMinus1 > 0n ? pMinus1 : 0n)
}

/**
 * The bound at a node of a branching over services (cascadeCoupledBranch.ts): every valid cascade (D, A, B) with
 * IN ⊆ A and A ∩ OUT = ∅ (`fixed`, shareCore.ts's FREE / IN / OUT per service). Why: the argument above adds the
 * same non-negative terms for such an A, and regroups the same way; only the maxima change. The service part
 * Σ_{s∈A} r_s (r_s = (1 + θ)π_s − μ_s need_s − Σ_v λ_vs) is at most Σ_{s∈IN} r_s + Σ_{s∈FREE} max(0, r_s) — an IN
 * service counted whatever the sign of its term, an OUT one never. Each operator's part is a maximum over the set T
 * = A ∩ S(v) of its services, now with IN ∩ S(v) ⊆ T ⊆ S(v) \ OUT; each of its states is a sum over T of per-edge
 * terms (B's second state Σ_T b_vs − θ min(σ_v, a_v(T)) = max(Σ_T b_vs − θσ_v, Σ_T (b_vs − θ a_vs))), whose maximum
 * over such T is the IN edges' terms plus the FREE edges' positive parts, OUT edges left out. The shock's knapsack
 * over gain_v = (its shocked state) − base_v is unchanged (a gain may now be negative: never shocked). Then P ≥ π(A)
 * for every attack in the node, and R σ(V) ≤ Ψ + max(0, ⌊P⌋ − 1) over them; with some service IN the shock alone
 * (A = ∅) is not in the node and ⌊P⌋ < 1 means the node holds no valid attack (π(A) ≥ cost(B) + 1 ≥ 1): null.
 * Any multipliers are valid at any node, so the parent's serve as a start (bench/cascCoupledBranch.ts, tests in
 * cascadeCoupledNode.test.ts). `wrong` is the tests' mutant: an IN service's edges left out of its members' states (as if the
 * fixing were only the services' part), which drops positive terms.
 */
export function coupledCascadeNodeExact(
  n: Network,
  budget: bigint,
  m: CascadeCoupledMultipliers,
  fixed: Uint8Array,
  wrong?: 'inEdgesOut',
): { bound: bigint; p: bigint } | null {
  const floorP = coupledCascadeFloorP(n, budget, m, fixed, wrong)
  const anyIn = fixed.includes(IN)
  if (anyIn && floorP < 1n) return null
  const pMinus1 = floorP - 1n
  return { bound: budget + (pMinus1 > 0n ? pMinus1 : 0n), p: floorP }
}

/** ⌊P⌋, P the Lagrangian's value at these multipliers (the header; with `fixed`, coupledCascadeNodeExact's). */
function coupledCascadeFloorP(
  n: Network,
  budget: bigint,
  m: CascadeCoupledMultipliers,
  fixed?: Uint8Array,
  wrong?: 'inEdgesOut',
): bigint {
  // every amount times G (the thresholds' common denominator) and D (the multipliers' denominator)
  let G = 1n
  for (const s of n.services) G = (G / gcd(G, s.threshold.den)) * s.threshold.den
  const DG = D * G
  const V = n.operators.length
  const theta = m.theta > 0n ? m.theta : 0n
  const o0 = new Array<bigint>(V).fill(0n)
  const o1 = n.operators.map((o) => -theta * o.stake * G)
  const o2 = new Array<bigint>(V).fill(0n)
  const o3 = new Array<bigint>(V).fill(0n)
  // the constant −θ·1 (one whole unit), times DG
  let total = -theta * G
  n.services.forEach((s, si) => {
    const fx = fixed ? (fixed[si] as number) : FREE
    if (fx === OUT) return // in no state, nor in the services' part
    const forced = fx === IN
    const lam = m.lam[si] as bigint[]
    const mu = (m.mu[si] ?? 0n) > 0n ? (m.mu[si] as bigint) : 0n
    const gd = G / s.threshold.den // exact: den divides G
    let stake = 0n
    for (const x of s.memberStake) stake += x
    const needG = s.threshold.num * stake * gd
    let r = s.profit * G * (D + theta) - mu * needG
    s.members.forEach((v, k) => {
      const l = (lam[k] ?? 0n) * m.unit * G
      r -= l
      const aG = (s.memberStake[k] ?? 0n) * G
      const aaG = s.threshold.num * (s.memberStake[k] ?? 0n) * gd // α a G, exact
      const capB = aG < needG ? aG : needG
      const capD = aaG < needG ? aaG : needG
      const b = l + mu * capB
      const over = b - theta * aG
      const f = l + mu * capD
      // an IN edge in every state whatever its sign; a FREE one where it gains (the mutant: no IN edge)
      if (forced && wrong === 'inEdgesOut') return
      if (forced || l > 0n) o0[v] = (o0[v] as bigint) + l
      if (forced || b > 0n) o1[v] = (o1[v] as bigint) + b
      if (forced || over > 0n) o2[v] = (o2[v] as bigint) + over
      if (forced || f > 0n) o3[v] = (o3[v] as bigint) + f
    })
    if (forced || r > 0n) total += r
  })
  // the operators' base, and the shock's gains over it
  const gain: bigint[] = []
  for (let v = 0; v < V; v++) {
    let h = o0[v] as bigint
    if ((o1[v] as bigint) > h) h = o1[v] as bigint
    if ((o2[v] as bigint) > h) h = o2[v] as bigint
    total += h
    gain.push((o3[v] as bigint) - h)
  }
  // the knapsack's LP: φ at the critical ratio g_k / σ_k (found in floats; any φ ≥ 0 is valid), or 0 when every
  // positive gain fits; value φΨ + Σ_v max(0, g_v − φσ_v), times σ_k to stay in integers
  const stakes = n.operators.map((o) => o.stake)
  const pos: number[] = []
  for (let v = 0; v < V; v++) if ((gain[v] as bigint) > 0n && (stakes[v] as bigint) > 0n) pos.push(v)
  pos.sort((i, j) => Number(gain[j]) / Number(stakes[j]) - Number(gain[i]) / Number(stakes[i]))
  let room = budget
  let critical = -1
  for (const v of pos) {
    if ((stakes[v] as bigint) <= room) room -= stakes[v] as bigint
    else {
      critical = v
      break
    }
  }
  const gk = critical < 0 ? 0n : (gain[critical] as bigint)
  const sk = critical < 0 ? 1n : (stakes[critical] as bigint)
  let knap = gk * budget
  for (let v = 0; v < V; v++) {
    const t = (gain[v] as bigint) * sk - gk * (stakes[v] as bigint)
    if (t > 0n) knap += t
  }
  // P ≤ (total·σ_k + knap) / (DG·σ_k); ⌊·⌋ (P bounds a whole number)
  const num = total * sk + knap
  const den = DG * sk
  return num >= 0n ? num / den : -((-num + den - 1n) / den)
}

export type CoupledCascadeBoundOptions = {
  deadline?: number
  maxIterations?: number
  shares?: CostShares
  /** the split of the shock's credit found for those shares (cascadeSplitStep.ts), for the start */
  split?: readonly (readonly bigint[])[]
  tau0?: number
}

/**
 * The bound's work, one generator for both callers: set-up and start, a pause, the search's steps (pausing every
 * `sliceMs` when given), and the exact check.
 */
function* coupledCascadeBoundSteps(
  n: Network,
  budget: bigint,
  opts: CoupledCascadeBoundOptions & { sliceMs?: number; stop?: () => boolean },
): Generator<void, { bound: bigint; search: CascadeCoupledSearch }, void> {
  const core = buildCascadeCoupled(n, budget)
  const start = opts.shares ? startFromShares(n, core, opts.shares, opts.split) : undefined
  if (opts.sliceMs !== undefined) yield
  const search = yield* coupledSearchSteps(core, { ...opts, start })
  return { bound: coupledCascadeExact(n, budget, toCascadeMultipliers(n, core, search)), search }
}

/** Search (floats, until `deadline`) and check exactly: a bound on R_ψ σ(V) in amount units. */
export function coupledCascadeBound(
  n: Network,
  budget: bigint,
  opts: CoupledCascadeBoundOptions = {},
): { bound: bigint; search: CascadeCoupledSearch } {
  return runSteps(coupledCascadeBoundSteps(n, budget, { ...opts, sliceMs: undefined }))
}

/**
 * coupledCascadeBound in slices of `sliceMs`, a macrotask awaited between them (setImmediate): run on the main thread
 * while the solver runs on its own (cascade.ts), whose messages and give-up timer are handled in between. `stop`
 * (checked before every step) ends it early with the best multipliers so far; the bound is checked exactly as ever.
 */
export async function coupledCascadeBoundChunked(
  n: Network,
  budget: bigint,
  opts: CoupledCascadeBoundOptions & { sliceMs: number; stop?: () => boolean },
): Promise<{ bound: bigint; search: CascadeCoupledSearch }> {
  return runSlices(coupledCascadeBoundSteps(n, budget, opts))
}
