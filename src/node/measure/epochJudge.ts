/**
 * Takes each closed epoch's verdict, once. An epoch is closed `judgeDelayMs` after it ends (the last probes may
 * still be answering); its verdict is stored under a subject key, so a restart never judges it again, and each
 * violation becomes a signed finding (book.attest) while each kind that was fine is recorded as clear (book.clear)
 * so that this node never co-signs a peer's contrary report.
 */
import type { Address } from 'viem'
import type { NodeConfig, ServiceConfig } from '../config.ts'
import { errorFields, type Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { ReportBook } from '../report/book.ts'
import type { Finding } from '../report/incident.ts'
import type { Store } from '../store/store.ts'
import type { Prober } from './prober.ts'
import { epochOf, isMassFailure, judgeEpoch } from './verdict.ts'

export const epochSubject = (serviceId: bigint | number, vault: string, epoch: number) =>
  `epoch:${serviceId}:${vault.toLowerCase()}:${epoch}`

export function createEpochJudge(deps: {
  config: NodeConfig
  store: Store
  prober: Prober
  book: ReportBook
  metrics: NodeMetrics
  log: Logger
  attester: boolean
  now?: () => number
}) {
  const { config, store, prober, book, metrics, log } = deps
  const now = deps.now ?? Date.now
  const startedAt = now()
  const lookback = (s: ServiceConfig) =>
    Math.max(2, Math.ceil(config.timing.reportTtlMs / (s.epochSeconds * 1000)))

  async function judge(s: ServiceConfig, vault: Address, epoch: number) {
    const serviceId = BigInt(s.serviceId)
    const subject = epochSubject(serviceId, vault, epoch)
    if (store.measure.verdict(subject)) return
    const agg = prober.samples(serviceId, vault, epoch)
    if (!agg) return
    const verdict = judgeEpoch(agg, s.verdict)
    if (massFailure(s, epoch)) {
      // most operators down at once from here: this node's network, not theirs; no verdict either way
      metrics.verdicts.inc({ kind: 'epoch', result: 'void' })
      store.measure.putVerdict({ subject, kind: 'epoch', verdict: 'void', detail: verdict, judgedAt: now() })
      prober.forget(serviceId, vault, epoch)
      log.warn('epoch voided: most operators failed at once from this node', { serviceId, epoch })
      return
    }
    metrics.verdicts.inc({ kind: 'epoch', result: verdict.status })
    const op = s.operators.find((o) => o.vault.toLowerCase() === vault.toLowerCase())!
    if (verdict.status !== 'insufficient' && deps.attester) {
      for (const kind of ['downtime', 'latency'] as const) {
        const classId = s.classes[kind]
        if (classId === undefined) continue
        const finding: Finding = {
          kind,
          subject: String(epoch),
          serviceId,
          vault,
          classId,
          client: op.client ?? '0x0000000000000000000000000000000000000000',
        }
        if (verdict.violations.includes(kind)) await book.attest(finding)
        else book.clear(finding)
      }
    }
    store.measure.putVerdict({
      subject,
      kind: 'epoch',
      verdict: verdict.status,
      detail: verdict,
      judgedAt: now(),
    })
    prober.forget(serviceId, vault, epoch)
    if (verdict.status === 'violation')
      log.info('epoch violation', {
        serviceId,
        vault,
        epoch,
        violations: verdict.violations,
        uptimeBps: verdict.uptimeBps,
      })
  }

  const massFailures = new Map<string, boolean>()
  /** Whether epoch `epoch` of service `s` is a mass failure from this node (computed once per service and epoch). */
  function massFailure(s: ServiceConfig, epoch: number): boolean {
    const key = `${s.serviceId}:${epoch}`
    let voided = massFailures.get(key)
    if (voided === undefined) {
      const verdicts = s.operators.flatMap((o) => {
        const agg = prober.samples(BigInt(s.serviceId), o.vault, epoch)
        return agg ? [judgeEpoch(agg, s.verdict)] : []
      })
      voided = isMassFailure(verdicts, {
        thresholdBps: s.verdict.massFailureBps,
        minOperators: s.verdict.massFailureMinOperators,
      })
      massFailures.set(key, voided)
      // a few epochs of memory are enough: judging runs in epoch order
      if (massFailures.size > 4 * config.services.length + 16)
        massFailures.delete(massFailures.keys().next().value!)
    }
    return voided
  }

  /** Next epoch to consider per operator: judging is O(operators) per tick once caught up. */
  const next = new Map<string, number>()

  async function tick(): Promise<void> {
    prober.flush()
    for (const s of config.services) {
      const lastClosed = epochOf(now() - config.timing.judgeDelayMs, s.epochSeconds) - 1
      // on the first pass, look back as far as a report could still be useful: a restart mid-epoch left
      // aggregates (and maybe unjudged epochs) in the store
      const earliest = epochOf(startedAt, s.epochSeconds) - lookback(s)
      for (const op of s.operators) {
        const key = `${s.serviceId}:${op.vault.toLowerCase()}`
        let e = next.get(key) ?? earliest
        for (; e <= lastClosed; e++) {
          try {
            await judge(s, op.vault, e)
          } catch (error) {
            metrics.loopErrors.inc({ duty: 'judge' })
            log.error('epoch judgement failed', {
              serviceId: s.serviceId,
              vault: op.vault,
              epoch: e,
              ...errorFields(error),
            })
            break
          }
        }
        next.set(key, e)
      }
    }
  }

  return { tick }
}
