/**
 * Exact non-negative-denominator rationals over bigint. The solver works in floating point; every verdict it
 * returns is re-checked here, so a rounding error in the MIP can never turn into a wrong "valid attack".
 */
export type Rational = { readonly num: bigint; readonly den: bigint }

function gcd(a: bigint, b: bigint): bigint {
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

/** Nearest double; exact enough for display and for the solver's scaled coefficients. */
export function toNumber(r: Rational): number {
  const n = Number(r.num)
  const d = Number(r.den)
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d
  // Both huge: shift to keep 64 significant bits before converting.
  const shift = BigInt(Math.max(r.num.toString(2).length, r.den.toString(2).length) - 64)
  return Number(r.num >> shift) / Number(r.den >> shift)
}

export const ratToString = (r: Rational): string => (r.den === 1n ? r.num.toString() : `${r.num}/${r.den}`)
