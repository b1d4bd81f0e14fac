/**
 * Where a read command's figures come from: the HTTP API (`--api URL`, $SURETY_API_URL, or the `apiUrl` the devnet
 * writes into its manifest) when one answers for this deployment and is no further behind the chain than its
 * finality depth, else the chain, with a one-line notice saying why. `--chain` forces the chain.
 */
import { InvalidInputError } from '../../errors.ts'
import { type ApiClient, apiBaseUrl, createApiClient } from '../../sdk/api/createApiClient.ts'
import { ApiError } from '../../sdk/api/errors.ts'
import type { ApiBlock } from '../../sdk/api/types.ts'
import type { Context } from './connect.ts'

export type ApiSource = {
  api: ApiClient
  url: string
  /** The indexed block the API answered for when it was checked. */
  block: ApiBlock
  /** The chain head when the API was checked: how far an answer's block trails it is what the source line says. */
  head: number
}

type Values = Record<string, unknown>

/** The API URL the options name, checked before anything is reached (a bad one is one line, not a fallback). */
export function apiUrlOption(values: Values): string | undefined {
  const flag = values.api as string | undefined
  if (flag !== undefined && values.chain === true)
    throw new InvalidInputError('--api and --chain contradict each other: pass one of them')
  const url = flag ?? process.env.SURETY_API_URL
  if (url === undefined || url === '') return undefined
  try {
    return apiBaseUrl(url)
  } catch {
    const name = flag !== undefined ? '--api' : 'SURETY_API_URL'
    throw new InvalidInputError(`${name} must be an http(s) URL such as http://127.0.0.1:8546, got '${url}'`)
  }
}

/** The notice printed when the API was meant to be read but the chain is read instead. */
const notice = (text: string) => console.error(`note: ${text}; reading from the chain instead`)

/**
 * The API to read, or undefined for the chain. Falls back (with a notice) when the API cannot be reached, answers
 * an error, indexes another deployment, or is more than its finality depth behind the chain head.
 */
export async function chooseSource(ctx: Context, values: Values): Promise<ApiSource | undefined> {
  if (values.chain === true) return undefined
  const url = apiUrlOption(values) ?? manifestApi(ctx)
  if (url === undefined) return undefined
  const api = createApiClient({ url, timeoutMs: 5_000 })
  try {
    const [network, head] = await Promise.all([api.network(), ctx.reader.public.getBlockNumber()])
    const { block, data } = network
    const registry = data.addresses.registry?.toLowerCase()
    if (data.chainId !== ctx.chainId || registry !== ctx.deployment.addresses.registry.toLowerCase()) {
      notice(`the API at ${url} indexes another deployment (chain ${data.chainId}, registry ${registry})`)
      return undefined
    }
    const behind = Math.max(0, Number(head) - block.number)
    const depth = data.indexer.finalityDepth ?? 0
    if (data.indexer.halted) {
      notice(`the API at ${url} serves an index that halted (${data.indexer.halted})`)
      return undefined
    }
    if (behind > depth) {
      notice(
        `the API at ${url} is ${behind} blocks behind the chain (indexed block ${block.number}, head ${head}; more than its finality depth ${depth})`,
      )
      return undefined
    }
    return { api, url, block, head: Number(head) }
  } catch (error) {
    notice(error instanceof Error ? error.message.replace(/: is `surety api`.*$/, '') : String(error))
    return undefined
  }
}

function manifestApi(ctx: Context): string | undefined {
  const url = ctx.deployment.apiUrl
  if (url === undefined) return undefined
  try {
    return apiBaseUrl(url)
  } catch {
    return undefined
  }
}

/** The line that says where an API read's figures come from, printed after them. */
export function sourceLine(source: ApiSource, block: ApiBlock = source.block): string {
  const lag = Math.max(0, source.head - block.number)
  const behind = lag === 1 ? '1 block' : `${lag} blocks`
  return `read from the API at ${source.url} at block ${block.number}; indexed ${behind} behind the chain`
}

/**
 * An API read, or undefined when the API answered 404: the index does not hold what was asked for (it was made
 * since the indexed block), so the caller reads the chain instead. Any other failure stays an error.
 */
export async function unlessNotIndexed<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined
    throw error
  }
}
