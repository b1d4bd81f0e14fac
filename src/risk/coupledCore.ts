/**
 * The coupled Lagrangian bound on the verdict's net profit (docs/risk.md, "A bound that sees the coupling"), searched
 * for in floating point. The exact check is `coupledCap.ts`; nothing here proves anything.
 *
 * Decomposition: each operator v gets its own copy y_vs of every service it secures; the copies are tied to the
 * services' y_s by free multipliers λ_vs, and the threshold rows Σ_v ā_vs z_vs ≥ need_s y_s are priced by
 * p_s = μ_s need_s ≥ 0. For any such multipliers, every valid attack nets at most
 *
 *   L(λ, p) = Σ_s max(0, π_s − p_s − Σ_v λ_vs)
 *           + Σ_v max( Σ_{s not forcing v} max(0, λ_vs),                      (x_v = 0: v's copies are free)
 *                      Σ_s max(0, d_vs) − σ_v, Σ_s max(0, d_vs − a_vs) )       (x_v = 1: v attacks its best set)
 *
 * with d_vs = λ_vs + p_s ā_vs / need_s. This is the κ/ρ/φ Lagrangian of docs/risk.md with ρ − κ − φ merged into
 * one free λ per edge — which is why κ and ρ no longer need to "move together". Each operator's part is the convex
 * hull of its points, so the best multipliers give the solver's LP (with the coupling rows).
 *
 * Search: L is piecewise linear; every max(0, t) is smoothed to τ·log(1 + e^{t/τ}) and every max of three to
 * τ·log Σ e^{·/τ} (each smoothing lies above the max by at most τ·log 3), p_s = τ·log(1 + e^{m_s/τ}) keeps p ≥ 0,
 * and L-BFGS minimises the smooth function for a falling τ. The exact (unsmoothed) L at each iterate is tracked,
 * and the best multipliers are returned.
 */

import { buildEdgeLayout, type EdgeLayout } from './edgeLayout.ts'
import { lbfgsDirection, lbfgsRemember } from './lbfgs.ts'
import type { Network } from './network.ts'
import { forcedMembers } from './presolve.ts'

export type CoupledCore = EdgeLayout & {
  forced: Uint8Array
}

export function buildCoupledCore(n: Network): CoupledCore {
  const layout = buildEdgeLayout(n)
  const forced = new Uint8Array(layout.E)
  n.services.forEach((s, si) => {
    const base = layout.svcStart[si] as number
    for (const k of forcedMembers(s)) forced[base + k] = 1
  })
  return { ...layout, forced }
}

/** τ·log(1 + e^{t/τ}), stably */
const sp = (t: number, tau: number): number =>
  t > 0 ? t + tau * Math.log1p(Math.exp(-t / tau)) : tau * Math.log1p(Math.exp(t / tau))
/** its derivative, the logistic function of t/τ */
const sg = (t: number, tau: number): number => {
  if (t >= 0) return 1 / (1 + Math.exp(-t / tau))
  const z = Math.exp(t / tau)
  return z / (1 + z)
}

/** Exact L(λ, p) in floats (units of `unit`); x = [λ (E), p (S)], p ≥ 0. */
export function coupledValue(c: CoupledCore, lam: Float64Array, p: Float64Array): number {
  const { S, V, svcStart, svcOf, opStart, opEdges, a, w, forced, pi, sigma } = c
  let val = 0
  for (let s = 0; s < S; s++) {
    let r = (pi[s] as number) - (p[s] as number)
    for (let e = svcStart[s] as number; e < (svcStart[s + 1] as number); e++) r -= lam[e] as number
    if (r > 0) val += r
  }
  for (let v = 0; v < V; v++) {
    const lo = opStart[v] as number,
      hi = opStart[v + 1] as number
    if (lo === hi) continue
    let a0 = 0,
      a1 = -(sigma[v] as number),
      a2 = 0
    for (let i = lo; i < hi; i++) {
      const e = opEdges[i] as number
      const l = lam[e] as number
      if (!forced[e] && l > 0) a0 += l
      const d = l + (p[svcOf[e] as number] as number) * (w[e] as number)
      if (d > 0) a1 += d
      if (d > (a[e] as number)) a2 += d - (a[e] as number)
    }
    val += Math.max(a0, a1, a2)
  }
  return val
}

