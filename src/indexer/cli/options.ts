/**
 * What `surety index` and `surety index verify` share: the RPC, the deployment manifest, the database and its
 * schema, each validated with a message that names the flag.
 */
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createPublicClient, http, type PublicClient } from 'viem'
import { type Deployment, deploymentPath, readDeployment } from '../../chain/deployment.ts'
import { ChainUnreachableError, InvalidInputError } from '../../errors.ts'
import { type IndexerDb, isPostgresUrl, openIndexerDb } from '../db/open.ts'

export const COMMON_OPTIONS = {
  'rpc-url': { type: 'string' },
  database: { type: 'string' },
  schema: { type: 'string' },
  deployment: { type: 'string' },
  json: { type: 'boolean' },
} as const

type Values = Record<string, string | boolean | undefined>
type OptionSpec = Record<string, { type: 'string' | 'boolean' }>

export function parse(args: string[], options: OptionSpec): { values: Values } {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }) as { values: Values }
  } catch (error) {
    throw new InvalidInputError(`${(error as Error).message}; see \`surety index --help\``)
  }
}

export const str = (values: Values, flag: string) => values[flag] as string | undefined

export type Connected = {
  client: PublicClient
  chainId: number
  deployment: Deployment
  idb: IndexerDb
  rpcUrl: string
}

export function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidInputError(`--${flag} must be a whole number, got ${JSON.stringify(value)}`)
  }
  return Number(value)
}

export async function connect(values: Values): Promise<Connected> {
  const rpcUrl = str(values, 'rpc-url')
  if (!rpcUrl)
    throw new InvalidInputError('--rpc-url is required: the JSON-RPC endpoint of the chain to index')
  try {
    new URL(rpcUrl)
  } catch {
    throw new InvalidInputError(
      `--rpc-url ${JSON.stringify(rpcUrl)} is not a URL (e.g. http://127.0.0.1:8545)`,
    )
  }
  const client = createPublicClient({
    transport: http(rpcUrl, { retryCount: 2, timeout: 60_000 }),
  }) as PublicClient
  let chainId: number
  try {
    chainId = await client.getChainId()
  } catch (error) {
    throw new ChainUnreachableError(
      `cannot reach the RPC at ${rpcUrl}: ${(error as Error).message.split('\n')[0]}`,
      {
        cause: error,
        retryable: true,
      },
    )
  }
  const manifest = str(values, 'deployment') ?? deploymentPath('.surety/deployments', chainId)
  if (!existsSync(manifest)) {
    throw new InvalidInputError(
      `no deployment manifest at ${manifest}: pass --deployment FILE (written by \`surety deploy\` or \`surety devnet\`)`,
    )
  }
  const deployment = readDeployment(manifest)
  if (deployment.chainId !== chainId) {
    throw new InvalidInputError(
      `${manifest} is a deployment on chain ${deployment.chainId}, but the RPC is chain ${chainId}`,
    )
  }
  const url = str(values, 'database') ?? process.env.DATABASE_URL ?? `.surety/indexer-${chainId}.sqlite`
  const schema = str(values, 'schema')
  if (schema !== undefined && !isPostgresUrl(url)) {
    throw new InvalidInputError(
      '--schema applies to PostgreSQL only: pass --database postgres://… or DATABASE_URL',
    )
  }
  const idb = await openIndexerDb({ url, schema })
  return { client, chainId, deployment, idb, rpcUrl }
}
