import { formatDuration } from '../../../src/sdk/formatDuration.ts'
/**
 * How people read what the chain stores: token amounts in token units (never wei), basis points as percents,
 * times as dates and durations. Pure functions over bigint and numbers, shared by every page and tested in
 * node (format.test.ts).
 */

/** An amount as the API sends it (a decimal string of base units) or as the SDK returns it. */
export type RawAmount = bigint | string | number

export function toBigInt(raw: RawAmount): bigint {
  if (typeof raw === 'bigint') return raw
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw))
      throw new RangeError(`amount ${raw} is not an integer number of base units`)
    return BigInt(raw)
  }
  if (!/^-?\d+$/.test(raw)) throw new RangeError(`amount '${raw}' is not an integer number of base units`)
  return BigInt(raw)
}

/**
 * `1234567800000000000000n` with 18 decimals → "1,234.5678". Shows at most `digits` fractional digits, cut
 * towards zero (a display never rounds a balance up into something the holder does not have); an amount too
 * small to show is written "< 0.0001" rather than "0".
 */
export function formatUnits(raw: RawAmount, decimals = 18, digits = 4): string {
  const value = toBigInt(raw)
  const negative = value < 0n
  const abs = negative ? -value : value
  const base = 10n ** BigInt(decimals)
  const whole = abs / base
  const fraction = abs % base
  let frac = decimals > 0 ? fraction.toString().padStart(decimals, '0').slice(0, digits) : ''
  frac = frac.replace(/0+$/, '')
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  if (whole === 0n && frac === '' && fraction > 0n)
    return `${negative ? '> -' : '< '}0.${'0'.repeat(digits - 1)}1`
  return `${negative ? '-' : ''}${wholeText}${frac ? `.${frac}` : ''}`
}

export function formatTokens(raw: RawAmount, symbol: string, decimals = 18, digits = 4): string {
  return `${formatUnits(raw, decimals, digits)} ${symbol}`
}

/** A short form for big numbers on cards: 1.25 M, 340 k (one token unit precision is never needed there). */
export function formatCompactUnits(raw: RawAmount, decimals = 18): string {
  const units = Number(toBigInt(raw) / 10n ** BigInt(Math.max(0, decimals - 2))) / 100
  const abs = Math.abs(units)
  if (abs >= 1e9) return `${trim(units / 1e9)} B`
  if (abs >= 1e6) return `${trim(units / 1e6)} M`
  if (abs >= 1e4) return `${trim(units / 1e3)} k`
  return trim(units)
}

function trim(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 })
}

/** Basis points as a percent: 1000 → "10%", 125 → "1.25%". */
export function formatBps(bps: number | string): string {
  const n = Number(bps)
  return `${(n / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%`
}

/** Parts per million a year (the API's aprPpm, a decimal string) as a percent: "4.25%"; rounded down. */
export function formatPpm(ppm: string | number | bigint): string {
  const v = BigInt(ppm)
  // hundredths of a percent, rounded down as the figure itself is
  const hundredths = v / 100n
  return `${(Number(hundredths) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%`
}

/** A ratio in [0, ∞) as a percent with one decimal. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—'
  return `${(ratio * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`
}

/** Seconds as the two largest units: 93784 → "1 d 2 h", 125 → "2 min 5 s", 0 → "0 s" (the SDK's, shared with the CLI). */
export { formatDuration }

/** A countdown to `at` (unix seconds) from `now`: "in 1 h 59 min", "now", or "2 min ago" once passed. */
export function formatCountdown(at: number, now: number): string {
  const delta = at - now
  // an event of this very second (the newest block's): "in 0 s" read as something still to come
  if (delta === 0) return 'now'
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`
}

/** Unix seconds as a date and time in UTC, the same for every reader: "2026-12-06 06:30 UTC". */
export function formatDate(unixSeconds: number | string): string {
  const n = Number(unixSeconds)
  if (!Number.isFinite(n) || n <= 0) return '—'
  const iso = new Date(n * 1000).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

/** 0x1234…abcd */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address
}

/** Centi-degrees Celsius (the order terms' unit) as °C. */
export function formatCentiC(centi: number): string {
  return `${(centi / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} °C`
}

/**
 * Parses what a person typed as a token amount ("1,000.5") into base units, exactly. Returns an error message
 * naming the problem instead of throwing, for forms.
 */
export function parseUnits(text: string, decimals = 18): { value: bigint } | { error: string } {
  const cleaned = text.trim().replace(/,/g, '')
  if (cleaned === '') return { error: 'enter an amount' }
  const m = /^(\d+)(?:\.(\d*))?$/.exec(cleaned)
  if (!m) return { error: `'${text}' is not an amount: use digits and at most one decimal point` }
  const frac = m[2] ?? ''
  if (frac.length > decimals) return { error: `at most ${decimals} decimals` }
  const value = BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0')
  if (value === 0n) return { error: 'the amount must be more than zero' }
  return { value }
}
