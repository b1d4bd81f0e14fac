/**
 * The world's shipments through the node's judgement, without processes: the readings the world's sensors send
 * for each planned fate (sensors.ts), judged as every attester node judges them (the node's judge and decisions),
 * signed under the class the world's node config names (nodes.ts uses COLD_CLASSES) — so an overheating shipment
 * fails its delivery milestone under the cold chain's temperature class, a late one under its lateness class, and
 * an on-time one is paid both milestones. (world.e2e.test.ts sees the same on chain, from the running world.)
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Address, parseEther } from 'viem'
import { parseNodeConfig } from '../node/config.ts'
import { shipmentDecision, shipmentTermsOf } from '../node/orders/decide.ts'
import type { WatchedOrder } from '../node/orders/fold.ts'
import { expectedOutcome } from '../node/orders/outcomeBook.ts'
import { judgeShipment } from '../node/telemetry/judge.ts'
import { orderParams, orderTerms } from '../sdk/orders.ts'
import { MAX_TEMP, MIN_TEMP } from './actors/clients.ts'
import { plannedReadings, type ShipmentPlan, shipmentPlan } from './actors/sensors.ts'
import { rngFor } from './context.ts'
import { PROFILES } from './profile.ts'
import { CLASS_NAMES, COLD_CLASSES } from './seedWorld.ts'
import type { WorldOrder } from './view.ts'

const A = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address
const COLD_SERVICE = 2n
const GRACE = 3

/** A shipment as cold-client opens it (clients.ts), accepted at `acceptedAt`. */
function shipment(profile: (typeof PROFILES)['fast'], acceptedAt: number) {
  const biddingEnds = acceptedAt + 2
  const params = orderParams({
    client: A(0xc1),
    serviceId: COLD_SERVICE,
    paymentToken: A(0xee),
    budget: parseEther('500'),
    vault: A(0xaa),
    milestones: [3000, 7000],
    biddingEnds,
    deadline: biddingEnds + profile.orderSeconds,
  })
  const terms = orderTerms({
    device: A(0xdd),
    pickupBy: biddingEnds + Math.floor(profile.orderSeconds / 3),
    minTempCentiC: MIN_TEMP,
    maxTempCentiC: MAX_TEMP,
  })
  return { params, terms }
}

const config = parseNodeConfig({
  chain: {
    rpcUrl: 'http://127.0.0.1:1',
    chainId: 31337,
    addresses: { registry: A(1), court: A(2), orders: A(3) },
  },
  key: { env: 'K' },
  store: { path: ':memory:' },
  api: { port: 0 },
  services: [{ serviceId: Number(COLD_SERVICE), classes: COLD_CLASSES }],
})

/** Every milestone outcome the nodes sign for a shipment with this plan, second by second as its readings arrive. */
function outcomes(plan: ShipmentPlan) {
  const acceptedAt = 1_800_000_000
  const { params, terms } = shipment(PROFILES.fast, acceptedAt)
  const world = { params, terms } as unknown as WorldOrder
  const readings = plannedReadings(world, acceptedAt, plan).map((r) => ({
    timestamp: r.at,
    kind: r.kind,
    temperatureCentiC: r.temperatureCentiC,
    latE7: undefined,
    lonE7: undefined,
  }))
  const order = {
    orderId: 1n,
    serviceId: COLD_SERVICE,
    params,
    terms,
    kind: 'job',
    milestones: 2,
    settled: 0,
    vault: A(0xaa),
  } as unknown as WatchedOrder
  const signed: { milestone: number; success: boolean; classId: number }[] = []
  for (let now = acceptedAt; now < params.deadline + 60 && order.settled < 2; now++) {
    const arrived = readings.filter((r) => r.timestamp <= now)
    const decision = shipmentDecision(order, judgeShipment(shipmentTermsOf(order), arrived, now, GRACE))
    if (!decision) continue
    const expected = expectedOutcome(config, order, decision.success, decision.breach)
    assert.ok(expected.ok, `the world's cold-chain config reports ${plan} shipments`)
    signed.push({ milestone: decision.milestone, success: decision.success, classId: expected.classId })
    if (!decision.success) break
    order.settled++
  }
  return signed
}

test('the world’s shipments: overheating fails under the temperature class, lateness under lateness', () => {
  assert.deepEqual(outcomes('on-time'), [
    { milestone: 0, success: true, classId: 0 },
    { milestone: 1, success: true, classId: 0 },
  ])
  assert.deepEqual(outcomes('overheats'), [
    { milestone: 0, success: true, classId: 0 },
    { milestone: 1, success: false, classId: COLD_CLASSES.temperature },
  ])
  assert.deepEqual(outcomes('late'), [
    { milestone: 0, success: true, classId: 0 },
    { milestone: 1, success: false, classId: COLD_CLASSES.lateness },
  ])
  // the live lines name the class
  assert.equal(CLASS_NAMES[1][COLD_CLASSES.temperature], 'temperature excursion')
  assert.equal(CLASS_NAMES[1][COLD_CLASSES.lateness], 'lateness')
})

test('every seed’s shipments include each fate within the first orders', () => {
  for (const seed of [1, 7, 42]) {
    const rng = rngFor(seed)
    const plans = Array.from({ length: 30 }, (_, i) => shipmentPlan({ rng }, BigInt(i + 1)))
    for (const plan of ['on-time', 'overheats', 'late'] as const)
      assert.ok(plans.includes(plan), `seed ${seed}: a ${plan} shipment among the first 30`)
  }
})
