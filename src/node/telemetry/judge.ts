/**
 * The shipment judge: a pure function of an order's terms, its accepted readings and the time, deciding each
 * milestone — pickup, temperature range, geofence checkpoints, delivery time — and the order's outcome.
 *
 * A failure is final the moment the evidence for it exists (a late delivery reading, an excursion longer than
 * allowed) or once a deadline has passed by the grace period without the reading that would meet it (readings
 * can arrive late over a bad link). Success needs every milestone met. Every attester with the same readings and
 * a clock within the grace period reaches the same outcome.
 */
import type { StoredReading } from '../store/telemetryRepo.ts'
import { type Geofence, inside } from './geo.ts'

export type ShipmentTerms = {
  pickup?: { by: number; at?: Geofence | undefined } | undefined
  temperature?: { minC: number; maxC: number; maxExcursionSeconds: number } | undefined
  checkpoints: { name: string; lat: number; lon: number; radiusM: number; by: number }[]
  delivery: { by: number; at?: Geofence | undefined }
}

export type JudgedReading = Pick<
  StoredReading,
  'timestamp' | 'kind' | 'temperatureCentiC' | 'latE7' | 'lonE7'
>

/** The two promises a shipment makes: to be on time (pickup, checkpoints, delivery) and to stay cold. */
export type Breach = 'lateness' | 'temperature'

/**
 * A broken promise: which milestone, why, which promise it breaks, and `at`, the second it was broken (a deadline
 * for a late or missing reading — the promise broke when the deadline passed, not when the reading came — or the
 * moment an excursion outlasted its tolerance).
 */
export type MilestoneFailure = { milestone: string; reason: string; breach: Breach; at: number }

export type ShipmentVerdict = {
  outcome: 'pending' | 'delivered' | 'failed'
  met: string[]
  failures: MilestoneFailure[]
}

const fmtC = (centi: number) => `${(centi / 100).toFixed(2)}°C`

export function judgeShipment(
  terms: ShipmentTerms,
  readingsIn: readonly JudgedReading[],
  nowSec: number,
  graceSeconds: number,
): ShipmentVerdict {
  const readings = [...readingsIn].sort((a, b) => a.timestamp - b.timestamp)
  const met: string[] = []
  const failures: MilestoneFailure[] = []
  const overdue = (by: number) => nowSec > by + graceSeconds
  const fenceOk = (fence: Geofence | undefined, r: JudgedReading) => !fence || inside(fence, r.latE7, r.lonE7)

  const pickup = terms.pickup
    ? readings.find((r) => r.kind === 'pickup' && fenceOk(terms.pickup!.at, r))
    : readings[0]
  if (terms.pickup) {
    if (pickup && pickup.timestamp <= terms.pickup.by) met.push('pickup')
    else if (pickup)
      failures.push({
        milestone: 'pickup',
        reason: `picked up at ${pickup.timestamp}, due by ${terms.pickup.by}`,
        breach: 'lateness',
        at: terms.pickup.by,
      })
    else if (overdue(terms.pickup.by))
      failures.push({
        milestone: 'pickup',
        reason: `no pickup reading by ${terms.pickup.by}`,
        breach: 'lateness',
        at: terms.pickup.by,
      })
  }

  const start = pickup?.timestamp ?? Number.NEGATIVE_INFINITY
  const delivery = readings.find(
    (r) => r.kind === 'delivery' && r.timestamp >= start && fenceOk(terms.delivery.at, r),
  )
  if (delivery && delivery.timestamp <= terms.delivery.by) met.push('delivery')
  else if (delivery)
    failures.push({
      milestone: 'delivery',
      reason: `delivered at ${delivery.timestamp}, due by ${terms.delivery.by}`,
      breach: 'lateness',
      at: terms.delivery.by,
    })
  else if (overdue(terms.delivery.by))
    failures.push({
      milestone: 'delivery',
      reason: `not delivered by ${terms.delivery.by}`,
      breach: 'lateness',
      at: terms.delivery.by,
    })

  for (const cp of terms.checkpoints) {
    const fence = { lat: cp.lat, lon: cp.lon, radiusM: cp.radiusM }
    const reached = readings.find(
      (r) => r.timestamp >= start && r.timestamp <= cp.by && inside(fence, r.latE7, r.lonE7),
    )
    if (reached) met.push(`checkpoint:${cp.name}`)
    else if (overdue(cp.by))
      failures.push({
        milestone: `checkpoint:${cp.name}`,
        reason: `not reached by ${cp.by}`,
        breach: 'lateness',
        at: cp.by,
      })
  }

  if (terms.temperature) {
    const failure = temperatureFailure(terms.temperature, readings, start, delivery?.timestamp)
    if (failure) failures.push(failure)
    else if (delivery) met.push('temperature')
  }

  if (failures.length) return { outcome: 'failed', met, failures }
  const needed = (terms.pickup ? 1 : 0) + 1 + terms.checkpoints.length + (terms.temperature ? 1 : 0)
  return { outcome: met.length === needed ? 'delivered' : 'pending', met, failures }
}

