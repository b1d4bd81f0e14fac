/**
 * Complemented mixed-integer rounding (c-MIR) cuts for the covering knapsacks of a fully fixed node
 * (leafCover.ts), derived and stated exactly in bigint.
 *
 * Why: at the edge of security the LP of a fixed A's cheapest coalition sits just below its profit while every
 * integer coalition costs more (hard 1,000 × 100 seed 2: a leaf with LP 18,612.4 against π(A) 18,640; HiGHS's
 * MIP proves it unprofitable at its root, by cuts, but not exactly). Branching on operators alone did not close
 * those 27.6 tokens in 6,000 nodes; single-row c-MIR cuts lift that LP to 18,682 in a few rounds.
 *
 * The cut (Nemhauser & Wolsey; Marchand & Wolsey's complementing): from a row Σ g_k x_k ≥ h over binaries,
 * complement the x_k in C (x = 1 − x̄), negate, and divide by an integer D > 0:
 *
 *   Σ_k α_k z_k ≤ β,  α_k = −g_k/D (k ∉ C, z = x) or g_k/D (k ∈ C, z = x̄),  β = (−h + Σ_C g_k)/D,
 *
 * with z ≥ 0 integer. With f = frac(β) > 0, mixed-integer rounding gives the valid inequality
 *
 *   Σ_k (⌊α_k⌋ + max(0, frac(α_k) − f)/(1 − f)) z_k ≤ ⌊β⌋,
 *
 * multiplied here by Q = D(1 − f) (an integer) so every coefficient is one, then put back in x and in ≥ form. Valid
 * for every binary x meeting the row, whatever C and D are — those only decide how strong the cut is at the LP
 * point (`coverCuts.test.ts` checks every cut against every binary point of random rows).
 */

/** An integer row Σ_k g[k] x[cols[k]] ≥ h over binary x. */
export type IntRow = { cols: Int32Array; g: bigint[]; h: bigint }

/** The largest |x| of a bigint list, at least 1 (bigints have no Math.max). */
export function maxAbs(xs: readonly bigint[]): bigint {
  let m = 1n
  for (const x of xs) {
    const a = x < 0n ? -x : x
    if (a > m) m = a
  }
  return m
}

const floorDiv = (p: bigint, q: bigint): bigint => {
  // q > 0
  const d = p / q
  return d * q > p ? d - 1n : d
}

/** The c-MIR cut of `row` with the entries `complemented` (by position in the row) and divisor D > 0, or null. */
export function mirCut(row: IntRow, complemented: (k: number) => boolean, D: bigint): IntRow | null {
  if (D <= 0n) return null
  let betaD = -row.h
  row.g.forEach((g, k) => {
    if (complemented(k)) betaD += g
  })
  const fb = betaD - floorDiv(betaD, D) * D // f·D, in [0, D)
  if (fb === 0n) return null
  const Q = D - fb // (1 − f)·D > 0
  const floorBeta = floorDiv(betaD, D)
  let h = -floorBeta * Q
  const g = row.g.map((gk, k) => {
    const comp = complemented(k)
    const aD = comp ? gk : -gk
    const fl = floorDiv(aD, D)
    const fr = aD - fl * D
    const G = fl * Q + (fr > fb ? fr - fb : 0n) // F(α)·Q
    if (comp) {
      // G·(1 − x) on the ≤ side: −G x there, +G x once negated into ≥ form, and G joins the right side
      h += G
      return G
    }
    return -G
  })
  return { cols: row.cols, g, h }
}

/** How far the LP point x violates the cut, per unit of the cut's norm (floats: only to choose among cuts). */
export function efficacy(cut: IntRow, x: Float64Array): number {
  const scale = Number(maxAbs(cut.g))
  let lhs = 0
  let norm = 0
  cut.g.forEach((v, k) => {
    const c = Number(v) / scale
    lhs += c * (x[cut.cols[k] as number] as number)
    norm += c * c
  })
  return (Number(cut.h) / scale - lhs) / Math.sqrt(norm || 1)
}

/**
 * The most violated c-MIR cut of a row at the LP point x (entries at x ≥ 1/2 complemented; divisors the
 * coefficients of the fractional entries, and their halves, quarters and eighths), or null when none is violated
 * by at least `minEfficacy`.
 */
export function separateMir(row: IntRow, x: Float64Array, minEfficacy = 1e-6): IntRow | null {
  const comp = (k: number) => (x[row.cols[k] as number] as number) >= 0.5
  const divisors = new Set<bigint>()
  row.g.forEach((g, k) => {
    const xv = x[row.cols[k] as number] as number
    if (xv <= 1e-9 || xv >= 1 - 1e-9 || g === 0n) return
    const a = g < 0n ? -g : g
    for (const d of [a, a / 2n, a / 4n, a / 8n]) if (d > 0n) divisors.add(d)
  })
  let best: IntRow | null = null
  let bestEff = minEfficacy
  for (const D of divisors) {
    const cut = mirCut(row, comp, D)
    if (!cut) continue
    const eff = efficacy(cut, x)
    if (eff > bestEff) {
      bestEff = eff
      best = cut
    }
  }
  return best
}
