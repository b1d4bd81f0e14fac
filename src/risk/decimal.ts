/**
 * Token amounts arrive as JSON numbers or decimal strings and can exceed 2^53, so they are parsed exactly into
 * bigint "units" with one shared number of decimal places for a whole input (see `toUnits`). Numbers go through
 * `String(n)`, the shortest decimal that round-trips, so `0.1` means one tenth, not the binary double near it.
 */
import { InvalidInputError } from '../errors.ts'
import { type Rational, rat } from './rational.ts'

/** A parsed non-negative decimal: value = digits / 10^scale. */
export type Decimal = { digits: bigint; scale: number }

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i
/** Far beyond any token supply (2^256 ≈ 1.2e77), and still cheap to hold exactly. */
const MAX_EXPONENT = 1000
const MAX_DIGITS = 1000

export function parseDecimal(value: number | string, field: string): Decimal {
  const text = typeof value === 'number' ? String(value) : value.trim()
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new InvalidInputError(`${field} must be finite`)
  if (text.startsWith('-')) throw new InvalidInputError(`${field} must not be negative (got ${text})`)
  const m = DECIMAL.exec(text)
  if (!m) throw new InvalidInputError(`${field} must be a decimal number (got '${text}')`)
  const frac = m[2] ?? ''
  const exp = m[3] === undefined ? 0 : Number(m[3])
  // "1e100000000" would be a hundred-million-digit integer: minutes of CPU and gigabytes for one field
  if (!(Math.abs(exp) <= MAX_EXPONENT) || m[1]!.length + frac.length > MAX_DIGITS)
    throw new InvalidInputError(
      `${field} is out of range (got '${text.length > 40 ? `${text.slice(0, 40)}…` : text}'): at most ${MAX_DIGITS} digits and an exponent within ±${MAX_EXPONENT}`,
    )
  let digits = BigInt(`${m[1]}${frac}`)
  if (digits === 0n) return { digits, scale: 0 }
  let scale = frac.length - exp
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale)
    scale = 0
  }
  // Trim trailing zeros so the shared scale of an input stays as small as it can be.
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n
    scale--
  }
  if (scale > 36) throw new InvalidInputError(`${field} has more than 36 decimal places`)
  return { digits, scale }
}

/** Re-express a decimal with `scale` places (scale must be at least the decimal's own). */
export const toUnits = (d: Decimal, scale: number): bigint => d.digits * 10n ** BigInt(scale - d.scale)

export const decimalToRational = (d: Decimal): Rational => rat(d.digits, 10n ** BigInt(d.scale))

/** Units with `scale` places back to a plain decimal string, trailing zeros dropped. */
export function formatUnits(units: bigint, scale: number): string {
  const neg = units < 0n
  const s = (neg ? -units : units).toString().padStart(scale + 1, '0')
  const int = s.slice(0, s.length - scale)
  const frac = s.slice(s.length - scale).replace(/0+$/, '')
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`
}
