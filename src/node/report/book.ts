/**
 * The report book: this node's findings and its peers' signatures, kept in the store.
 *
 * `attest` signs a finding of this node's own measurement; `clear` records that this node measured the same
 * subject and found nothing, so it will never sign it whatever its peers say. `receive` takes a peer's report in
 * only if this node would have built the same report (same class, client and incident for that subject), and each
 * signature in only if it recovers to its claimed signer and that signer is an active member of the committee.
 * A lying attester can therefore spread its signature, but no honest node adds its own to it.
 */
import type { Address, Hex, LocalAccount } from 'viem'
import { type ReportDomain, signReport } from '../../sdk/reports.ts'
import type { CommitteeCache } from '../chain/committee.ts'
import type { NodeConfig } from '../config.ts'
import { failpoint } from '../failpoint.ts'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { OwnStance, StoredReport } from '../store/reportRepo.ts'
import type { Store } from '../store/store.ts'
import { expectedFinding } from './expectations.ts'
import { type Finding, reportDigest, reportOf, slashIdOf } from './incident.ts'
import type { PeerMessage, PeerReply } from './peerMessage.ts'
import {
  alreadySigned,
  capUndecided,
  reopen,
  storeOwnSignature,
  storeReceived,
  verifiedSignatures,
} from './signedMessage.ts'

export type ReceiveResult =
  | { ok: true; reply: PeerReply; added: number }
  | { ok: false; status: number; error: string }

export const findingKey = (f: Pick<Finding, 'kind' | 'serviceId' | 'vault' | 'subject'>) =>
  `finding:${f.kind}:${f.serviceId}:${f.vault.toLowerCase()}:${f.subject}`

export type ReportBook = ReturnType<typeof createReportBook>

export function createReportBook(deps: {
  config: NodeConfig
  store: Store
  account: LocalAccount
  domain: ReportDomain
  committees: CommitteeCache
  metrics: NodeMetrics
  log: Logger
  now?: () => number
  /** Called when a report gained signatures (the exchange pushes them on, the submitter checks quorum). */
  onChange?: (digest: Hex) => void
}) {
  const { store, account, domain, metrics, log } = deps
  const now = deps.now ?? Date.now
  const self = account.address.toLowerCase() as Address

  const stanceOf = (f: Finding): OwnStance => {
    const v = store.measure.verdict(findingKey(f))
    return v === undefined ? 'unknown' : v.verdict === 'violation' ? 'signed' : 'disagree'
  }

  async function attest(f: Finding): Promise<Hex> {
    const report = reportOf(f)
    const digest = reportDigest(domain, report)
    if (alreadySigned(store, digest, self, store.reports.get(digest)?.own)) return digest
    const signed = await signReport(account, domain, report)
    const created = storeOwnSignature({
      store,
      digest,
      signature: { signer: self, signature: signed.signature },
      putVerdict: () =>
        store.measure.putVerdict({
          subject: findingKey(f),
          kind: f.kind,
          verdict: 'violation',
          detail: {},
          judgedAt: now(),
        }),
      create: () =>
        store.reports.create({
          digest,
          slashId: slashIdOf(report.serviceId, report.vault, report.incidentId),
          report,
          kind: f.kind,
          subject: f.subject,
          own: 'signed',
          now: now(),
        }),
      setOwn: store.reports.setOwn,
      // a row a peer created (and that expired or failed to gather before this node judged) starts again with
      // this node's signature: its quorum must not land on a dead row
      also: () =>
        reopen(store.reports.get(digest)?.state, (state) => store.reports.setState(digest, state, now())),
      now,
    })
    if (created) metrics.reports.inc({ state: 'collecting' })
    log.info('report signed', {
      digest,
      kind: f.kind,
      subject: f.subject,
      vault: f.vault,
      serviceId: f.serviceId,
    })
    failpoint('report.signed')
    deps.onChange?.(digest)
    return digest
  }

  function clear(f: Finding): void {
    const report = reportOf(f)
    const digest = reportDigest(domain, report)
    store.transaction(() => {
      store.measure.putVerdict({
        subject: findingKey(f),
        kind: f.kind,
        verdict: 'clear',
        detail: {},
        judgedAt: now(),
      })
      const existing = store.reports.get(digest)
      if (existing && existing.own === 'unknown') store.reports.setOwn(digest, 'disagree', now())
    })
  }

  function messageOf(r: StoredReport): PeerMessage {
    return {
      kind: r.kind,
      subject: r.subject,
      report: r.report,
      signatures: store.reports.signatures(r.digest),
    }
  }

  async function receive(m: PeerMessage): Promise<ReceiveResult> {
    const expected = expectedFinding(deps.config, m.kind, m.subject, m.report.serviceId, m.report.vault, {
      nowMs: now(),
      skewMs: deps.config.timing.peerSkewMs,
      ttlMs: deps.config.timing.reportTtlMs,
      judgeDelayMs: deps.config.timing.judgeDelayMs,
    })
    if (!expected.ok) return { ok: false, status: expected.status ?? 404, error: expected.reason }
    const report = reportOf(expected.finding)
    // name what differs: a peer whose config drifted (another class or client) silently prevents quorum otherwise
    const differs = [
      report.classId !== m.report.classId && `classId ${m.report.classId} (this node: ${report.classId})`,
      report.client !== m.report.client.toLowerCase() &&
        `client ${m.report.client} (this node: ${report.client})`,
      report.incidentId !== m.report.incidentId.toLowerCase() &&
        `incidentId ${m.report.incidentId} (this node: ${report.incidentId})`,
    ].filter(Boolean)
    if (differs.length) {
      return {
        ok: false,
        status: 409,
        error: `the report does not match this node’s terms for that finding: ${differs.join(', ')}`,
      }
    }
    const digest = reportDigest(domain, report)
    const committee = await deps.committees.get(report.serviceId)
    // one digest per report, one recovery per signature (the digest is what reportDigest computed above)
    const stance = store.reports.get(digest)?.own ?? stanceOf(expected.finding)
    const capped = stance === 'unknown' ? capUndecided(store, digest, m.signatures, deps.config) : undefined
    if (capped?.refused.length && !capped.kept.length)
      return {
        ok: false,
        status: 429,
        error: `too many undecided reports signed by ${capped.refused.join(', ')}`,
      }
    const fresh = await verifiedSignatures({
      store,
      committee,
      digest,
      signatures: capped?.kept ?? m.signatures,
      kind: 'report',
      metrics,
      log,
    })
    const added = storeReceived({
      store,
      digest,
      fresh,
      known: store.reports.get(digest) !== undefined,
      create: () =>
        store.reports.create({
          digest,
          slashId: slashIdOf(report.serviceId, report.vault, report.incidentId),
          report,
          kind: m.kind,
          subject: expected.finding.subject,
          own: stanceOf(expected.finding),
          now: now(),
        }),
      onCreated: () => metrics.reports.inc({ state: 'collecting' }),
      now,
    })
    if (added) deps.onChange?.(digest)
    const stored = store.reports.get(digest)
    return {
      ok: true,
      added,
      reply: {
        kind: m.kind,
        subject: expected.finding.subject,
        report,
        signatures: store.reports.signatures(digest),
        digest,
        state: stored?.state ?? 'unknown',
      },
    }
  }

  return { attest, clear, receive, messageOf, stanceOf }
}