/** The smoothed L and its gradient in (λ, m), p = sp(m). */
function smoothed(
  c: CoupledCore,
  x: Float64Array,
  tau: number,
  g: Float64Array,
  p: Float64Array,
  y: Float64Array,
): number {
  const { S, E, V, svcStart, svcOf, opStart, opEdges, a, w, forced, pi, sigma } = c
  for (let s = 0; s < S; s++) p[s] = c.priced[s] ? sp(x[E + s] as number, tau) : 0
  g.fill(0)
  let val = 0
  for (let s = 0; s < S; s++) {
    let r = (pi[s] as number) - (p[s] as number)
    for (let e = svcStart[s] as number; e < (svcStart[s + 1] as number); e++) r -= x[e] as number
    val += sp(r, tau)
    y[s] = sg(r, tau)
  }
  for (let e = 0; e < E; e++) g[e] = -(y[svcOf[e] as number] as number)
  const gp = new Float64Array(S)
  for (let s = 0; s < S; s++) gp[s] = -(y[s] as number)
  for (let v = 0; v < V; v++) {
    const lo = opStart[v] as number,
      hi = opStart[v + 1] as number
    if (lo === hi) continue
    let a0 = 0,
      a1 = -(sigma[v] as number),
      a2 = 0
    for (let i = lo; i < hi; i++) {
      const e = opEdges[i] as number
      const l = x[e] as number
      if (!forced[e]) a0 += sp(l, tau)
      const d = l + (p[svcOf[e] as number] as number) * (w[e] as number)
      a1 += sp(d, tau)
      a2 += sp(d - (a[e] as number), tau)
    }
    const mx = Math.max(a0, a1, a2)
    const e0 = Math.exp((a0 - mx) / tau),
      e1 = Math.exp((a1 - mx) / tau),
      e2 = Math.exp((a2 - mx) / tau)
    const z = e0 + e1 + e2
    val += mx + tau * Math.log(z)
    const w0 = e0 / z,
      w1 = e1 / z,
      w2 = e2 / z
    for (let i = lo; i < hi; i++) {
      const e = opEdges[i] as number
      const l = x[e] as number
      const s = svcOf[e] as number
      const d = l + (p[s] as number) * (w[e] as number)
      const zz = w1 * sg(d, tau) + w2 * sg(d - (a[e] as number), tau)
      g[e] = (g[e] as number) + zz + (forced[e] ? 0 : w0 * sg(l, tau))
      gp[s] = (gp[s] as number) + zz * (w[e] as number)
    }
  }
  for (let s = 0; s < S; s++) g[E + s] = c.priced[s] ? (gp[s] as number) * sg(x[E + s] as number, tau) : 0
  return val
}

export type CoupledSearch = {
  /** λ_vs over `unit`, by edge (services' members in order) */
  lam: Float64Array
  /** p_s = μ_s need_s over `unit` */
  p: Float64Array
  /** L at (lam, p), floats, over `unit` */
  value: number
  iterations: number
  /** the smoothing τ (over `unit`) the search ended at: a warm continuation starts there */
  tau: number
}

export type CoupledOptions = {
  budgetMs?: number
  maxIterations?: number
  /** called with (iteration, best exact L so far) every `every` iterations (benches) */
  trace?: (it: number, best: number) => void
  every?: number
  /** the smoothing's start, over the mean profit, its fall per phase, and a phase's L-BFGS steps */
  tau0?: number
  drop?: number
  phase?: number
  /**
   * A warm start: these multipliers (a search's best) and the smoothing τ it ended at, instead of λ = 0, p = π and
   * τ from `tau0` (a continuation of an earlier search, e.g. the cap's 600 steps continued beside the flips).
   */
  start?: { lam: Float64Array; p: Float64Array; tau: number }
  /** Read before each step: true ends the search now (a thread's job stopped from outside: mipThread.ts). */
  stopped?: () => boolean
}

/**
 * L-BFGS on the smoothed L, τ starting at a hundredth of the mean profit and halved every 100 steps (or when the
 * line search fails), down to a millionth of it. Tuned on typical 1,000 × 100 seed 1 (docs/risk.md): a larger start
 * wastes the first few hundred steps, shorter phases stop at a worse point.
 */
