import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Address, type Hex, zeroAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { StoredEvent } from '../../indexer/follower/eventRepo.ts'
import { orderOutcomeDigest, orderParamsHash, signOrderOutcome } from '../../sdk/orderOutcomes.ts'
import { orderParams, orderTerms } from '../../sdk/orders.ts'
import type { OrderOutcome, OrderParams, OrderTerms } from '../../sdk/types.ts'
import type { CommitteeCache } from '../chain/committee.ts'
import type { Committee } from '../chain/quorum.ts'
import { parseNodeConfig } from '../config.ts'
import { silentLogger } from '../log.ts'
import { createNodeMetrics } from '../nodeMetrics.ts'
import { openStore } from '../store/store.ts'
import { judgeShipment } from '../telemetry/judge.ts'
import {
  computeDecision,
  firstGap,
  nextShipmentWake,
  shipmentDecision,
  shipmentTermsOf,
  successHold,
} from './decide.ts'
import { foldOrderEvents, orderKey, type WatchedOrder } from './fold.ts'
import { createOutcomeBook, orderMilestoneSubject } from './outcomeBook.ts'
import { outcomeConfirmations } from './outcomeSubmitter.ts'
import { createChainOrderSource } from './source.ts'

const CLIENT = '0x00000000000000000000000000000000000000cc' as Address
const VAULT = '0x00000000000000000000000000000000000000aa' as Address
const OTHER_VAULT = '0x00000000000000000000000000000000000000bb' as Address
const TOKEN = '0x00000000000000000000000000000000000000ee' as Address
const DEVICE = '0x00000000000000000000000000000000000000dd' as Address
const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex

const jobParams = (milestones: number[] = [2000, 8000]): OrderParams =>
  orderParams({
    client: CLIENT,
    serviceId: 1n,
    paymentToken: TOKEN,
    budget: 1_000n,
    vault: VAULT,
    now: 1_000,
    biddingEnds: 2_000,
    deadline: 5_000,
    milestones,
  })
const shipmentTerms = orderTerms({ device: DEVICE, pickupBy: 3_000, minTempCentiC: 200, maxTempCentiC: 800 })

let logIndex = 0
function ev(name: string, orderId: bigint, args: Record<string, unknown>, block = 10n): StoredEvent {
  return {
    blockNumber: block,
    logIndex: logIndex++,
    blockHash: h(Number(block)),
    txHash: h(1),
    name,
    orderId,
    args: { orderId, ...args },
  }
}
const opened = (
  orderId: bigint,
  params: OrderParams = jobParams(),
  terms: OrderTerms = shipmentTerms,
  block = 10n,
) => ev('OrderOpened', orderId, { client: CLIENT, serviceId: params.serviceId, params, terms }, block)
const accepted = (orderId: bigint, block = 11n) =>
  ev('OrderAccepted', orderId, { vault: VAULT, price: 1_000n, collateral: 1_500n, refund: 0n }, block)

