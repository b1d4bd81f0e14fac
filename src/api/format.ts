/**
 * How the API writes money and time: amounts as exact base units plus token units (never a float), instants as
 * unix seconds plus an ISO date. Pure functions, so every route writes them the same way.
 */
import { formatUnits } from 'viem'

export type AmountJson = { base: string; units: string }
export type TimeJson = { unix: number; iso: string }

/** `decimals` is the token's (18 for the stake token unless the indexer recorded otherwise). */
export function amount(value: bigint | string | number, decimals = 18): AmountJson {
  const v = typeof value === 'bigint' ? value : BigInt(value)
  return { base: v.toString(), units: formatUnits(v, decimals) }
}

export function time(unix: bigint | number | string): TimeJson {
  const n = Number(unix)
  // Solidity times past year 275760 (e.g. type(uint64).max sentinels) have no Date: keep the seconds, clamp the ISO.
  const ms = n * 1000
  const iso =
    Number.isFinite(ms) && Math.abs(ms) <= 8.64e15
      ? new Date(ms).toISOString()
      : '+275760-09-13T00:00:00.000Z'
  return { unix: n, iso }
}

/** A time that may be unset (0 on chain means "never" / "not yet"). */
export function optionalTime(unix: bigint | number | string | null | undefined): TimeJson | null {
  if (unix === null || unix === undefined) return null
  return BigInt(unix) === 0n ? null : time(unix)
}
