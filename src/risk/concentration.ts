/**
 * Concentration: the Nakamoto coefficient at a fraction f is the fewest operators whose stake reaches f of the
 * total (≥, the same comparison as an attack threshold). Computed exactly on bigint stakes.
 */
import type { Network } from './network.ts'
import { type Rational, rat } from './rational.ts'

export const NAKAMOTO_FRACTIONS: readonly Rational[] = [rat(1n, 3n), rat(1n, 2n), rat(2n, 3n)]

export function nakamoto(stakes: readonly bigint[], f: Rational): number {
  const sorted = [...stakes].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))
  const total = sorted.reduce((a, b) => a + b, 0n)
  if (total === 0n) return 0
  let held = 0n
  for (let i = 0; i < sorted.length; i++) {
    held += sorted[i] as bigint
    if (held * f.den >= f.num * total) return i + 1
  }
  return sorted.length
}

export type Nakamoto = { third: number; half: number; twoThirds: number }

export function nakamotoCoefficients(stakes: readonly bigint[]): Nakamoto {
  const [third, half, twoThirds] = NAKAMOTO_FRACTIONS.map((f) => nakamoto(stakes, f)) as [
    number,
    number,
    number,
  ]
  return { third, half, twoThirds }
}

export const networkNakamoto = (n: Network): Nakamoto => nakamotoCoefficients(n.operators.map((o) => o.stake))
