/**
 * Exact non-negative-denominator rationals over bigint. The solver works in floating point; every verdict it
 * returns is re-checked here, so a rounding error in the MIP can never turn into a wrong "valid attack".
 */
export type Rational = { readonly num: bigint; readonly den: bigint }

/** The greatest common divisor of |a| and |b| (0 for 0 and 0). */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

export function rat(num: bigint, den = 1n): Rational {
  if (den === 0n) throw new RangeError('rational with zero denominator')
  if (den < 0n) {
    num = -num
    den = -den
  }
  const g = gcd(num, den)
  return g > 1n ? { num: num / g, den: den / g } : { num, den }
}

export const ZERO: Rational = { num: 0n, den: 1n }
export const ONE: Rational = { num: 1n, den: 1n }

export const add = (a: Rational, b: Rational): Rational => rat(a.num * b.den + b.num * a.den, a.den * b.den)
export const sub = (a: Rational, b: Rational): Rational => rat(a.num * b.den - b.num * a.den, a.den * b.den)
export const mul = (a: Rational, b: Rational): Rational => rat(a.num * b.num, a.den * b.den)
export const div = (a: Rational, b: Rational): Rational => rat(a.num * b.den, a.den * b.num)
export const cmp = (a: Rational, b: Rational): number => {
  const l = a.num * b.den
  const r = b.num * a.den
  return l < r ? -1 : l > r ? 1 : 0
}
export const min = (a: Rational, b: Rational): Rational => (cmp(a, b) <= 0 ? a : b)

/**
 * A double within a few ulps of r (relative error below 2^-50 unless the result under- or overflows); exact enough
 * for display, for the solver's scaled coefficients and for slack.ts's float filter, which relies on that bound.
 */
export function toNumber(r: Rational): number {
  const n = Number(r.num)
  const d = Number(r.den)
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d
  // One is beyond a float: keep 64 significant bits of each on its own, then put the exponents back. (One shift
  // for both, as before, left the smaller with a few bits or none: 1/8 off, or 0, where a float is exact to 2^-53.)
  if (r.num === 0n) return 0
  const neg = r.num < 0n
  const num = neg ? -r.num : r.num
  const ns = Math.max(0, num.toString(2).length - 64)
  const ds = Math.max(0, r.den.toString(2).length - 64)
  const q = Number(num >> BigInt(ns)) / Number(r.den >> BigInt(ds))
  // 2^e in two halves of one sign, so neither factor overflows or underflows where the product would not.
  const e = ns - ds
  const half = Math.trunc(e / 2)
  // A non-zero rational never becomes 0: callers read a sign from it (γ ≥ 0 in world/risk.ts, the CLI and the
  // dashboard), and −0 ≥ 0.
  const x = q * 2 ** half * 2 ** (e - half) || Number.MIN_VALUE
  return neg ? -x : x
}

export const ratToString = (r: Rational): string => (r.den === 1n ? r.num.toString() : `${r.num}/${r.den}`)
