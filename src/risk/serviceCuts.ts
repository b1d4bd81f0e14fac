/**
 * Cuts on a service's threshold row carried into the node bound of the branch and bound over services
 * (serviceBranch.ts), each with its own price (issue 14).
 *
 * A c-MIR cut of s's row (coverCuts.ts), `Σ_k g_k x_k ≥ h` over s's members, holds for every binary coalition that
 * meets s's threshold — whatever node, whatever else is attacked. So with prices μ ≥ 0 on the row and ν_r ≥ 0 on
 * s's cuts, LP weak duality bounds the cheapest cover of s under shares λ:
 *
 *   C_s(λ) ≥ μ·need_s + Σ_r ν_r h_r − Σ_k max(0, μ a_k + Σ_r ν_r g_rk − λ_k),
 *
 * valid for ANY μ, ν ≥ 0 (the cut rows only have to be valid for s's binary covers). The node bound's term
 * π_s − C_s(λ) may then take the smaller of this and the single-row bound (shareNodeBound.ts). In the price search
 * (shareFlow.ts) a cut is one more price on its service: the edge s → v carries up to μ a_k + Σ ν g_rk (capped at
 * the share limit a_k), and the counted source capacity is π_s − μ need_s − Σ ν h + Σ_k (μ a_k + Σ ν g_rk).
 *
 * Why: on hard 1,000 × 100 seed 3 the branching's bound sits at the plateau set's LP (3,637 tokens; price bounds at
 * 3,667), which c-MIR cuts of its rows lift to 3,593 at its fully fixed node. The cuts come from the exact covers
 * the search already solves (flat nodes' and fully fixed nodes' leafCover.ts): each cut found on a row there is
 * kept here for its service, for the rest of the search.
 *
 * The float prices only guide: the exact term (`cutTerm`) reads the prices as the dyadic rationals they are and the
 * shares rounded down (costShare.ts toShares), in bigint, and rounds up to a share unit.
 */
import type { CostShares } from './costShare.ts'
import type { IntRow } from './coverCuts.ts'
import type { Network } from './network.ts'
import type { ShareCore } from './shareCore.ts'

/** A cut on service s's members (positions in s.members): Σ g[k] x_k ≥ h; floats gF, hF scaled by t (see add). */
export type ServiceCut = { s: number; g: bigint[]; h: bigint; t: number; gF: Float64Array; hF: number }

/** At most this many cuts kept per service (each one more price, and one more pass over its edges per flow). */
export const CUTS_PER_SERVICE = 8

export type CutPool = {
  cuts: ServiceCut[]
  /** Per service, the indices of its cuts. */
  bySvc: number[][]
  seen: Set<string>
}

export const cutPool = (S: number): CutPool => ({
  cuts: [],
  bySvc: Array.from({ length: S }, () => []),
  seen: new Set(),
})

/**
 * Adds a cut of s's row (g over s's members, in member order) unless it is known, s has its fill, or its floats are
 * not finite (amounts beyond a float: the cut would only give NaN prices). The floats are scaled so that the cut's
 * largest coefficient equals s's largest stake in the core's units: its price then moves like the row's.
 */
export function addCut(pool: CutPool, core: ShareCore, s: number, g: bigint[], h: bigint): boolean {
  const list = pool.bySvc[s]
  if (!list || list.length >= CUTS_PER_SERVICE) return false
  const lo = core.svcStart[s] as number
  const hi = core.svcStart[s + 1] as number
  if (g.length !== hi - lo) return false
  const key = `${s}:${h}:${g.join(',')}`
  if (pool.seen.has(key)) return false
  let maxA = 0
  for (let e = lo; e < hi; e++) maxA = Math.max(maxA, core.a[e] as number)
  let maxG = 0
  for (const x of g) maxG = Math.max(maxG, Number(x < 0n ? -x : x))
  const t = maxA / maxG
  if (!(t > 0) || !Number.isFinite(t)) return false
  const gF = Float64Array.from(g, (x) => Number(x) * t)
  const hF = Number(h) * t
  if (!Number.isFinite(hF) || gF.some((x) => !Number.isFinite(x))) return false
  pool.seen.add(key)
  list.push(pool.cuts.length)
  pool.cuts.push({ s, g, h, t, gF, hF })
  return true
}

/** A cut from leafCover's rows (cols local to the leaf, in the member order of the row's service) as a service cut. */
export const cutOfRow = (cut: IntRow): { g: bigint[]; h: bigint } => ({ g: cut.g, h: cut.h })

/**
 * The float term π_s − (the cut bound on C_s) at prices mu (length S + cuts: μ per service, then ν per cut) and
 * shares lam; +∞ when s has no cut with a positive price (the single-row bound is then at least as good).
 */