/**
 * The first excursion out of [minC, maxC] between pickup and delivery that lasts longer than allowed: it starts at
 * the first reading out of range and ends at the next reading back in range (or at the latest reading, while it
 * goes on). With no tolerance, one reading out of range is enough.
 */
function temperatureFailure(
  t: { minC: number; maxC: number; maxExcursionSeconds: number },
  readings: readonly JudgedReading[],
  start: number,
  end: number | undefined,
): MilestoneFailure | undefined {
  const min = Math.round(t.minC * 100)
  const max = Math.round(t.maxC * 100)
  const inWindow = readings.filter(
    (r) =>
      r.temperatureCentiC !== undefined && r.timestamp >= start && (end === undefined || r.timestamp <= end),
  )
  let excursionStart: JudgedReading | undefined
  let worst = 0
  for (const r of inWindow) {
    const c = r.temperatureCentiC!
    const out = c < min || c > max
    if (out) {
      excursionStart ??= r
      worst = Math.abs(c - (c < min ? min : max)) > Math.abs(worst) ? c - (c < min ? min : max) : worst
      const lasted = r.timestamp - excursionStart.timestamp
      if (t.maxExcursionSeconds === 0 || lasted > t.maxExcursionSeconds) {
        return {
          milestone: 'temperature',
          reason: `${fmtC(c)} outside ${fmtC(min)}..${fmtC(max)} from ${excursionStart.timestamp} for ${lasted} s`,
          breach: 'temperature',
          at: excursionStart.timestamp + t.maxExcursionSeconds,
        }
      }
    } else if (excursionStart) {
      const lasted = r.timestamp - excursionStart.timestamp
      if (lasted > t.maxExcursionSeconds) {
        return {
          milestone: 'temperature',
          reason: `outside ${fmtC(min)}..${fmtC(max)} from ${excursionStart.timestamp} for ${lasted} s (off by ${fmtC(worst)})`,
          breach: 'temperature',
          at: excursionStart.timestamp + t.maxExcursionSeconds,
        }
      }
      excursionStart = undefined
      worst = 0
    }
  }
  return undefined
}

/**
 * The promise a failed shipment is judged to have broken when it broke more than one: the FIRST broken in time
 * (the smallest `at`), a tie going to the temperature excursion (spoiled goods are the harsher harm). First in time,
 * not harshest first, because it is the choice attesters judging at different moments agree on: readings arrive in
 * order, so the evidence of the earlier breach is there before that of a later one, and an attester that judged a
 * late pickup before a later excursion was reported signs the same class as one that judged after it. Harshest
 * first would split the committee on exactly that shipment. Undefined when nothing failed.
 */
export function firstBreach(failures: readonly MilestoneFailure[]): MilestoneFailure | undefined {
  let first: MilestoneFailure | undefined
  for (const f of failures)
    if (
      !first ||
      f.at < first.at ||
      (f.at === first.at && f.breach === 'temperature' && first.breach !== 'temperature')
    )
      first = f
  return first
}
