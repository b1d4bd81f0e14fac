/**
 * Option parsing for every command: node's parseArgs with the options every command shares, and its TypeErrors
 * (unknown options, missing values, negative numbers read as flags) turned into one clear line each.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { type Address, getAddress, isAddress, isHex, size } from 'viem'
import { InvalidInputError } from '../../errors.ts'

type Options = NonNullable<ParseArgsConfig['options']>

/** How every command reaches the chain, finds its deployment, signs, and how it prints. */
export const CONNECTION_OPTIONS = {
  'rpc-url': { type: 'string' },
  // the spelling the first commands used; kept as an alias of --rpc-url
  rpc: { type: 'string' },
  deployment: { type: 'string' },
  json: { type: 'boolean' },
  // where read commands read: the HTTP API (src/cli/lib/readSource.ts) or, with --chain, the chain itself
  api: { type: 'string' },
  chain: { type: 'boolean' },
} as const satisfies Options

export const SIGNER_OPTIONS = {
  keystore: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
} as const satisfies Options

export const CONNECTION_HELP = `Connection (every command):
  --rpc-url URL       the chain's RPC (alias --rpc; default: $ETH_RPC_URL, else the manifest's, else
                      http://127.0.0.1:8545)
  --deployment FILE   the deployment manifest (default: .surety/deployments/<chain id>.json, written by
                      \`npm start\` and \`surety deploy\`)
  --api URL           read through the HTTP API at URL (\`surety api\`; default: $SURETY_API_URL, else the
                      manifest's apiUrl, which the devnet writes); reads fall back to the chain, with a
                      notice, when the API is unreachable or more than its finality depth behind
  --chain             read from the chain even when an API is known (writes always go to the chain)
  --json              machine-readable output on stdout`

export const SIGNER_HELP = `Signing (every write):
  key from SURETY_PRIVATE_KEY, or --keystore FILE (v3 JSON keystore, as \`surety node\` reads) with its
  password from SURETY_KEYSTORE_PASSWORD or a prompt; never a key on the command line.
  --dry-run           simulate, explain and print the call and its calldata without sending (for multisigs)
  --yes, -y           do not ask for confirmation (asked on every chain but the local devnet)`

const KEY_FLAGS = /^--?(private-key|privatekey|key|pk|mnemonic)(=|$)/

/** Parses `args` for `command`; every parse failure becomes an InvalidInputError naming the option. */
export function parseOptions<T extends Options>(command: string, args: string[], options: T) {
  const keyFlag = args.find((a) => KEY_FLAGS.test(a))
  if (keyFlag)
    throw new InvalidInputError(
      `${keyFlag.split('=')[0]}: surety never takes a key on the command line (it would stay in your shell history); set SURETY_PRIVATE_KEY or use --keystore FILE`,
    )
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw parseError(command, error)
  }
}

export function parseError(command: string, error: unknown): unknown {
  if (!(error instanceof TypeError) || !('code' in error)) return error
  const code = String(error.code)
  if (!code.startsWith('ERR_PARSE_ARGS')) return error
  const help = `see \`surety ${command} --help\``
  const msg = error.message
  const option = /'(-[^' ]*)/.exec(msg)?.[1] ?? ''
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    if (/^-[0-9.]/.test(option))
      return new InvalidInputError(
        `negative numbers are not accepted ('${option}'): ids and amounts are positive`,
      )
    return new InvalidInputError(`unknown option '${option}'; ${help}`)
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '--budget <value>' argument is ambiguous" (a value starting with '-') or a missing value
    const name = /'(--?[a-z-]+)/.exec(msg)?.[1] ?? option
    if (/ambiguous/.test(msg))
      return new InvalidInputError(
        `${name} needs a value that does not start with '-' (negative numbers are not accepted)`,
      )
    if (/argument missing/.test(msg)) return new InvalidInputError(`${name} needs a value; ${help}`)
    if (/does not take an argument/.test(msg)) return new InvalidInputError(`${name} takes no value; ${help}`)
    return new InvalidInputError(`${name}: ${msg}`)
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return new InvalidInputError(`unexpected argument: ${msg}; ${help}`)
  return new InvalidInputError(`${msg}; ${help}`)
}

/** A string option's value (parseArgs types every value as string | boolean). */
export const str = (values: Record<string, unknown>, name: string) => values[name] as string | undefined

/**
 * An address: 0x and 40 hex digits. A mixed-case address must carry a valid EIP-55 checksum: a wrong one is
 * almost always a typo, so it gets its own message (an all-lower-case address skips the check).
 */
export function parseAddress(name: string, value: string | undefined): Address {
  if (value === undefined) throw new InvalidInputError(`${name} ADDRESS is required`)
  if (!isAddress(value, { strict: false }))
    throw new InvalidInputError(`${name} must be an address (0x and 40 hex digits), got '${value}'`)
  if (!isAddress(value, { strict: true }))
    throw new InvalidInputError(
      `${name}: ${value} has a wrong checksum (its mixed case does not match EIP-55, most likely a typo): check where the address came from`,
    )
  return getAddress(value)
}

export const optionalAddress = (name: string, value: string | undefined) =>
  value === undefined ? undefined : parseAddress(name, value)

/** A positive whole id (services, orders, withdrawal requests). */
export function parseId(name: string, value: string | undefined, options: { zero?: boolean } = {}): bigint {
  if (value === undefined) throw new InvalidInputError(`${name} is required`)
  const ok = options.zero ? /^[0-9]+$/ : /^[0-9]*[1-9][0-9]*$/
  if (!ok.test(value) || value.length > 20)
    throw new InvalidInputError(
      `${name} must be a ${options.zero ? 'whole number' : 'positive whole number'}, got '${value}'`,
    )
  return BigInt(value)
}

/** 32 bytes of hex (a slash id, an incident id, a terms hash). */
export function parseBytes32(name: string, value: string | undefined): `0x${string}` {
  if (value === undefined) throw new InvalidInputError(`${name} is required`)
  if (!isHex(value) || size(value) !== 32)
    throw new InvalidInputError(`${name} must be 32 bytes of hex (0x and 64 hex digits), got '${value}'`)
  return value.toLowerCase() as `0x${string}`
}
