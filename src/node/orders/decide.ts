/**
 * From a verdict to the outcome of an order's next milestone: pure functions, so every attester with the same
 * readings (or the same fetched result) signs the same OrderOutcome.
 *
 * A shipment's milestones: with a pickup time (terms.pickupBy) and two or more milestones, the first is the
 * pickup and the others are the delivery; otherwise every milestone is the delivery. Delivery is due by the job's
 * deadline, the temperature must stay within terms.minTempCentiC..maxTempCentiC from pickup to delivery (both 0:
 * not judged), and the device that signs the readings is terms.device. Any broken promise fails the next unsettled
 * milestone (the order book then fails the order), as a breach of the promise broken first (judge.ts firstBreach:
 * `temperature` or `lateness`, which the outcome book maps to the service's class); a milestone whose promise is
 * kept succeeds, one at a time, in order (the order book takes an outcome only for its next milestone).
 */
import type { JobCheck } from '../measure/jobs.ts'
import { type Breach, firstBreach, type ShipmentTerms, type ShipmentVerdict } from '../telemetry/judge.ts'
import type { WatchedOrder } from './fold.ts'

/** A milestone's outcome; a failed shipment milestone also names the promise it broke. */
export type MilestoneDecision = { milestone: number; success: boolean; breach?: Breach }

export function shipmentTermsOf(o: Pick<WatchedOrder, 'terms' | 'params'>): ShipmentTerms {
  const { minTempCentiC: min, maxTempCentiC: max, pickupBy } = o.terms
  return {
    pickup: pickupBy > 0 ? { by: pickupBy } : undefined,
    temperature:
      min !== 0 || max !== 0 ? { minC: min / 100, maxC: max / 100, maxExcursionSeconds: 0 } : undefined,
    checkpoints: [],
    delivery: { by: o.params.deadline },
  }
}

/**
 * When a shipment's verdict can next change with no new reading: the first second a deadline counts as missed
 * (its `by` plus the grace period) still ahead of `nowSec`; Infinity when none is. The judge re-reads an order's
 * readings only then, or when a reading arrives.
 */
export function nextShipmentWake(terms: ShipmentTerms, nowSec: number, graceSeconds: number): number {
  const bys = [terms.pickup?.by, terms.delivery.by, ...terms.checkpoints.map((c) => c.by)]
  const wakes = bys.filter((b): b is number => b !== undefined).map((b) => b + graceSeconds + 1)
  return Math.min(...wakes.filter((t) => t > nowSec), Number.POSITIVE_INFINITY)
}

/** Whether milestone `m` of the order is its pickup milestone. */
export const isPickupMilestone = (o: Pick<WatchedOrder, 'terms' | 'milestones'>, m: number) =>
  m === 0 && o.terms.pickupBy > 0 && o.milestones >= 2

export function shipmentDecision(
  o: Pick<WatchedOrder, 'terms' | 'milestones' | 'settled'>,
  verdict: ShipmentVerdict,
): MilestoneDecision | undefined {
  const m = o.settled
  if (m >= o.milestones) return undefined
  const broken = firstBreach(verdict.failures)
  if (broken) return { milestone: m, success: false, breach: broken.breach }
  if (isPickupMilestone(o, m))
    return verdict.met.includes('pickup') ? { milestone: m, success: true } : undefined
  return verdict.outcome === 'delivered' ? { milestone: m, success: true } : undefined
}

/** A compute job's next milestone from the check of the result the operator committed for it. */
export function computeDecision(
  o: Pick<WatchedOrder, 'milestones' | 'settled'>,
  check: JobCheck,
): MilestoneDecision | undefined {
  if (o.settled >= o.milestones || check.verdict === 'unverifiable') return undefined
  return { milestone: o.settled, success: check.verdict === 'ok' }
}

/** The first sequence number missing from 1..`upTo` among `seqs`, or undefined when they are all there. */
export function firstGap(seqs: readonly number[], upTo: number): number | undefined {
  const have = new Set(seqs)
  for (let seq = 1; seq <= upTo; seq++) if (!have.has(seq)) return seq
  return undefined
}

/**
 * Until when a success must wait for missing readings. A device numbers its readings of an order from 1; a
 * success rests on the reading that proves it (the pickup, the delivery), and every reading before that one must
 * be in, since a missing one may be the excursion that fails the shipment (a relay can deliver them in any order).
 * With a gap, the success waits until `graceSeconds` after the proving reading's time, then is signed on what
 * arrived (a reading lost for good must not hold an honest operator's payment forever). Undefined: no wait.
 */
export function successHold(
  o: Pick<WatchedOrder, 'terms' | 'milestones' | 'settled'>,
  readings: readonly { seq: number; kind: string; timestamp: number }[],
  nowSec: number,
  graceSeconds: number,
): number | undefined {
  const kind = isPickupMilestone(o, o.settled) ? 'pickup' : 'delivery'
  const proof = [...readings].sort((a, b) => a.timestamp - b.timestamp).find((r) => r.kind === kind)
  if (
    !proof ||
    firstGap(
      readings.map((r) => r.seq),
      proof.seq,
    ) === undefined
  )
    return undefined
  const until = proof.timestamp + graceSeconds + 1
  return nowSec < until ? until : undefined
}
