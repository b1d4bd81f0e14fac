/** Times as people read them: durations ("1 h 5 min"), dates in UTC, and both together relative to chain time. */
import { InvalidInputError } from '../../errors.ts'
import { formatDuration } from '../../sdk/formatDuration.ts'

/** A duration in its two largest units: "2 d 3 h", "1 h 1 min", "45 s" (the SDK's, shared with the dashboard). */
export const duration = (seconds: bigint | number): string => formatDuration(seconds)

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** A Unix time as "12 Dec 2026 14:05 UTC". */
export function date(timestamp: bigint | number): string {
  const d = new Date(Number(timestamp) * 1000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`
}

/** "12 Dec 2026 14:05 UTC (in 1 h 1 min)" or "(2 h ago)", against the chain's clock `now`. */
export function when(timestamp: bigint | number, now: bigint | number): string {
  const delta = Number(timestamp) - Number(now)
  if (delta === 0) return `${date(timestamp)} (now)`
  return delta > 0
    ? `${date(timestamp)} (in ${duration(delta)})`
    : `${date(timestamp)} (${duration(-delta)} ago)`
}

/** Parses "3600", "90s", "30m", "2h", "1d", "1w" into whole seconds. */
export function parseDuration(name: string, value: string): number {
  const m = /^([0-9]+)(s|m|min|h|d|w)?$/.exec(value.trim())
  if (!m) {
    throw new InvalidInputError(
      `--${name} must be a duration like 3600, 90s, 30m, 2h, 1d or 1w, got '${value}'`,
    )
  }
  const unit = { s: 1, m: 60, min: 60, h: 3600, d: 86_400, w: 604_800 }[m[2] ?? 's']!
  const seconds = Number(m[1]) * unit
  if (!Number.isSafeInteger(seconds) || seconds > 2 ** 32 - 1)
    throw new InvalidInputError(`--${name} is too long: '${value}'`)
  return seconds
}
