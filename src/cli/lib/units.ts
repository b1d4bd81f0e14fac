/**
 * Token amounts as people type and read them: decimal token units with the token's own decimals ("100", "0.5"),
 * or exact base units with the `wei` suffix ("1500wei"); printed with the token's symbol.
 */
import { type Address, erc20Abi, formatUnits, parseUnits } from 'viem'
import { InvalidInputError } from '../../errors.ts'
import { displayText, SYMBOL_MAX } from '../../sdk/displayText.ts'
import type { SuretyReader } from '../../sdk/types.ts'

export type Token = { address: Address; symbol: string; decimals: number }

/** Symbol and decimals of each token, read once per token. */
export function tokenReader(reader: SuretyReader) {
  const cache = new Map<string, Promise<Token>>()
  return (address: Address): Promise<Token> => {
    const key = address.toLowerCase()
    let token = cache.get(key)
    if (!token) {
      token = Promise.all([
        reader.public.readContract({ address, abi: erc20Abi, functionName: 'symbol' }),
        reader.public.readContract({ address, abi: erc20Abi, functionName: 'decimals' }),
        // whoever deployed the token wrote its symbol: never print its escape sequences or hidden characters
      ]).then(([symbol, decimals]) => ({ address, symbol: displayText(symbol, SYMBOL_MAX), decimals }))
      cache.set(key, token)
    }
    return token
  }
}

/** Groups the whole part with commas and keeps at most 6 decimals (cut, not rounded: never shows more than there is). */
export function formatUnitsReadable(amount: bigint, decimals: number): string {
  const negative = amount < 0n
  const [whole, fraction = ''] = formatUnits(negative ? -amount : amount, decimals).split('.')
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cut = fraction.slice(0, 6).replace(/0+$/, '')
  const tiny = cut === '' && fraction !== '' && whole === '0'
  return `${negative ? '-' : ''}${tiny ? `<0.000001` : cut ? `${grouped}.${cut}` : grouped}`
}

/** "1,234.5 STK". */
export const formatToken = (amount: bigint, token: Pick<Token, 'symbol' | 'decimals'>) =>
  `${formatUnitsReadable(amount, token.decimals)} ${token.symbol}`

/** The same amount as an exact decimal string for JSON (no grouping, nothing cut). */
export const exactUnits = (amount: bigint, decimals: number) => formatUnits(amount, decimals)

export type AmountOptions = { allowZero?: boolean }

/** Parses `value` for option `name`: decimal token units, or exact base units with the `wei` suffix. */
export function parseAmount(
  name: string,
  value: string | undefined,
  token: Pick<Token, 'symbol' | 'decimals'>,
  options: AmountOptions = {},
): bigint {
  if (value === undefined) throw new InvalidInputError(`--${name} AMOUNT is required (in ${token.symbol})`)
  const text = value.trim().replace(/_/g, '')
  let units: bigint
  const base = /^([0-9]+)\s*wei$/.exec(text)
  if (base) units = BigInt(base[1]!)
  else if (/^[0-9]+(\.[0-9]+)?$/.test(text) || /^\.[0-9]+$/.test(text)) {
    const fraction = text.split('.')[1] ?? ''
    if (fraction.length > token.decimals)
      throw new InvalidInputError(
        `--${name}: ${token.symbol} has ${token.decimals} decimals, '${value}' has ${fraction.length}; use base units with the wei suffix for exact amounts`,
      )
    units = parseUnits(text.startsWith('.') ? `0${text}` : text, token.decimals)
  } else if (/^-/.test(text)) {
    throw new InvalidInputError(`--${name} must be a positive amount of ${token.symbol}, got '${value}'`)
  } else {
    throw new InvalidInputError(
      `--${name} must be an amount of ${token.symbol} like 100 or 0.5 (or base units like 1500wei), got '${value}'`,
    )
  }
  if (units === 0n && !options.allowZero)
    throw new InvalidInputError(`--${name} must be more than 0, got '${value}'`)
  if (units >= 2n ** 256n) throw new InvalidInputError(`--${name} is too large: '${value}'`)
  return units
}

/** A percentage or basis points: "10%", "2.5%" or "250bps" (and a bare number as bps) → bps. */
export function parseBps(name: string, value: string, max = 2 ** 32 - 1): number {
  const text = value.trim()
  let bps: number
  const pct = /^([0-9]+(\.[0-9]{1,2})?)%$/.exec(text)
  const bp = /^([0-9]+)(bps)?$/.exec(text)
  if (pct) bps = Math.round(Number(pct[1]) * 100)
  else if (bp) bps = Number(bp[1])
  else
    throw new InvalidInputError(
      `--${name} must be a percentage like 10% or basis points like 1000bps, got '${value}'`,
    )
  if (bps > max) throw new InvalidInputError(`--${name} must be at most ${max / 100}%, got '${value}'`)
  return bps
}
