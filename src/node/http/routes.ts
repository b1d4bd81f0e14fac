/**
 * The node's HTTP API:
 *   GET  /health         liveness and the processed block
 *   GET  /metrics        Prometheus text format
 *   GET  /v1/status      reports and order outcomes with their signers and states, the orders watched,
 *                        transactions sent, telemetry rejections
 *   POST /v1/reports     peer signature exchange for slash reports (report/peerMessage.ts)
 *   POST /v1/outcomes    peer signature exchange for order outcomes (orders/outcomeMessage.ts)
 *   POST /v1/telemetry   one device-signed reading (telemetry/reading.ts)
 * and the read routes of readRoutes.ts (GET /v1/telemetry, GET /v1/uptime).
 */
import type { Address } from 'viem'
import type { CommitteeCache } from '../chain/committee.ts'
import type { NodeConfig } from '../config.ts'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { OutcomeBook } from '../orders/outcomeBook.ts'
import { decodeOutcomeMessage } from '../orders/outcomeMessage.ts'
import type { OrderSource } from '../orders/source.ts'
import type { ReportBook } from '../report/book.ts'
import { decodePeerMessage } from '../report/peerMessage.ts'
import type { Store } from '../store/store.ts'
import { ingestReading } from '../telemetry/ingest.ts'
import { verifyPeerRequest } from './peerAuth.ts'
import { createRateLimiter } from './rateLimit.ts'
import type { Reply, Request, Routes } from './server.ts'