export function cutTermF(core: ShareCore, pool: CutPool, s: number, mu: Float64Array, lam: Float64Array): number {
  const list = pool.bySvc[s] as number[]
  const S = core.S
  let any = false
  for (const r of list) if ((mu[S + r] ?? 0) > 0) any = true
  if (!any) return Number.POSITIVE_INFINITY
  const m = mu[s] as number
  const lo = core.svcStart[s] as number
  const hi = core.svcStart[s + 1] as number
  let bound = m * (core.need[s] as number)
  for (const r of list) bound += (mu[S + r] ?? 0) * (pool.cuts[r] as ServiceCut).hF
  for (let e = lo; e < hi; e++) {
    let c = m * (core.a[e] as number)
    for (const r of list) c += (mu[S + r] ?? 0) * ((pool.cuts[r] as ServiceCut).gF[e - lo] as number)
    const x = c - (lam[e] as number)
    if (x > 0) bound -= x
  }
  return (core.profit[s] as number) - Math.max(0, bound)
}

/** A finite float x ≥ 0 as the dyadic rational m / 2^k it is (exactly); null for anything else. */
export function dyadic(x: number): { m: bigint; k: number } | null {
  if (!(x >= 0) || !Number.isFinite(x)) return null
  if (x === 0) return { m: 0n, k: 0 }
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const exp = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  // x = mant · 2^(exp − 1075) for normal numbers (with the hidden bit), mant · 2^(−1074) for subnormal ones
  let e = exp === 0 ? -1074 : exp - 1075
  if (exp !== 0) mant |= 1n << 52n
  while (mant > 0n && (mant & 1n) === 0n && e < 0) {
    mant >>= 1n
    e++
  }
  return e >= 0 ? { m: mant << BigInt(e), k: 0 } : { m: mant, k: -e }
}

/**
 * The exact term π_s − C_s in share units (unit / den of `shares`), rounded up, from the cut bound at the float
 * prices mu (μ_s and the ν of s's cuts, read as the exact dyadic rationals they are; ν_r scaled back by the cut's
 * t and the amount unit) and the shares; null when the prices are not usable (not finite, negative) or s has no
 * cut with a positive price. Valid for any such prices: an upper bound on π_s − λ(B ∩ N(s)) for every coalition B
 * meeting s's threshold, as long as every cut of s holds for all of them.
 */
export function cutTerm(
  n: Network,
  shares: CostShares,
  pool: CutPool,
  s: number,
  mu: Float64Array,
  S: number,
): bigint | null {
  const svc = n.services[s]
  const list = pool.bySvc[s]
  if (!svc || !list) return null
  const mD = dyadic(mu[s] ?? 0)
  if (!mD) return null
  const nus: { m: bigint; k: number; cut: ServiceCut }[] = []
  for (const r of list) {
    const cut = pool.cuts[r] as ServiceCut
    const q = dyadic((mu[S + r] ?? 0) * cut.t)
    if (!q) return null
    if (q.m > 0n) nus.push({ ...q, cut })
  }
  if (nus.length === 0) return null
  let K = mD.k
  for (const q of nus) K = Math.max(K, q.k)
  const M = mD.m << BigInt(K - mD.k)
  const N = nus.map((q) => q.m << BigInt(K - q.k))
  const U = shares.unit
  const Dn = shares.den
  const two = 1n << BigInt(K)
  const { num, den } = svc.threshold
  const total = svc.memberStake.reduce((x, y) => x + y, 0n)
  const row = shares.shares[s] ?? []
  // L·2^K·Dn·den = Dn·(M·num·total + den·U·Σ N_r h_r) − den·Σ_k max(0, X_k),
  // X_k = Dn·(M a_k + U Σ_r N_r g_rk) − 2^K·l_k·U  (= 2^K·Dn·(μ a_k + Σ ν_r g_rk − λ_k))
  let nh = 0n
  nus.forEach((q, i) => {
    nh += (N[i] as bigint) * q.cut.h
  })
  let L = Dn * (M * num * total + den * U * nh)
  let excess = 0n
  for (let k = 0; k < svc.members.length; k++) {
    let ng = 0n
    nus.forEach((q, i) => {
      ng += (N[i] as bigint) * (q.cut.g[k] as bigint)
    })
    const X = Dn * (M * (svc.memberStake[k] as bigint) + U * ng) - two * (row[k] ?? 0n) * U
    if (X > 0n) excess += X
  }
  L -= den * excess
  if (L < 0n) L = 0n // shares are non-negative: a cover costs at least 0
  // term = (π − L/(2^K·Dn·den))·Dn/U = (π·2^K·Dn·den − L) / (2^K·den·U), rounded up
  const p = svc.profit * two * Dn * den - L
  const q = two * den * U
  const d = p / q
  return d * q < p ? d + 1n : d
}
