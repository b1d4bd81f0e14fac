/**
 * Argument parsing and connection set-up for `surety order`: every parser names the argument it rejects, and
 * amounts are decimal token amounts converted with the token's own decimals.
 */
import { type Address, erc20Abi, formatUnits, type Hex, isAddress, isHex, parseUnits, size } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { type Deployment, readDeployment } from '../chain/deployment.ts'
import { InvalidInputError } from '../errors.ts'
import { createSuretyClient, createSuretyReader } from '../sdk/createSuretyClient.ts'
import type { SuretyClient, SuretyReader } from '../sdk/types.ts'

export const DEFAULT_DEPLOYMENT = '.surety/deployments/31337.json'

export type Connection = { deployment: Deployment; reader: SuretyReader; fromBlock: bigint }

export function connect(values: { deployment?: string; rpc?: string }): Connection {
  const deployment = readDeployment(values.deployment ?? DEFAULT_DEPLOYMENT)
  const reader = createSuretyReader({
    rpcUrl: values.rpc ?? deployment.rpcUrl,
    chainId: deployment.chainId,
    addresses: deployment.addresses,
  })
  return { deployment, reader, fromBlock: BigInt(deployment.blockNumber) }
}

/** A signing client for the key in SURETY_PRIVATE_KEY (never a flag: it would land in the shell history). */
export function signer(connection: Connection, values: { rpc?: string }): SuretyClient {
  const key = process.env.SURETY_PRIVATE_KEY
  if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key)) {
    throw new InvalidInputError('SURETY_PRIVATE_KEY must hold your key as 0x followed by 64 hex digits')
  }
  return createSuretyClient({
    rpcUrl: values.rpc ?? connection.deployment.rpcUrl,
    chainId: connection.deployment.chainId,
    account: privateKeyToAccount(key as Hex),
    addresses: connection.deployment.addresses,
  })
}

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

export function address(name: string, value: string | undefined): Address | undefined {
  if (value === undefined) return undefined
  if (!isAddress(value)) throw new InvalidInputError(`--${name} must be an address, got '${value}'`)
  return value
}

export function bytes32(name: string, value: string | undefined): Hex | undefined {
  if (value === undefined) return undefined
  if (!isHex(value) || size(value) !== 32)
    throw new InvalidInputError(`--${name} must be 32 bytes of hex, got '${value}'`)
  return value
}

export async function decimalsOf(reader: SuretyReader, token: Address): Promise<number> {
  return reader.public.readContract({ address: token, abi: erc20Abi, functionName: 'decimals' })
}

/** A positive decimal amount of a token (e.g. 12.5) in its base units. */
export function amount(name: string, value: string | undefined, decimals: number): bigint | undefined {
  if (value === undefined) return undefined
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value)) {
    throw new InvalidInputError(`--${name} must be a positive amount of tokens, got '${value}'`)
  }
  const [, fraction = ''] = value.split('.')
  if (fraction.length > decimals) {
    throw new InvalidInputError(`--${name} has more than ${decimals} decimals: '${value}'`)
  }
  const units = parseUnits(value, decimals)
  if (units === 0n) throw new InvalidInputError(`--${name} must be more than 0, got '${value}'`)
  return units
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

export function countdown(seconds: bigint): string {
  if (seconds <= 0n) return 'now'
  const s = Number(seconds)
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`
}

/** JSON with bigints as decimal strings. */
export const toJson = (value: unknown) =>
  JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
