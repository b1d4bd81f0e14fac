/**
 * Retention: what the node keeps only while it can matter. Settled reports and outcomes (confirmed, failed,
 * expired) and the telemetry of orders no longer running are deleted `retentionMs` after they last changed, so
 * what peers and devices make this node store stops growing with time. Verdicts are kept (one small row per
 * subject, and they are what stops the node from ever signing the other verdict on the same subject).
 */
import type { Hex } from 'viem'
import type { Store } from './store.ts'

export function pruneSettled(
  store: Store,
  o: { nowMs: number; retentionMs: number; isRunning: (orderId: Hex) => boolean },
): { reports: number; outcomes: number; readings: number } {
  const before = o.nowMs - o.retentionMs
  return {
    reports: store.reports.deleteSettled(before),
    outcomes: store.outcomes.deleteSettled(before),
    readings: store.telemetry.deleteFinished(before, o.isRunning),
  }
}
