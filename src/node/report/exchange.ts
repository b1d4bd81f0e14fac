/**
 * Signature exchange with peer attesters over HTTP. Each open report is pushed to every peer that is not known to
 * hold all of this node's signatures for it; the peer answers with its own, which are verified like any other.
 * A peer that fails is retried with exponential backoff; after a restart the node knows nothing of what its
 * peers hold, so it pushes everything open once more (the receiver ignores what it has).
 */
import type { Hex } from 'viem'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import { backoffDelay } from '../retry.ts'
import type { Store } from '../store/store.ts'
import type { ReportBook } from './book.ts'
import { decodePeerMessage, encodePeerMessage } from './peerMessage.ts'

export type Peer = { url: string; address: string }

export function createExchange(deps: {
  peers: Peer[]
  store: Store
  book: ReportBook
  metrics: NodeMetrics
  log: Logger
  timeoutMs: number
  now?: () => number
}) {
  const { store, book, metrics, log } = deps
  const now = deps.now ?? Date.now
  /** What each peer is known to hold, per report digest. */
  const known = new Map<string, Map<Hex, Set<string>>>()
  const health = new Map<string, { failures: number; nextAt: number }>()

  async function push(peer: Peer, digest: Hex): Promise<void> {
    const report = store.reports.get(digest)
    if (!report) return
    const message = book.messageOf(report)
    const url = `${peer.url.replace(/\/$/, '')}/v1/reports`
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(encodePeerMessage(message)),
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
    health.delete(peer.url)
    const body = await response.json().catch(() => undefined)
    const peerKnows = known.get(peer.url) ?? new Map<Hex, Set<string>>()
    known.set(peer.url, peerKnows)
    if (!response.ok) {
      metrics.peerRequests.inc({ result: `http_${response.status}` })
      // the peer does not attest this finding (or disagrees on its terms): do not ask again
      peerKnows.set(digest, new Set(message.signatures.map((s) => s.signer)))
      log.debug('peer refused report', { peer: peer.url, digest, status: response.status, body })
      return
    }
    metrics.peerRequests.inc({ result: 'ok' })
    const reply = decodePeerMessage(
      body && typeof body === 'object' ? { ...body, digest: undefined, state: undefined } : body,
    )
    const holds = new Set(message.signatures.map((s) => s.signer))
    if (reply.ok) {
      for (const s of reply.message.signatures) holds.add(s.signer)
      await book.receive(reply.message)
    }
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
        const open = store.reports.inState('collecting')
        const jobs: Promise<void>[] = []
        for (const peer of deps.peers) {
          const h = health.get(peer.url)
          if (h && h.nextAt > now()) continue
          for (const r of open) {
            const ours = store.reports.signatures(r.digest)
            if (ours.length === 0) continue
            const theirs = known.get(peer.url)?.get(r.digest)
            if (theirs && ours.every((s) => theirs.has(s.signer))) continue
            jobs.push(push(peer, r.digest))
          }
        }
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