describe('order view', () => {
  test('folds an order’s events: opened, accepted, milestones, results, the end', () => {
    const orders = foldOrderEvents([
      opened(1n),
      accepted(1n),
      ev('ResultCommitted', 1n, { milestone: 0, resultHash: h(7) }),
      ev('ResultCommitted', 1n, { milestone: 0, resultHash: h(8) }),
      ev('MilestonePaid', 1n, { milestone: 0, amount: 200n, fee: 2n, byAttesters: true }),
      opened(
        2n,
        orderParams({
          client: CLIENT,
          serviceId: 3n,
          paymentToken: TOKEN,
          budget: 100n,
          ratePerSecond: 1n,
          vault: VAULT,
          now: 1_000,
        }),
        orderTerms(),
      ),
      ev('OrderFailed', 9n, { classId: 1 }),
    ])
    const job = orders.get(1n)!
    assert.equal(job.key, orderKey(1n))
    assert.deepEqual([job.status, job.settled, job.milestones, job.kind], ['Active', 1, 2, 'job'])
    assert.equal(job.results[0], h(7), 'the first commitment of a milestone counts')
    assert.equal(job.vault, VAULT)
    assert.deepEqual(
      [orders.get(2n)!.kind, orders.get(2n)!.milestones, orders.get(2n)!.serviceId],
      ['lease', 0, 3n],
    )
    assert.equal(orders.has(9n), false, 'events of orders never opened are ignored')
  })

  test('the chain source follows confirmed events; a rollback of an acceptance makes the order Open again', () => {
    const store = openStore(':memory:')
    const source = createChainOrderSource(store)
    const commit = (events: StoredEvent[], block: bigint) => {
      store.chain.commitRange({
        events,
        blocks: [{ number: block, hash: h(Number(block)) }],
        cursor: { number: block, hash: h(Number(block)) },
      })
      source.onEvents!(events)
    }
    commit([opened(1n, jobParams(), shipmentTerms, 10n), opened(2n, jobParams(), orderTerms(), 10n)], 10n)
    assert.ok(source.isDevice(orderKey(1n), DEVICE), 'the device named in OrderOpened')
    assert.equal(source.isDevice(orderKey(1n), CLIENT), false)
    assert.equal(source.isDevice(orderKey(2n), zeroAddress), true, 'a compute order names no device')
    commit([accepted(1n, 12n)], 12n)
    assert.equal(source.byId(1n)!.status, 'Active')
    commit([ev('OrderCancelled', 2n, { refund: 1_000n }, 13n)], 13n)
    assert.equal(source.byId(2n), undefined, 'a finished order leaves the view')
    assert.deepEqual(source.serviceIds(), [1n])

    const removed = store.chain.rollbackTo({ number: 11n, hash: h(11) })
    source.onRollback!(removed, { number: 11n, hash: h(11) })
    assert.equal(source.byId(1n)!.status, 'Open', 'the orphaned acceptance is undone')
    assert.equal(source.byId(2n)!.status, 'Open', 'and the orphaned cancellation')
    assert.deepEqual(createChainOrderSource(store).serviceIds(), [1n], 'rebuilt from the store on start')
  })
})

