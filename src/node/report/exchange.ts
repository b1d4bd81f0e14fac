/**
 * Signature exchange with peer attesters over HTTP. Each open report (a slash report on `/v1/reports`, an order
 * outcome on `/v1/outcomes`: one channel each) is pushed to every peer that is not known to hold all of this
 * node's signatures for it; the peer answers with its own, which are verified like any other. A peer that fails is
 * retried with exponential backoff; after a restart the node knows nothing of what its peers hold, so it pushes
 * everything open once more (the receiver ignores what it has).
 *
 * A refusal (425 not judged yet, 404/403 an order its view does not hold yet, 401, 409) is not an answer that the
 * peer holds our signatures: it is asked again at once when ours change, and otherwise after a backoff per peer and
 * statement (REFUSED_BASE_MS doubling to REFUSED_MAX_MS), since what it refused may change as it catches up. A peer
 * that always refuses costs one request per open statement per REFUSED_MAX_MS at most.
 */
import type { Address, Hex, LocalAccount } from 'viem'
import { backoffDelay } from '../../chain/retry.ts'
import { signPeerRequest } from '../http/peerAuth.ts'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { OutcomeBook } from '../orders/outcomeBook.ts'
import { decodeOutcomeMessage, encodeOutcomeMessage } from '../orders/outcomeMessage.ts'
import type { StoredSignature } from '../store/reportRepo.ts'
import type { Store } from '../store/store.ts'
import type { ReportBook } from './book.ts'
import { decodePeerMessage, encodePeerMessage } from './peerMessage.ts'

export type Peer = { url: string; address: string }

/** The first re-ask of a peer that refused a statement, doubling with each refusal up to REFUSED_MAX_MS. */
export const REFUSED_BASE_MS = 1_000
export const REFUSED_MAX_MS = 60_000

/** One kind of signed statement the exchange moves between peers. */
export type ExchangeChannel = {
  /** The peer API path it is posted to. */
  path: string
  /** Digests still gathering signatures. */
  open: () => Hex[]
  signatures: (digest: Hex) => StoredSignature[]
  /** The request body for a digest (undefined if it is gone). */
  body: (digest: Hex) => unknown
  /** Takes in a peer's reply; returns the signers it holds (undefined if the reply is not understood). */
  receive: (reply: unknown) => Promise<string[] | undefined>
}

/** Peer replies carry `digest` and `state` besides the message: drop them before decoding the message. */
const messagePart = (body: unknown) =>
  body && typeof body === 'object' ? { ...body, digest: undefined, state: undefined } : body

export function reportChannel(store: Store, book: ReportBook): ExchangeChannel {
  return {
    path: '/v1/reports',
    open: () => store.reports.inState('collecting').map((r) => r.digest),
    signatures: (digest) => store.reports.signatures(digest),
    body: (digest) => {
      const report = store.reports.get(digest)
      return report && encodePeerMessage(book.messageOf(report))
    },
    receive: async (reply) => {
      const decoded = decodePeerMessage(messagePart(reply))
      if (!decoded.ok) return undefined
      await book.receive(decoded.message)
      return decoded.message.signatures.map((s) => s.signer)
    },
  }
}

export function outcomeChannel(store: Store, book: OutcomeBook): ExchangeChannel {
  return {
    path: '/v1/outcomes',
    open: () => store.outcomes.inState('collecting').map((o) => o.digest),
    signatures: (digest) => store.reports.signatures(digest),
    body: (digest) => {
      const outcome = store.outcomes.get(digest)
      return outcome && encodeOutcomeMessage(book.messageOf(outcome))
    },
    receive: async (reply) => {
      const decoded = decodeOutcomeMessage(messagePart(reply))
      if (!decoded.ok) return undefined
      await book.receive(decoded.message)
      return decoded.message.signatures.map((s) => s.signer)
    },
  }
}

