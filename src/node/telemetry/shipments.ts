/**
 * Judges every order this node watches from its accepted readings, until the order's outcome is final. A failed
 * shipment becomes a finding of class `delivery` naming the order's client, who is paid the client share when the
 * slash executes; a delivered one is recorded as clear. (With the OrderBook, a success will also be reported.)
 */
import type { Hex } from 'viem'
import type { NodeConfig } from '../config.ts'
import { errorFields, type Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { ReportBook } from '../report/book.ts'
import type { Store } from '../store/store.ts'
import { judgeShipment } from './judge.ts'
import type { OrderSource } from './orders.ts'

export const shipmentSubject = (orderId: Hex) => `shipment:${orderId.toLowerCase()}`

export function createShipmentJudge(deps: {
  config: NodeConfig
  store: Store
  orders: OrderSource
  book: ReportBook
  metrics: NodeMetrics
  log: Logger
  attester: boolean
  nowMs?: () => number
}) {
  const { config, store, orders, book, metrics, log } = deps
  const nowMs = deps.nowMs ?? Date.now

  async function tick(): Promise<void> {
    for (const order of orders.list()) {
      const subject = shipmentSubject(order.orderId as Hex)
      if (store.measure.verdict(subject)) continue
      try {
        const readings = store.telemetry.readings(order.orderId as Hex)
        const verdict = judgeShipment(
          order,
          readings,
          Math.floor(nowMs() / 1000),
          config.telemetry.graceSeconds,
        )
        if (verdict.outcome === 'pending') continue
        metrics.verdicts.inc({ kind: 'shipment', result: verdict.outcome })
        const service = config.services.find((s) => BigInt(s.serviceId) === order.serviceId)
        const classId = service?.classes.delivery
        if (deps.attester && classId !== undefined) {
          const finding = {
            kind: 'delivery' as const,
            subject: order.orderId.toLowerCase(),
            serviceId: order.serviceId,
            vault: order.vault,
            classId,
            client: order.client,
          }
          if (verdict.outcome === 'failed') await book.attest(finding)
          else book.clear(finding)
        }
        store.measure.putVerdict({
          subject,
          kind: 'shipment',
          verdict: verdict.outcome,
          detail: verdict,
          judgedAt: nowMs(),
        })
        log.info(`shipment ${verdict.outcome}`, {
          orderId: order.orderId,
          failures: verdict.failures,
          met: verdict.met,
        })
      } catch (error) {
        metrics.loopErrors.inc({ duty: 'shipments' })
        log.error('shipment judgement failed', { orderId: order.orderId, ...errorFields(error) })
      }
    }
  }

  return { tick }
}
