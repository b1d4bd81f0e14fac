/**
 * Reaching a deployment: the RPC from --rpc-url (or --rpc), $ETH_RPC_URL, the manifest, or the local devnet's
 * default; the manifest found by the chain's id; and one clear line for each way this goes wrong (chain
 * unreachable, manifest missing, manifest invalid, manifest for another chain, contracts not on this chain).
 */
import { existsSync, readFileSync } from 'node:fs'
import { createPublicClient, http } from 'viem'
import { type Deployment, deploymentPath, deploymentSchema } from '../../chain/deployment.ts'
import { InvalidInputError } from '../../errors.ts'
import { createSuretyReader } from '../../sdk/createSuretyClient.ts'
import type { SuretyReader } from '../../sdk/types.ts'
import { ChainUnreachableError, setErrorContext } from './explain.ts'
import { str } from './options.ts'
import { apiUrlOption } from './readSource.ts'
import { type Token, tokenReader } from './units.ts'

export const DEFAULT_RPC = 'http://127.0.0.1:8545'
export const DEFAULT_DEPLOYMENTS_DIR = '.surety/deployments'
/** The local devnet's chain id: writes there are never asked to be confirmed. */
export const DEVNET_CHAIN_ID = 31337

export type Context = {
  deployment: Deployment
  manifestPath: string
  rpcUrl: string
  chainId: number
  reader: SuretyReader
  fromBlock: bigint
  token: (address: `0x${string}`) => Promise<Token>
  stake: Token
  /** The chain's clock (latest block's timestamp): every countdown is against it, not the wall clock. */
  now: () => Promise<bigint>
}

type Values = Record<string, unknown>

/** Asks the RPC for its chain id; an unreachable or non-RPC URL is one line saying what to do. */
export async function chainIdAt(rpcUrl: string): Promise<number> {
  if (!/^https?:\/\/\S+$/.test(rpcUrl))
    throw new InvalidInputError(`--rpc-url must be an http(s) URL, got '${rpcUrl}'`)
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 10_000 }) })
  try {
    return await client.getChainId()
  } catch (cause) {
    throw new ChainUnreachableError(
      `cannot reach a chain at ${rpcUrl}: is it running? Start the local devnet with \`npm start\`, or pass --rpc-url URL (or set ETH_RPC_URL)`,
      { cause, retryable: true },
    )
  }
}

/**
 * The chain to read when no manifest is named: --rpc-url or $ETH_RPC_URL when given; otherwise where the local
 * devnet's manifest says it runs (`npm start -- --port 9300` writes that port there), then the default port.
 */
async function reachChain(named: string | undefined): Promise<{ rpcUrl: string; chainId: number }> {
  if (named !== undefined) return { rpcUrl: named, chainId: await chainIdAt(named) }
  const devnetRpc = devnetManifestRpc()
  const candidates = [...new Set([...(devnetRpc ? [devnetRpc] : []), DEFAULT_RPC])]
  let first: unknown
  for (const rpcUrl of candidates) {
    try {
      return { rpcUrl, chainId: await chainIdAt(rpcUrl) }
    } catch (error) {
      if (!(error instanceof ChainUnreachableError)) throw error
      first ??= error
    }
  }
  if (candidates.length > 1)
    throw new ChainUnreachableError(
      `cannot reach a chain at ${candidates.join(' or ')} (the local devnet's manifest, then the default): is it running? Start the local devnet with \`npm start\`, or pass --rpc-url URL (or set ETH_RPC_URL)`,
      { cause: first, retryable: true },
    )
  throw first
}

/** The RPC URL the local devnet's manifest records, if there is a readable one. */
function devnetManifestRpc(): string | undefined {
  const path = deploymentPath(process.env.SURETY_DEPLOYMENTS ?? DEFAULT_DEPLOYMENTS_DIR, DEVNET_CHAIN_ID)
  try {
    const parsed = deploymentSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
    return parsed.success ? parsed.data.rpcUrl : undefined
  } catch {
    return undefined
  }
}

export function loadManifest(path: string, explicit: boolean, chainId?: number): Deployment {
  if (!existsSync(path)) {
    throw new InvalidInputError(
      explicit
        ? `no deployment manifest at ${path}: check the path, or write one with \`surety deploy --rpc-url URL\``
        : `no Surety deployment known for chain ${chainId} (no ${path}): start the local devnet with \`npm start\`, or deploy with \`surety deploy --rpc-url URL\` (or pass --deployment FILE)`,
    )
  }
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw new InvalidInputError(
      `the deployment manifest ${path} is not valid JSON (damaged?): write it again with \`npm start\` (devnet) or \`surety deploy\``,
    )
  }
  const parsed = deploymentSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new InvalidInputError(
      `the deployment manifest ${path} is invalid (${issue.path.join('.') || 'file'}: ${issue.message}): write it again with \`npm start\` (devnet) or \`surety deploy\``,
    )
  }
  return parsed.data as Deployment
}

/** Connects to the deployment named by the options and checks that its contracts are on that chain. */
export async function connect(values: Values): Promise<Context> {
  apiUrlOption(values) // a bad --api is one line before the chain is reached
  const flag = str(values, 'rpc-url') ?? str(values, 'rpc')
  const file = str(values, 'deployment')
  let deployment: Deployment
  let manifestPath: string
  let rpcUrl: string
  let chainId: number
  if (file !== undefined) {
    deployment = loadManifest(file, true)
    manifestPath = file
    rpcUrl = flag ?? process.env.ETH_RPC_URL ?? deployment.rpcUrl
    chainId = await chainIdAt(rpcUrl)
    if (chainId !== deployment.chainId)
      throw new InvalidInputError(
        `wrong chain: the manifest ${file} is for chain ${deployment.chainId}, but ${rpcUrl} is chain ${chainId}; pass the RPC of chain ${deployment.chainId} or that chain's manifest`,
      )
  } else {
    ;({ rpcUrl, chainId } = await reachChain(flag ?? process.env.ETH_RPC_URL))
    manifestPath = deploymentPath(process.env.SURETY_DEPLOYMENTS ?? DEFAULT_DEPLOYMENTS_DIR, chainId)
    deployment = loadManifest(manifestPath, false, chainId)
  }
  const reader = createSuretyReader({ rpcUrl, chainId, addresses: deployment.addresses })
  const code = await reader.public.getCode({ address: deployment.addresses.registry })
  if (!code || code === '0x')
    throw new InvalidInputError(
      `no Surety contracts on chain ${chainId} at ${rpcUrl} where ${manifestPath} says (the chain was restarted since?): run \`npm start\` again, or \`surety deploy\``,
    )
  const token = tokenReader(reader)
  const stake = await token(deployment.addresses.stakeToken)
  // the next block is stamped no earlier than the wall clock: on a chain that mines only on demand (the devnet) the
  // latest block can be hours old, and countdowns must not start from it
  const now = async () => {
    const latest = (await reader.public.getBlock()).timestamp
    const wall = BigInt(Math.floor(Date.now() / 1000))
    return latest > wall ? latest : wall
  }
  setErrorContext({ stake, now })
  return {
    deployment,
    manifestPath,
    rpcUrl,
    chainId,
    reader,
    fromBlock: BigInt(deployment.blockNumber),
    token,
    stake,
    now,
  }
}
