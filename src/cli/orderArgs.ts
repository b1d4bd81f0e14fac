/**
 * Argument parsing for `surety order`: every parser names the argument it rejects, and amounts are decimal token
 * amounts converted with the token's own decimals (or base units with the wei suffix).
 */
import { type Address, erc20Abi, formatUnits, type Hex, isHex, size } from 'viem'
import { InvalidInputError } from '../errors.ts'
import type { SuretyReader } from '../sdk/types.ts'
import { optionalAddress } from './lib/options.ts'
import { duration } from './lib/time.ts'
import { parseAmount } from './lib/units.ts'

export function orderId(value: string | undefined): bigint {
  if (value === undefined) throw new InvalidInputError('ORDER_ID is required')
  if (!/^[1-9][0-9]*$/.test(value))
    throw new InvalidInputError(`ORDER_ID must be a positive whole number, got '${value}'`)
  return BigInt(value)
}

export function wholeNumber(name: string, value: string | undefined, max = 2 ** 40): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!/^[0-9]+$/.test(value) || n > max)
    throw new InvalidInputError(`--${name} must be a whole number, got '${value}'`)
  return n
}

/** A checksum-checked address (a wrong checksum gets its own message), or undefined when not given. */
export const address = (name: string, value: string | undefined): Address | undefined =>
  optionalAddress(`--${name}`, value)

export function bytes32(name: string, value: string | undefined): Hex | undefined {
  if (value === undefined) return undefined
  if (!isHex(value) || size(value) !== 32)
    throw new InvalidInputError(`--${name} must be 32 bytes of hex, got '${value}'`)
  return value
}

export async function decimalsOf(reader: SuretyReader, token: Address): Promise<number> {
  return reader.public.readContract({ address: token, abi: erc20Abi, functionName: 'decimals' })
}

/** A positive decimal amount of a token (e.g. 12.5) or base units with the wei suffix, in base units. */
export function amount(name: string, value: string | undefined, decimals: number): bigint | undefined {
  if (value === undefined) return undefined
  return parseAmount(name, value, { symbol: 'tokens', decimals })
}

/** Milestone shares in percent or bps: "20,80" (percent, summing to 100) or "2000,8000" (bps). */
export function milestoneShares(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined
  const parts = value.split(',').map((p) => p.trim())
  if (parts.some((p) => !/^[0-9]+(\.[0-9]{1,2})?$/.test(p))) {
    throw new InvalidInputError(`--milestones must be comma-separated shares like 20,80, got '${value}'`)
  }
  const numbers = parts.map(Number)
  const sum = numbers.reduce((a, b) => a + b, 0)
  if (Math.abs(sum - 100) < 1e-9) return numbers.map((n) => Math.round(n * 100))
  if (sum === 10_000) return numbers
  throw new InvalidInputError(`--milestones must sum to 100 (percent) or 10000 (bps), got ${sum}`)
}

export const formatAmount = (wei: bigint, decimals = 18) =>
  Number(formatUnits(wei, decimals)).toLocaleString('en-US', { maximumFractionDigits: 6 })

/** Time left as a duration ("1 h 5 min"), or "now". */
export const countdown = (seconds: bigint): string => (seconds <= 0n ? 'now' : duration(seconds))

/** JSON with bigints as decimal strings. */
export const toJson = (value: unknown) =>
  JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
