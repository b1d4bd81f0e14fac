/** What the routes reading from the attester nodes share: their plugin options, the cache opt-out, the guard. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import type { ApiContext } from '../context.ts'
import { NodesUnavailableError } from '../errors.ts'

/** The attester nodes this API asks (their HTTP API, e.g. http://127.0.0.1:8555), and how long it waits. */
export type NodeDirectory = { urls: string[]; timeoutMs?: number }

export type NodeReadsPlugin = FastifyPluginAsyncTypebox<{ ctx: ApiContext; nodes: NodeDirectory }>

/** The response cache (cache.ts) keys on the indexed state; what nodes hold moves without it, so never stored. */
export function noResponseCache(reply: FastifyReply) {
  ;(reply as FastifyReply & { cacheable?: boolean }).cacheable = false
}

export function requireNodes(nodes: NodeDirectory, what: string) {
  if (nodes.urls.length === 0)
    throw new NodesUnavailableError(
      `${what} are kept by the attester nodes, and this API has none configured: start it with --node URL (one per attester)`,
    )
}
