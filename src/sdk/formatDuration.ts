/**
 * A duration as people read it, in its two largest units: 93784 → "1 d 2 h", 125 → "2 min 5 s", 0 → "0 s". One
 * wording for the CLI, the devnet's live log and the dashboard (they were three copies, one saying "2m 5s").
 * Fractions of a second are cut, never rounded up: a countdown never promises more time than is left.
 */
const UNITS: [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
]

export function formatDuration(seconds: number | bigint): string {
  let rest = Math.max(0, Math.floor(Number(seconds)))
  if (!Number.isFinite(rest)) return '—'
  if (rest === 0) return '0 s'
  const parts: string[] = []
  for (const [name, size] of UNITS) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${name}`)
      rest %= size
    }
    // units of zero are skipped: "1 d", "1 d 5 min", never "1 d 0 h"
    if (parts.length === 2) break
  }
  return parts.join(' ')
}
