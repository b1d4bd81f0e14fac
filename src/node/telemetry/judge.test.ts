import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { distanceM } from './geo.ts'
import { firstBreach, type JudgedReading, judgeShipment, type ShipmentTerms } from './judge.ts'

const E7 = (deg: number) => Math.round(deg * 1e7)
const BERLIN = { lat: 52.52, lon: 13.405 }
const LEIPZIG = { lat: 51.3397, lon: 12.3731 }
const MUNICH = { lat: 48.1351, lon: 11.582 }

const terms: ShipmentTerms = {
  pickup: { by: 1_000, at: { ...BERLIN, radiusM: 1_000 } },
  temperature: { minC: 2, maxC: 8, maxExcursionSeconds: 600 },
  checkpoints: [{ name: 'leipzig', ...LEIPZIG, radiusM: 5_000, by: 5_000 }],
  delivery: { by: 10_000, at: { ...MUNICH, radiusM: 1_000 } },
}

const at = (place: { lat: number; lon: number }) => ({ latE7: E7(place.lat), lonE7: E7(place.lon) })
const r = (
  timestamp: number,
  kind: JudgedReading['kind'],
  extra: Partial<JudgedReading> = {},
): JudgedReading => ({
  timestamp,
  kind,
  temperatureCentiC: 500,
  latE7: undefined,
  lonE7: undefined,
  ...extra,
})

const onTime = [
  r(900, 'pickup', at(BERLIN)),
  r(3_000, 'reading', at(LEIPZIG)),
  r(6_000, 'reading', { temperatureCentiC: 700 }),
  r(9_000, 'delivery', at(MUNICH)),
]

describe('shipment judge', () => {
  test('every milestone met: delivered', () => {
    const v = judgeShipment(terms, onTime, 9_100, 60)
    assert.equal(v.outcome, 'delivered')
    assert.deepEqual(v.met.sort(), ['checkpoint:leipzig', 'delivery', 'pickup', 'temperature'])
  })

  test('a delivery reading after the deadline fails at once, naming the milestone and the times', () => {
    const late = [...onTime.slice(0, 3), r(10_500, 'delivery', at(MUNICH))]
    const v = judgeShipment(terms, late, 10_501, 60)
    assert.equal(v.outcome, 'failed')
    assert.deepEqual(v.failures, [
      { milestone: 'delivery', reason: 'delivered at 10500, due by 10000', breach: 'lateness', at: 10_000 },
    ])
  })

  test('no delivery: pending until the deadline plus grace, then failed', () => {
    const partial = onTime.slice(0, 3)
    assert.equal(judgeShipment(terms, partial, 10_050, 60).outcome, 'pending')
    assert.equal(judgeShipment(terms, partial, 10_061, 60).outcome, 'failed')
  })

  test('pickup outside its geofence does not count', () => {
    const wrongPlace = [r(900, 'pickup', at(LEIPZIG)), ...onTime.slice(1)]
    const v = judgeShipment(terms, wrongPlace, 20_000, 60)
    assert.equal(v.outcome, 'failed')
    assert.equal(v.failures[0]!.milestone, 'pickup')
  })

  test('a missed checkpoint fails once its deadline and grace pass', () => {
    const skipped = [onTime[0]!, onTime[2]!, onTime[3]!]
    const v = judgeShipment(terms, skipped, 9_100, 60)
    assert.equal(v.outcome, 'failed')
    assert.deepEqual(v.failures, [
      { milestone: 'checkpoint:leipzig', reason: 'not reached by 5000', breach: 'lateness', at: 5_000 },
    ])
  })

  test('a temperature excursion fails only when it lasts longer than allowed', () => {
    const brief = [
      ...onTime.slice(0, 2),
      r(4_000, 'reading', { temperatureCentiC: 950 }),
      r(4_500, 'reading'),
      onTime[3]!,
    ]
    assert.equal(judgeShipment(terms, brief, 9_100, 60).outcome, 'delivered')
    const long = [
      ...onTime.slice(0, 2),
      r(4_000, 'reading', { temperatureCentiC: 950 }),
      r(4_700, 'reading'),
      onTime[3]!,
    ]
    const v = judgeShipment(terms, long, 9_100, 60)
    assert.equal(v.outcome, 'failed')
    assert.match(v.failures[0]!.reason, /outside 2\.00°C\.\.8\.00°C from 4000 for 700 s/)
    // broken when the excursion outlasted its 600 s tolerance, not when it ended
    assert.deepEqual([v.failures[0]!.breach, v.failures[0]!.at], ['temperature', 4_600])
    const strict = { ...terms, temperature: { minC: 2, maxC: 8, maxExcursionSeconds: 0 } }
    assert.equal(
      judgeShipment(strict, brief, 9_100, 60).outcome,
      'failed',
      'no tolerance: one reading suffices',
    )
  })

  test('two promises broken: the first broken in time names the breach, a tie goes to the temperature', () => {
    const strict = { ...terms, temperature: { minC: 2, maxC: 8, maxExcursionSeconds: 0 } }
    // picked up late (due 1,000) and overheated later (2,000): lateness came first
    const lateThenHot = [
      r(1_200, 'pickup', at(BERLIN)),
      r(2_000, 'reading', { temperatureCentiC: 1_100 }),
      ...onTime.slice(1),
    ]
    const v1 = judgeShipment(strict, lateThenHot, 9_100, 60)
    assert.deepEqual(v1.failures.map((f) => f.breach).sort(), ['lateness', 'temperature'], 'both are broken')
    assert.deepEqual([firstBreach(v1.failures)!.breach, firstBreach(v1.failures)!.at], ['lateness', 1_000])
    // overheated (4,000) before the delivery came late (due 10,000): the temperature came first
    const hotThenLate = [
      ...onTime.slice(0, 2),
      r(4_000, 'reading', { temperatureCentiC: 1_100 }),
      r(10_500, 'delivery', at(MUNICH)),
    ]
    const v2 = judgeShipment(strict, hotThenLate, 10_600, 60)
    assert.equal(v2.failures.length, 2)
    assert.equal(firstBreach(v2.failures)!.breach, 'temperature')
    // the same second: the temperature (the harsher harm), whatever order the judge listed them in
    const tie = [
      { milestone: 'delivery', reason: 'late', breach: 'lateness' as const, at: 5 },
      { milestone: 'temperature', reason: 'hot', breach: 'temperature' as const, at: 5 },
    ]
    assert.equal(firstBreach(tie)!.breach, 'temperature')
    assert.equal(firstBreach([...tie].reverse())!.breach, 'temperature')
    assert.equal(firstBreach([]), undefined)
  })

  test('is pure: the order readings arrive in does not matter', () => {
    assert.deepEqual(
      judgeShipment(terms, [...onTime].reverse(), 9_100, 60),
      judgeShipment(terms, onTime, 9_100, 60),
    )
  })

  test('distance is the great-circle distance (Berlin–Munich ≈ 504 km)', () => {
    const d = distanceM(E7(BERLIN.lat), E7(BERLIN.lon), E7(MUNICH.lat), E7(MUNICH.lon))
    assert.ok(Math.abs(d - 504_000) < 3_000, `got ${d}`)
  })
})