describe('order decisions', () => {
  const order = (settled: number, milestones = 2) =>
    ({ terms: shipmentTerms, params: jobParams(), milestones, settled }) as unknown as WatchedOrder
  const judge = (
    o: WatchedOrder,
    readings: { timestamp: number; kind: 'pickup' | 'delivery' | 'reading'; temperatureCentiC?: number }[],
    now = 2_000,
  ) =>
    shipmentDecision(
      o,
      judgeShipment(
        shipmentTermsOf(o),
        readings.map((r) => ({ temperatureCentiC: 500, latE7: undefined, lonE7: undefined, ...r })),
        now,
        60,
      ),
    )

  test('a shipment’s terms come from the chain: pickup by terms.pickupBy, delivery by the deadline, temperatures in centi-degrees', () => {
    const terms = shipmentTermsOf(order(0))
    assert.deepEqual(terms.pickup, { by: 3_000 })
    assert.deepEqual(terms.delivery, { by: 5_000 })
    assert.deepEqual(terms.temperature, { minC: 2, maxC: 8, maxExcursionSeconds: 0 })
    assert.equal(
      shipmentTermsOf({ terms: orderTerms({ device: DEVICE }), params: jobParams() }).temperature,
      undefined,
    )
  })

  test('pickup on time pays the pickup milestone; delivery on time pays the rest, one milestone at a time', () => {
    assert.equal(judge(order(0), []), undefined, 'nothing to decide yet')
    assert.deepEqual(judge(order(0), [{ timestamp: 2_500, kind: 'pickup' }]), { milestone: 0, success: true })
    assert.equal(judge(order(1), [{ timestamp: 2_500, kind: 'pickup' }]), undefined, 'delivery still due')
    const delivered = [
      { timestamp: 2_500, kind: 'pickup' as const },
      { timestamp: 4_900, kind: 'delivery' as const },
    ]
    assert.deepEqual(judge(order(1), delivered), { milestone: 1, success: true })
    assert.deepEqual(judge(order(1, 3), delivered), { milestone: 1, success: true })
    assert.deepEqual(judge(order(2, 3), delivered), { milestone: 2, success: true })
    assert.equal(judge(order(2), delivered), undefined, 'every milestone settled')
    assert.deepEqual(
      judge(order(0, 1), delivered),
      { milestone: 0, success: true },
      'one milestone: the delivery',
    )
  })

  test('a gap in the sequence before the delivery delays its success until the grace has passed', () => {
    const o = order(1)
    const readings = [
      { seq: 1, kind: 'pickup', timestamp: 2_500 },
      { seq: 3, kind: 'delivery', timestamp: 4_900 },
    ]
    assert.equal(firstGap([1, 3], 3), 2)
    assert.equal(successHold(o, readings, 4_950, 60), 4_961, 'reading 2 may be the excursion: wait for it')
    assert.equal(successHold(o, readings, 4_961, 60), undefined, 'after the grace, what arrived decides')
    const whole = [...readings, { seq: 2, kind: 'reading', timestamp: 3_000 }]
    assert.equal(successHold(o, whole, 4_950, 60), undefined, 'no gap: no wait')
    assert.equal(
      successHold(order(0), [{ seq: 2, kind: 'pickup', timestamp: 2_500 }], 2_510, 60),
      2_561,
      'the pickup needs reading 1 too',
    )
  })

  test('any broken promise fails the next milestone, naming it: late delivery or pickup, an excursion', () => {
    const late = [
      { timestamp: 2_500, kind: 'pickup' as const },
      { timestamp: 5_001, kind: 'delivery' as const },
    ]
    const lateness = (milestone: number) => ({ milestone, success: false, breach: 'lateness' })
    assert.deepEqual(judge(order(1), late), lateness(1))
    assert.deepEqual(judge(order(0), late), lateness(0), 'known before pickup was attested')
    assert.deepEqual(judge(order(0), [{ timestamp: 3_001, kind: 'pickup' }]), lateness(0))
    assert.deepEqual(
      judge(order(1), [
        { timestamp: 2_500, kind: 'pickup' },
        { timestamp: 2_600, kind: 'reading', temperatureCentiC: 801 },
      ]),
      { milestone: 1, success: false, breach: 'temperature' },
    )
    assert.deepEqual(
      judge(order(1), [{ timestamp: 2_500, kind: 'pickup' }], 5_061),
      lateness(1),
      'no delivery by the deadline and its grace',
    )
  })

  test('both promises broken in one milestone: the one broken first names the failure', () => {
    // overheated at 2,600, then delivered late (due 5,000): the temperature
    assert.deepEqual(
      judge(order(1), [
        { timestamp: 2_500, kind: 'pickup' },
        { timestamp: 2_600, kind: 'reading', temperatureCentiC: 900 },
        { timestamp: 5_100, kind: 'delivery' },
      ]),
      { milestone: 1, success: false, breach: 'temperature' },
    )
    // picked up late (due 3,000) and overheated after: lateness, whenever the judge looks
    const lateThenHot = [
      { timestamp: 3_100, kind: 'pickup' as const },
      { timestamp: 3_200, kind: 'reading' as const, temperatureCentiC: 900 },
    ]
    assert.deepEqual(judge(order(0), lateThenHot.slice(0, 1), 3_150), {
      milestone: 0,
      success: false,
      breach: 'lateness',
    })
    assert.deepEqual(judge(order(0), lateThenHot, 3_300), {
      milestone: 0,
      success: false,
      breach: 'lateness',
    })
  })

  test('the judge wakes when a deadline’s grace runs out', () => {
    const terms = shipmentTermsOf(order(0))
    assert.equal(nextShipmentWake(terms, 2_000, 60), 3_061)
    assert.equal(nextShipmentWake(terms, 3_061, 60), 5_061)
    assert.equal(nextShipmentWake(terms, 5_061, 60), Number.POSITIVE_INFINITY)
  })

  test('a compute job’s milestone follows the check of its committed result', () => {
    assert.deepEqual(computeDecision({ milestones: 1, settled: 0 }, { verdict: 'ok' }), {
      milestone: 0,
      success: true,
    })
    assert.deepEqual(
      computeDecision({ milestones: 2, settled: 1 }, { verdict: 'wrong-output', reason: 'x' }),
      {
        milestone: 1,
        success: false,
      },
    )
    assert.equal(
      computeDecision({ milestones: 1, settled: 0 }, { verdict: 'unverifiable', reason: 'x' }),
      undefined,
    )
  })
})

