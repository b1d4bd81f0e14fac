/**
 * Judges every running compute order (an accepted job without a device) of the services this node attests: once
 * the operator has committed a result hash for the next milestone (ResultCommitted), the result is fetched from
 * the service's `resultUrl` and must hash to the commitment (measure/jobs.ts) — a success — or it is a wrong
 * output, a failure of the service's `wrongOutput` class. A result that cannot be fetched is retried, never judged.
 */
import type { Address, Hex, PublicClient } from 'viem'
import { backoffDelay } from '../../chain/retry.ts'
import type { NodeConfig } from '../config.ts'
import { errorFields, type Logger } from '../log.ts'
import { fetchResult } from '../measure/jobChecker.ts'
import { checkJobResult } from '../measure/jobs.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { Store } from '../store/store.ts'
import { computeDecision } from './decide.ts'
import { isShipment, type WatchedOrder } from './fold.ts'
import { type OutcomeBook, outcomeSubject } from './outcomeBook.ts'
import { attestedService, chainAgrees } from './shipmentJudge.ts'
import type { OrderSource } from './source.ts'

/** Fills a `resultUrl` template: {orderId}, {milestone}, {vault}, {resultHash}. */
export function resultUrlOf(template: string, o: WatchedOrder, milestone: number, resultHash: Hex): string {
  return template
    .replaceAll('{orderId}', o.orderId.toString())
    .replaceAll('{milestone}', String(milestone))
    .replaceAll('{vault}', o.vault)
    .replaceAll('{resultHash}', resultHash)
}

export function createComputeJudge(deps: {
  config: NodeConfig
  store: Store
  orders: OrderSource
  outcomes: OutcomeBook
  client: PublicClient
  ordersAddress: Address
  metrics: NodeMetrics
  log: Logger
  timeoutMs?: number
  now?: () => number
}) {
  const { config, store, orders, metrics, log } = deps
  const now = deps.now ?? Date.now
  /** Results that could not be fetched are tried again with backoff (1 s doubling to a minute). */
  const retry = new Map<bigint, { failures: number; at: number }>()

  async function tick(): Promise<void> {
    for (const o of orders.list()) {
      if (o.status !== 'Active' || o.kind !== 'job' || isShipment(o)) continue
      const template = attestedService(config, o.serviceId)?.resultUrl
      if (!template || o.settled >= o.milestones) continue
      const committed = o.results[o.settled]
      if (!committed || store.measure.verdict(outcomeSubject(o.orderId, o.settled))) continue
      const failed = retry.get(o.orderId)
      if (failed && now() < failed.at) continue
      try {
        const result = await fetchResult(
          resultUrlOf(template, o, o.settled, committed),
          deps.timeoutMs,
          config.limits.maxResultBytes,
          (reason) => log.warn('compute result too large: not judged', { orderId: o.orderId, reason }),
        )
        if (!result) {
          metrics.verdicts.inc({ kind: 'compute', result: 'unavailable' })
          const failures = (failed?.failures ?? 0) + 1
          retry.set(o.orderId, { failures, at: now() + backoffDelay(failures, 1_000, 60_000, Math.random) })
          continue
        }
        retry.delete(o.orderId)
        const check = checkJobResult({ committedHash: committed, result, sampled: false })
        const decision = computeDecision(o, check)
        if (!decision) continue
        if (!(await chainAgrees(deps.client, deps.ordersAddress, o))) continue
        metrics.verdicts.inc({ kind: 'compute', result: decision.success ? 'success' : 'failure' })
        if (check.verdict === 'wrong-output')
          log.info('wrong compute result', {
            orderId: o.orderId,
            milestone: decision.milestone,
            reason: check.reason,
          })
        await deps.outcomes.attest(o, decision.milestone, decision.success, check)
      } catch (error) {
        metrics.loopErrors.inc({ duty: 'compute' })
        log.error('compute judgement failed', { orderId: o.orderId, ...errorFields(error) })
      }
    }
    for (const id of retry.keys()) if (!orders.byId(id)) retry.delete(id)
  }

  return { tick }
}