export function createExchange(deps: {
  peers: Peer[]
  channels: ExchangeChannel[]
  /** Signs every request: peers answer with their signatures only to committee members. */
  account: LocalAccount
  metrics: NodeMetrics
  log: Logger
  timeoutMs: number
  now?: () => number
  random?: () => number
}) {
  const { metrics, log } = deps
  const now = deps.now ?? Date.now
  const random = deps.random ?? Math.random
  /** What each peer is known to hold, per digest. */
  const known = new Map<string, Map<Hex, Set<string>>>()
  /**
   * Statements each peer refused: the signatures it was offered, how often it refused, and when to ask again.
   * Kept apart from `known`: a peer that refused (it has not judged yet, its view lags) holds none of ours.
   */
  const refused = new Map<string, Map<Hex, { offered: Set<string>; refusals: number; retryAt: number }>>()
  const health = new Map<string, { failures: number; nextAt: number }>()
  /** Config differences already warned about (peer and its reason). */
  const drift = new Set<string>()

  async function push(peer: Peer, channel: ExchangeChannel, digest: Hex): Promise<void> {
    const body = channel.body(digest)
    if (body === undefined) return
    const ours = channel.signatures(digest).map((s) => s.signer as string)
    const url = `${peer.url.replace(/\/$/, '')}${channel.path}`
    const text = JSON.stringify(body)
    let response: Response
    try {
      const signed = await signPeerRequest(deps.account, {
        method: 'POST',
        path: new URL(url).pathname,
        to: peer.address as Address,
        body: text,
        timeMs: now(),
      })
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signed },
        body: text,
        signal: AbortSignal.timeout(deps.timeoutMs),
      })
    } catch (error) {
      const h = health.get(peer.url) ?? { failures: 0, nextAt: 0 }
      h.failures++
      h.nextAt = now() + backoffDelay(h.failures, 250, 30_000, Math.random)
      health.set(peer.url, h)
      metrics.peerRequests.inc({ result: 'unreachable' })
      if (h.failures === 1 || h.failures % 20 === 0)
        log.warn('peer unreachable', {
          peer: peer.url,
          failures: h.failures,
          error: (error as Error).message,
        })
      return
    }
    // busy (429) or failing (5xx): not an answer about this statement; back off and ask again later
    if (response.status === 429 || response.status >= 500) {
      await response.arrayBuffer().catch(() => undefined)
      const h = health.get(peer.url) ?? { failures: 0, nextAt: 0 }
      h.failures++
      h.nextAt = now() + backoffDelay(h.failures, 250, 30_000, Math.random)
      health.set(peer.url, h)
      metrics.peerRequests.inc({ result: `http_${response.status}` })
      return
    }
    health.delete(peer.url)
    const reply = await response.json().catch(() => undefined)
    const peerKnows = known.get(peer.url) ?? new Map<Hex, Set<string>>()
    known.set(peer.url, peerKnows)
    const peerRefused = refused.get(peer.url) ?? new Map()
    refused.set(peer.url, peerRefused)
    if (!response.ok) {
      metrics.peerRequests.inc({ result: `http_${response.status}` })
      // the peer does not take this now (not judged yet, not in its view yet, or other terms): ask again when ours
      // change, or after a backoff — never "known to hold ours", which would stop both sides for good
      const refusals = (peerRefused.get(digest)?.refusals ?? 0) + 1
      peerRefused.set(digest, {
        offered: new Set(ours),
        refusals,
        retryAt: now() + backoffDelay(refusals, REFUSED_BASE_MS, REFUSED_MAX_MS, random),
      })
      const error = (reply as { error?: unknown } | undefined)?.error
      // 409: the peer would sign other bytes for the same finding — its config differs from ours (class, client),
      // which silently prevents quorum; say so, once per peer and difference
      if (response.status === 409 && typeof error === 'string' && !drift.has(`${peer.url} ${error}`)) {
        drift.add(`${peer.url} ${error}`)
        log.warn('peer config differs: it refuses our statement', {
          peer: peer.url,
          path: channel.path,
          error,
        })
        return
      }
      log.debug('peer refused', {
        peer: peer.url,
        path: channel.path,
        digest,
        status: response.status,
        reply,
      })
      return
    }
    metrics.peerRequests.inc({ result: 'ok' })
    peerRefused.delete(digest)
    const holds = new Set(ours)
    // a peer's reply is input like any other: one that fails a check is ignored, it does not stop the exchange
    const theirs = await channel.receive(reply).catch((error: Error) => {
      log.warn('peer reply refused', { peer: peer.url, path: channel.path, digest, error: error.message })
      return undefined
    })
    for (const signer of theirs ?? []) holds.add(signer)
    peerKnows.set(digest, holds)
  }

  let running: Promise<void> | undefined
  let again = false

  async function tick(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        const jobs: Promise<void>[] = []
        const stillOpen = new Set<Hex>()
        for (const channel of deps.channels) {
          const open = channel.open()
          for (const digest of open) stillOpen.add(digest)
          for (const peer of deps.peers) {
            const h = health.get(peer.url)
            if (h && h.nextAt > now()) continue
            for (const digest of open) {
              const ours = channel.signatures(digest)
              if (ours.length === 0) continue
              const theirs = known.get(peer.url)?.get(digest)
              if (theirs && ours.every((s) => theirs.has(s.signer))) continue
              const refusal = refused.get(peer.url)?.get(digest)
              if (refusal && now() < refusal.retryAt && ours.every((s) => refusal.offered.has(s.signer)))
                continue
              jobs.push(push(peer, channel, digest))
            }
          }
        }
        // what peers hold of, and refused, statements no longer open is forgotten: kept, it grew with every report
        // and outcome the node ever gathered. One that opens again (a reorg, a quorum lost) is pushed once more,
        // and the peer ignores what it has.
        for (const byDigest of [...refused.values(), ...known.values()])
          for (const digest of byDigest.keys()) if (!stillOpen.has(digest)) byDigest.delete(digest)
        await Promise.all(jobs)
      } while (again)
    })().finally(() => {
      running = undefined
    })
    return running
  }

  return {
    tick,
    /** Push now (a report gained signatures) rather than at the next interval. */
    kick: () => {
      void tick().catch((error) => log.error('exchange failed', { error: (error as Error).message }))
    },
  }
}