export function searchCoupled(c: CoupledCore, opts: CoupledOptions = {}): CoupledSearch {
  const { S, E } = c
  const N = E + S
  const t0 = performance.now()
  const budget = opts.budgetMs ?? 1000
  const maxIt = opts.maxIterations ?? 100_000
  const x = new Float64Array(N)
  let meanPi = 0
  for (let s = 0; s < S; s++) meanPi += (c.pi[s] as number) / Math.max(1, S)
  const tauMin = 1e-6 * meanPi
  let tau = Math.max(1e-12, (opts.tau0 ?? 0.01) * meanPi)
  const warm = opts.start
  if (warm && warm.lam.length === E && warm.p.length === S && warm.tau > 0) {
    tau = Math.max(tauMin, warm.tau)
    x.set(warm.lam)
    // p_s = τ·log(1 + e^{m_s/τ}) inverted: m_s = p_s + τ·log(1 − e^{−p_s/τ}); p_s = 0 (or tiny) from far below
    for (let s = 0; s < S; s++) {
      const ps = warm.p[s] as number
      x[E + s] = ps > 1e-9 * tau ? ps + tau * Math.log(-Math.expm1(-ps / tau)) : -50 * tau
    }
  } else {
    // start: λ = 0 and each service priced at its profit (p_s = π_s: no service term)
    for (let s = 0; s < S; s++) x[E + s] = c.pi[s] as number
  }
  const g = new Float64Array(N),
    gNew = new Float64Array(N),
    xNew = new Float64Array(N),
    dir = new Float64Array(N),
    p = new Float64Array(S),
    y = new Float64Array(S)
  const M = 12
  const sHist: Float64Array[] = [],
    yHist: Float64Array[] = [],
    rhoHist: number[] = []
  const alpha = new Float64Array(M)
  const best = { lam: new Float64Array(E), p: new Float64Array(S), value: Number.POSITIVE_INFINITY }
  const record = () => {
    const v = coupledValue(c, x.subarray(0, E), p)
    if (v < best.value) {
      best.value = v
      best.lam.set(x.subarray(0, E))
      best.p.set(p)
    }
  }
  let f = smoothed(c, x, tau, g, p, y)
  record()
  let it = 0
  let phaseIt = 0
  const PHASE = opts.phase ?? 100
  const DROP = opts.drop ?? 0.5
  // a step is not started where one of the mean length so far would end past the budget (a step is 2–4 ms at
  // 1,000 × 100, one of 30 line-search evaluations more)
  const tLoop = performance.now()
  const stepMs = () => (it > 0 ? (performance.now() - tLoop) / it : 0)
  while (it < maxIt && performance.now() - t0 + stepMs() < budget && !opts.stopped?.()) {
    it++
    phaseIt++
    lbfgsDirection(g, dir, sHist, yHist, rhoHist, alpha, tau)
    // descent direction −dir; Armijo backtracking
    let gd = 0
    for (let i = 0; i < N; i++) gd += (g[i] as number) * (dir[i] as number)
    if (!(gd > 0)) {
      sHist.length = 0
      yHist.length = 0
      rhoHist.length = 0
      continue
    }
    let step = 1
    let fNew = 0
    let ok = false
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < N; i++) xNew[i] = (x[i] as number) - step * (dir[i] as number)
      fNew = smoothed(c, xNew, tau, gNew, p, y)
      if (fNew <= f - 1e-4 * step * gd) {
        ok = true
        break
      }
      step *= 0.5
    }
    if (!ok) {
      // stuck at this τ: next phase
      smoothed(c, x, tau, g, p, y)
      sHist.length = 0
      yHist.length = 0
      rhoHist.length = 0
      if (tau <= tauMin) break
      tau = Math.max(tauMin, tau * DROP)
      phaseIt = 0
      f = smoothed(c, x, tau, g, p, y)
      continue
    }
    lbfgsRemember(x, xNew, g, gNew, sHist, yHist, rhoHist, M)
    x.set(xNew)
    g.set(gNew)
    f = fNew
    record()
    if (opts.trace && it % (opts.every ?? 50) === 0) opts.trace(it, best.value)
    if (phaseIt >= PHASE && tau > tauMin) {
      tau = Math.max(tauMin, tau * DROP)
      phaseIt = 0
      sHist.length = 0
      yHist.length = 0
      rhoHist.length = 0
      f = smoothed(c, x, tau, g, p, y)
    }
  }
  return { lam: best.lam, p: best.p, value: best.value, iterations: it, tau }
}