describe('outcome book', () => {
  const keys = [1, 2, 3, 4, 5].map((i) => privateKeyToAccount(`0x${i.toString(16).padStart(64, '0')}`))
  const outsider = privateKeyToAccount(`0x${'66'.repeat(32)}`)
  const domain = { chainId: 31337, orders: '0x00000000000000000000000000000000000000b0' as Address }

  function setup(classes: Record<string, number> = { delivery: 3 }) {
    const config = parseNodeConfig({
      chain: {
        rpcUrl: 'http://127.0.0.1:1',
        chainId: 31337,
        addresses: { registry: VAULT, court: VAULT, orders: domain.orders },
      },
      key: { env: 'K' },
      store: { path: ':memory:' },
      api: { port: 0 },
      services: [{ serviceId: 1, classes }],
    })
    const committee: Committee = {
      serviceId: 1n,
      members: new Map(keys.map((k) => [k.address.toLowerCase(), 10n])),
      totalWeight: 50n,
      quorumBps: 6000,
    }
    const committees: CommitteeCache = {
      get: async () => committee,
      invalidate: () => {},
      isMember: async (_s, who) => committee.members.has(who.toLowerCase()),
    }
    const store = openStore(':memory:')
    store.chain.commitRange({
      events: [opened(5n), accepted(5n)],
      blocks: [],
      cursor: { number: 12n, hash: h(12) },
    })
    const orders = createChainOrderSource(store)
    const metrics = createNodeMetrics()
    const book = createOutcomeBook({
      config,
      store,
      orders,
      account: keys[0]!,
      domain,
      committees,
      metrics,
      log: silentLogger,
    })
    return { book, store, orders, metrics }
  }
  const failure: OrderOutcome = {
    orderId: 5n,
    paramsHash: orderParamsHash(jobParams()),
    vault: VAULT,
    milestone: 0,
    success: false,
    classId: 3,
  }
  const message = async (signers: typeof keys, outcome = failure) => ({
    outcome,
    signatures: await Promise.all(signers.map((k) => signOrderOutcome(k, domain, outcome))),
  })

  test('attest signs the service’s class for a failed shipment, once, and remembers the verdict', async () => {
    const { book, store, orders } = setup()
    const order = orders.byId(5n)!
    const digest = await book.attest(order, 0, false, {})
    assert.ok(digest, 'signed')
    assert.equal(await book.attest(order, 0, false, {}), digest, 'idempotent')
    const stored = store.outcomes.get(digest)!
    assert.deepEqual(
      [stored.classId, stored.own, stored.state, stored.kind],
      [3, 'signed', 'collecting', 'shipment'],
    )
    assert.equal(store.reports.signatures(digest).length, 1)
    assert.equal(
      book.stanceOf({ ...failure, success: true, classId: 0 }),
      'disagree',
      'never the other verdict',
    )
  })

  test('the settling event confirms an outcome (recording our own transaction); its rollback un-confirms it', async () => {
    const { book, store, orders, metrics } = setup()
    const digest = (await book.attest(orders.byId(5n)!, 0, false, {}))!
    const txId = store.txs.insert({
      task: `outcome:${digest}`,
      purpose: 'outcome',
      nonce: 0,
      hash: h(77),
      raw: '0x01',
      now: 1,
    })
    const listener = outcomeConfirmations(store, metrics, silentLogger)
    const failed = { ...ev('OrderFailed', 5n, { classId: 3 }, 20n), txHash: h(77) }
    listener.onEvents!([ev('MilestonePaid', 5n, { milestone: 1 }, 20n)])
    assert.equal(
      store.outcomes.get(digest)!.state,
      'collecting',
      'another milestone’s payment settles nothing here',
    )
    listener.onEvents!([failed])
    const confirmed = store.outcomes.get(digest)!
    assert.deepEqual(
      [confirmed.state, confirmed.txId, store.txs.get(txId)!.state],
      ['confirmed', txId, 'mined'],
    )
    listener.onRollback!([failed], { number: 19n, hash: h(19) })
    assert.equal(store.outcomes.get(digest)!.state, 'landed', 'the submitter checks the chain again')
  })

  test('refuses a peer’s outcome on a milestone it has not judged: a pre-signed success is stored nowhere', async () => {
    const { book, store, orders } = setup()
    const early = await book.receive(await message([keys[1]!], { ...failure, success: true, classId: 0 }))
    assert.deepEqual(early.ok ? 200 : early.status, 425)
    assert.deepEqual(store.outcomes.all(), [], 'nothing stored')
    await book.attest(orders.byId(5n)!, 0, true, {})
    const later = await book.receive(await message([keys[1]!], { ...failure, success: true, classId: 0 }))
    assert.ok(later.ok && later.added === 1, 'once judged here, the peer’s signature is taken')
  })

  test('an expired row of the same outcome gathers again when this node signs it', async () => {
    const { book, store, orders } = setup()
    const success = { ...failure, success: true, classId: 0 }
    const digest = orderOutcomeDigest(domain, success)
    // as a node before this fix held it: a peer's early copy, expired on a clock the peer started
    store.outcomes.create({ digest, ...success, serviceId: 1n, kind: 'shipment', own: 'unknown', now: 1 })
    store.outcomes.setState(digest, 'expired', 2)
    assert.equal(await book.attest(orders.byId(5n)!, 0, true, {}), digest)
    assert.deepEqual(
      [store.outcomes.get(digest)!.state, store.outcomes.get(digest)!.own],
      ['collecting', 'signed'],
    )
  })

  test('a verdict on one vault’s tenure is not the verdict on another vault holding the same order', async () => {
    const { book, store, orders } = setup()
    const order = orders.byId(5n)!
    const digest = await book.attest(order, 0, false, {})
    assert.ok(digest, 'signed')
    assert.equal(store.outcomes.get(digest)!.vault, VAULT, 'the outcome names the holder')
    assert.ok(store.measure.verdict(orderMilestoneSubject(order, 0)), 'judged for its vault')
    // after a reorg that handed the intent to another bidder: same id and params, no verdict yet for that vault
    const reorged = { ...order, vault: OTHER_VAULT }
    assert.equal(store.measure.verdict(orderMilestoneSubject(reorged, 0)), undefined, 'judged afresh')
    assert.equal(book.stanceOf({ ...failure, vault: OTHER_VAULT }), 'unknown', 'no stance on the other vault')
    const again = await book.attest(reorged, 0, true, {})
    assert.ok(again && again !== digest, 'a success for the other vault is its own outcome')
    assert.equal(store.outcomes.get(again)!.vault, OTHER_VAULT)
  })

  test('takes peers’ valid signatures of members; refuses outcomes it would not sign', async () => {
    const { book, store, metrics, orders } = setup()
    await book.attest(orders.byId(5n)!, 0, false, {})
    const good = await message([keys[1]!, keys[2]!])
    const fromOutsider = (await message([outsider])).signatures[0]!
    const result = await book.receive({ ...good, signatures: [...good.signatures, fromOutsider] })
    assert.ok(result.ok && result.added === 2, 'two valid signatures')
    assert.equal(store.outcomes.all()[0]!.own, 'signed', 'judged here')
    assert.equal(metrics.signatureChecks.get({ kind: 'outcome', result: 'not_member' }), 1)
    const refused = async (outcome: OrderOutcome) => {
      const r = await book.receive(await message([keys[1]!], outcome))
      return r.ok ? 200 : r.status
    }
    assert.equal(await refused({ ...failure, classId: 1 }), 409, 'another class')
    assert.equal(await refused({ ...failure, milestone: 2 }), 409, 'no such milestone')
    assert.equal(await refused({ ...failure, orderId: 6n }), 404, 'an order it does not watch')
    // the same id with other terms: an order a reorg renumbered, or an insider's outcome for another order
    const otherParams = orderParamsHash({ ...jobParams(), budget: jobParams().budget + 1n })
    assert.equal(await refused({ ...failure, paramsHash: otherParams }), 409, 'another order’s parameters')
    // the same id and terms held by another vault: an intent a reorg gave to another bidder
    assert.equal(await refused({ ...failure, vault: OTHER_VAULT }), 409, 'another vault’s tenure')
    assert.equal(await refused({ ...failure, success: true, classId: 0 }), 200, 'a success (disagreed with)')
  })

  test('a failed shipment carries the class of the promise it broke: temperature or lateness', async () => {
    for (const [breach, classId] of [
      ['temperature', 4],
      ['lateness', 5],
    ] as const) {
      const { book, store, orders } = setup({ temperature: 4, lateness: 5, delivery: 3 })
      const digest = (await book.attest(orders.byId(5n)!, 0, false, {}, breach))!
      assert.equal(store.outcomes.get(digest)!.classId, classId, breach)
      // the other failure class on the same milestone is a verdict this node does not share
      const other = breach === 'temperature' ? 5 : 4
      assert.equal(book.stanceOf({ ...failure, classId }), 'signed')
      assert.equal(book.stanceOf({ ...failure, classId: other }), 'disagree')
      const r = await book.receive(await message([keys[1]!], { ...failure, classId: other }))
      assert.ok(r.ok && r.added === 1, 'a peer’s failure of the other class is kept')
      assert.equal(store.outcomes.get(r.reply.digest)!.own, 'disagree')
      const refused = await book.receive(await message([keys[1]!], { ...failure, classId: 3 }))
      assert.equal(
        refused.ok ? 200 : refused.status,
        409,
        'delivery is no class this node signs once both are named',
      )
    }
  })

  test('a config naming only `delivery` reports every broken shipment promise under it (as before)', async () => {
    for (const breach of ['temperature', 'lateness', undefined] as const) {
      const { book, store, orders } = setup({ delivery: 3 })
      const digest = (await book.attest(orders.byId(5n)!, 0, false, {}, breach))!
      assert.equal(store.outcomes.get(digest)!.classId, 3, String(breach))
    }
    // only one promise named: the other falls back to `delivery`, or is not reported without it
    const partial = setup({ temperature: 4, delivery: 3 })
    const late = (await partial.book.attest(partial.orders.byId(5n)!, 0, false, {}, 'lateness'))!
    assert.equal(partial.store.outcomes.get(late)!.classId, 3)
    const onlyHot = setup({ temperature: 4 })
    assert.equal(
      await onlyHot.book.attest(onlyHot.orders.byId(5n)!, 0, false, {}, 'lateness'),
      undefined,
      'lateness is measured, not reported',
    )
    const kept = setup({ temperature: 4 })
    assert.ok(await kept.book.attest(kept.orders.byId(5n)!, 0, true, {}), 'a success is reported')
  })
})
