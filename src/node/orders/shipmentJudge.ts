/**
 * Judges every running shipment order (an accepted job whose terms name a device) of the services this node
 * attests, from the device's accepted readings, and signs the outcome of its next milestone once it is decided
 * (decide.ts): a success when the milestone's promise is kept, a failure when any promise is broken — of the
 * service's `temperature` class for an excursion, its `lateness` class for a late pickup, checkpoint or delivery
 * (the first broken in time when both are; `delivery` for a service that names only that class). Only the confirmed view counts: an
 * acceptance not yet at confirmation depth, or orphaned by a reorg, leaves the order Open and unjudged.
 */
import type { Address, Hex, PublicClient } from 'viem'
import type { NodeConfig } from '../config.ts'
import { errorFields, type Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { Store } from '../store/store.ts'
import { judgeShipment } from '../telemetry/judge.ts'
import { readLiveOrder } from './chainState.ts'
import { nextShipmentWake, shipmentDecision, shipmentTermsOf, successHold } from './decide.ts'
import { isShipment, type WatchedOrder } from './fold.ts'
import { type OutcomeBook, orderMilestoneSubject } from './outcomeBook.ts'
import type { OrderSource } from './source.ts'

/** The chain's next milestone is the one judged: a lagging confirmed view must not sign a stale milestone. */
export async function chainAgrees(client: PublicClient, ordersAddress: Address, o: WatchedOrder) {
  const live = await readLiveOrder(client, ordersAddress, o.orderId)
  return live.status === 'Active' && live.settled === o.settled
}

export const attestedService = (config: NodeConfig, serviceId: bigint) =>
  config.services.find((s) => BigInt(s.serviceId) === serviceId)

export function createShipmentJudge(deps: {
  config: NodeConfig
  store: Store
  orders: OrderSource
  outcomes: OutcomeBook
  client: PublicClient
  ordersAddress: Address
  metrics: NodeMetrics
  log: Logger
  nowMs?: () => number
}) {
  const { config, store, orders, metrics, log } = deps
  const nowMs = deps.nowMs ?? Date.now
  const grace = config.telemetry.graceSeconds
  /**
   * A pending order is judged again only when a reading arrives for it, its next milestone changes, or a deadline
   * passes (nextShipmentWake): at 1,000 shipments the judge does not re-read every reading every second.
   */
  const asleep = new Map<bigint, { milestone: number; wakeAt: number }>()

  async function tick(): Promise<void> {
    const nowSec = Math.floor(nowMs() / 1000)
    for (const o of orders.list()) {
      if (o.status !== 'Active' || o.kind !== 'job' || !isShipment(o)) continue
      if (!attestedService(config, o.serviceId) || o.settled >= o.milestones) continue
      const sleeping = asleep.get(o.orderId)
      if (sleeping && sleeping.milestone === o.settled && nowSec < sleeping.wakeAt) continue
      if (store.measure.verdict(orderMilestoneSubject(o, o.settled))) continue
      try {
        const terms = shipmentTermsOf(o)
        const readings = store.telemetry.readings(o.key)
        const verdict = judgeShipment(terms, readings, nowSec, grace)
        const decision = shipmentDecision(o, verdict)
        if (!decision) {
          asleep.set(o.orderId, { milestone: o.settled, wakeAt: nextShipmentWake(terms, nowSec, grace) })
          continue
        }
        // a success with readings missing before its proof waits for them (a failure needs no more evidence)
        const hold = decision.success ? successHold(o, readings, nowSec, grace) : undefined
        if (hold !== undefined) {
          asleep.set(o.orderId, { milestone: o.settled, wakeAt: hold })
          continue
        }
        // the chain's next milestone is not this one yet (the confirmed view leads or lags): look again soon
        if (!(await chainAgrees(deps.client, deps.ordersAddress, o))) continue
        asleep.delete(o.orderId)
        metrics.verdicts.inc({ kind: 'shipment', result: decision.success ? 'success' : 'failure' })
        log.info(`shipment milestone ${decision.success ? 'met' : 'broken'}`, {
          orderId: o.orderId,
          milestone: decision.milestone,
          breach: decision.breach,
          failures: verdict.failures,
          met: verdict.met,
        })
        await deps.outcomes.attest(o, decision.milestone, decision.success, verdict, decision.breach)
      } catch (error) {
        metrics.loopErrors.inc({ duty: 'shipments' })
        log.error('shipment judgement failed', { orderId: o.orderId, ...errorFields(error) })
      }
    }
    for (const id of asleep.keys()) if (!orders.byId(id)) asleep.delete(id)
  }

  return {
    tick,
    /** A reading for the order `key` was accepted: judge it on the next tick. */
    touch: (key: Hex) => {
      const o = orders.get(key)
      if (o) asleep.delete(o.orderId)
    },
  }
}