export function nodeRoutes(deps: {
  config: NodeConfig
  store: Store
  book: ReportBook
  outcomes: OutcomeBook
  metrics: NodeMetrics
  orders: OrderSource
  committees: CommitteeCache
  address: Address
  chainId: number
  log: Logger
  now: () => number
  /** A reading was accepted for the order `orderId` (32-byte key): the judge looks at it again. */
  onReading?: (orderId: `0x${string}`) => void
}): Routes {
  const { store, book, metrics, log } = deps
  const serviceIds = new Set(deps.config.services.map((s) => BigInt(s.serviceId)))
  const perPeer = createRateLimiter({
    ratePerSecond: deps.config.api.requestsPerSecondPerPeer,
    burst: deps.config.api.burstPerPeer,
  })

  /**
   * The signer of a peer request if it is a member of `serviceId`'s committee; otherwise the refusal. The
   * exchange's replies carry signatures, which only members may have (see peerAuth.ts).
   */
  async function member(req: Request, serviceId: () => bigint | undefined): Promise<Reply | undefined> {
    const auth = await verifyPeerRequest(req.headers, {
      method: req.method,
      path: req.url.pathname,
      self: deps.address,
      body: req.rawBody,
      nowMs: deps.now(),
      maxAgeMs: deps.config.timing.peerSkewMs,
    })
    if (!auth.ok) {
      metrics.peerAuth.inc({ result: 'refused' })
      return { status: 401, body: { error: auth.error } }
    }
    const id = serviceId()
    if (id === undefined || !(await deps.committees.isMember(id, auth.signer))) {
      metrics.peerAuth.inc({ result: 'not_member' })
      return { status: 403, body: { error: `${auth.signer} is not on the committee of this service` } }
    }
    metrics.peerAuth.inc({ result: 'ok' })
    if (!perPeer.take(auth.signer)) {
      metrics.limited.inc({ reason: 'peer_rate' })
      return { status: 429, body: { error: `too many requests from ${auth.signer}` } }
    }
    return undefined
  }

  return {
    'GET /health': () => ({
      status: 200,
      body: {
        ok: true,
        address: deps.address,
        chainId: deps.chainId,
        lastBlock: store.chain.cursor()?.number ?? null,
      },
    }),
    'GET /metrics': () => ({
      status: 200,
      body: metrics.registry.render(),
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
    }),
    'GET /v1/status': () => ({
      status: 200,
      body: {
        address: deps.address,
        chainId: deps.chainId,
        lastBlock: store.chain.cursor()?.number ?? null,
        reports: store.reports.all().map((r) => ({
          digest: r.digest,
          slashId: r.slashId,
          kind: r.kind,
          subject: r.subject,
          serviceId: r.report.serviceId,
          vault: r.report.vault,
          classId: r.report.classId,
          client: r.report.client,
          own: r.own,
          state: r.state,
          reason: r.reason,
          tx: r.txId === undefined ? null : store.txs.get(r.txId)?.hash,
          signers: store.reports.signatures(r.digest).map((s) => s.signer),
        })),
        outcomes: store.outcomes.all().map((o) => ({
          digest: o.digest,
          orderId: o.orderId,
          milestone: o.milestone,
          success: o.success,
          classId: o.classId,
          kind: o.kind,
          own: o.own,
          state: o.state,
          reason: o.reason,
          tx: o.txId === undefined ? null : store.txs.get(o.txId)?.hash,
          signers: store.reports.signatures(o.digest).map((s) => s.signer),
        })),
        orders: deps.orders.list().map((o) => ({
          orderId: o.orderId,
          serviceId: o.serviceId,
          kind: o.kind,
          status: o.status,
          vault: o.vault,
          settled: o.settled,
          milestones: o.milestones,
          device: o.terms.device,
        })),
        transactions: Object.fromEntries(
          ['report', 'execute', 'lapse', 'outcome', 'expire', 'settle_lease', 'sweep'].map((p) => [
            p,
            store.txs.countByPurpose(p),
          ]),
        ),
        telemetryRejections: store.telemetry.rejections(),
      },
    }),
    'POST /v1/reports': async (req) => {
      const decoded = decodePeerMessage(req.body)
      if (!decoded.ok) return { status: 400, body: { error: decoded.error } }
      const refused = await member(req, () => decoded.message.report.serviceId)
      if (refused) return refused
      const result = await book.receive(decoded.message)
      if (!result.ok) return { status: result.status, body: { error: result.error } }
      const { reply } = result
      return {
        status: 200,
        body: { ...reply, report: { ...reply.report, serviceId: reply.report.serviceId.toString() } },
      }
    },
    'POST /v1/outcomes': async (req) => {
      const decoded = decodeOutcomeMessage(req.body)
      if (!decoded.ok) return { status: 400, body: { error: decoded.error } }
      const refused = await member(req, () => deps.orders.byId(decoded.message.outcome.orderId)?.serviceId)
      if (refused) return refused
      const result = await deps.outcomes.receive(decoded.message)
      if (!result.ok) return { status: result.status, body: { error: result.error } }
      const { reply } = result
      return {
        status: 200,
        body: { ...reply, outcome: { ...reply.outcome, orderId: reply.outcome.orderId.toString() } },
      }
    },
    'POST /v1/telemetry': async ({ body }) => {
      const result = await ingestReading(body, {
        store,
        orders: deps.orders,
        domain: { chainId: deps.chainId },
        nowSec: () => Math.floor(deps.now() / 1000),
        maxSkewSeconds: deps.config.telemetry.maxSkewSeconds,
        serviceIds,
        onSignatureCheck: (valid) =>
          metrics.signatureChecks.inc({ kind: 'telemetry', result: valid ? 'valid' : 'invalid' }),
      })
      if (result.accepted) {
        metrics.telemetryAccepted.inc()
        deps.onReading?.(result.orderId)
        return { status: 202, body: { accepted: true, digest: result.digest } }
      }
      metrics.telemetryRejected.inc({ reason: result.reason })
      log.info('telemetry rejected', { reason: result.reason, message: result.message })
      const status =
        result.reason === 'malformed'
          ? 400
          : result.reason === 'unknown-order'
            ? 404
            : result.reason === 'replay'
              ? 409
              : 422
      return { status, body: { accepted: false, reason: result.reason, error: result.message } }
    },
  }
}
