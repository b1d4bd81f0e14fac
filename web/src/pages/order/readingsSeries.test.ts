import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { OrderReadings, SignedReading } from '../../api/types.ts'
import { epochsBelow, uptimeSeries } from '../vault/uptimeSeries.ts'
import { excursions, readingsSeries } from './readingsSeries.ts'

const at = (unix: number) => ({ unix, iso: new Date(unix * 1000).toISOString() })
const reading = (seq: number, t: number, c: number | null): SignedReading => ({
  device: '0xd',
  seq,
  time: at(t),
  kind: 'reading',
  temperatureCentiC: c,
  latE7: null,
  lonE7: null,
  digest: '0x',
  signer: '0xd',
  heldBy: ['0xa'],
})
const order = (readings: SignedReading[]): OrderReadings => ({
  orderId: '1',
  shipment: true,
  device: '0xd',
  minTempCentiC: 200,
  maxTempCentiC: 800,
  pickupBy: at(1_500),
  deadline: at(9_000),
  committee: 5,
  answered: 3,
  readings,
  rejected: { unsigned: 0, badSignature: 0, wrongDevice: 0, wrongOrder: 0 },
  conflicts: 0,
  truncated: false,
  nodes: [],
})

describe('a shipment’s readings as a chart', () => {
  test('temperature in °C, the allowed range as flat lines, the deadlines as markers', () => {
    const c = readingsSeries(
      order([reading(1, 1_000, 450), reading(2, 2_000, null), reading(3, 3_000, 1_150)]),
    )
    assert.deepEqual(c.x, [1_000, 3_000], 'a reading without a temperature is not plotted')
    assert.deepEqual(
      c.series.map((s) => [s.label, s.values]),
      [
        ['temperature', [4.5, 11.5]],
        ['allowed max', [8, 8]],
        ['allowed min', [2, 2]],
      ],
    )
    assert.deepEqual(
      c.markers.map((m) => [m.label, m.at]),
      [
        ['pickup by', 1_500],
        ['deliver by', 9_000],
      ],
    )
  })
  test('an excursion is a reading outside the range, either side', () => {
    const r = order([reading(1, 1, 150), reading(2, 2, 200), reading(3, 3, 800), reading(4, 4, 801)])
    assert.deepEqual(
      excursions(r).map((x) => x.seq),
      [1, 4],
    )
  })
})

describe('measured uptime as a chart', () => {
  const service = {
    serviceId: '1',
    epochSeconds: 60,
    minUptimeBps: 9_000,
    epochs: [
      {
        epoch: 10,
        start: at(600),
        medianBps: 9_500,
        attesters: [
          { attester: '0xb', samples: 10, ok: 10, uptimeBps: 10_000, verdict: 'ok' },
          { attester: '0xa', samples: 10, ok: 9, uptimeBps: 9_000, verdict: 'ok' },
        ],
      },
      {
        epoch: 11,
        start: at(660),
        medianBps: 5_000,
        attesters: [{ attester: '0xa', samples: 10, ok: 5, uptimeBps: 5_000, verdict: 'violation' }],
      },
    ],
  }
  test('the median, each attester (a gap where it has no samples) and the requirement, in percent', () => {
    const c = uptimeSeries(service)
    assert.deepEqual(c.x, [600, 660])
    assert.deepEqual(
      c.series.map((s) => s.values),
      [
        [90, 50],
        [100, null],
        [95, 50],
        [90, 90],
      ],
    )
    assert.deepEqual(
      epochsBelow(service).map((e) => e.epoch),
      [11],
    )
  })
})
