/**
 * Orders end to end: three attester nodes of a five-member committee (3-of-5 quorum), two of them keepers, as
 * separate processes on one chain shared by the whole file (interval mining, a block a second). The tests run in
 * order and build on each other's chain: the reorg test must come first, while no node has anything to send.
 *
 *   1. a reorg that removes an order's acceptance: nothing is judged, signed or submitted for it;
 *   2. a shipment through the order book: the device's signed readings (bad ones refused and counted), the
 *      pickup milestone attested and paid, a late delivery attested as a failure, the refund credited to the
 *      client, and after the dispute window the collateral slash executed by a keeper and paid to the client;
 *   3. compute jobs: a committed result that matches what the operator serves is paid, a wrong one fails;
 *   4. keepers: an overdue job expired, a lease settled and completed, fees swept — each once, with two keepers.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type Account, type Address, keccak256, parseEther, toBytes, toHex } from 'viem'
import { type HDAccount, privateKeyToAccount } from 'viem/accounts'
import { createWorld, type World } from '../../../test/support/world.ts'
import { orderBookAbi, slashingCourtAbi } from '../../sdk/abis.ts'
import {
  acceptOrder,
  commitResult,
  type OrderRef,
  openOrder,
  orderParams,
  orderTerms,
  readOrder,
  readOwed,
} from '../../sdk/index.ts'
import { NO_CLASS, type OrderTerms } from '../../sdk/types.ts'
import { orderKey } from '../orders/fold.ts'
import { type Reading, signReading } from '../telemetry/reading.ts'
import {
  type ClusterNode,
  contractCalls,
  courtEvents,
  metricsText,
  signerIndexes,
  startAll,
  status,
  stopAll,
  waitFor,
} from '../testing/cluster.ts'
import { type ResultServer, startResultServer } from '../testing/resultServer.ts'
import { prepareClusterOn } from './cluster.ts'
import { intervalMining, orderWorld } from './world.ts'

const LATE_CLASS = 1
const WRONG_OUTPUT_CLASS = 2
/** No jail or ban: the same operator takes every order of the file. */
const CLASSES = [
  { basePenaltyBps: 100, jailDuration: 0, permanentBan: false },
  { basePenaltyBps: 500, jailDuration: 0, permanentBan: false },
  { basePenaltyBps: 1000, jailDuration: 0, permanentBan: false },
]
const LEASE_SETTLE_SECONDS = 20
const EXPIRE_DELAY_SECONDS = 5

const device = privateKeyToAccount(keccak256(toHex('surety test device')))
const stranger = privateKeyToAccount(keccak256(toHex('not the registered device')))

let w: World
let serviceId: bigint
let operator: Account
let vault: Address
let client: Account
let attesters: HDAccount[]
let nodes: ClusterNode[] = []
let results: ResultServer
let startBlock: bigint

before(async () => {
  w = await createWorld()
  ;({ serviceId, attesters, operator, vault, client } = await orderWorld(w, CLASSES))
  // the allocation waited out its exposure delay on a chain started in the past; nodes judge telemetry against
  // their own clock
  await w.catchUpToWallClock()
  results = await startResultServer()
  ;({ nodes, startBlock } = await prepareClusterOn(w, {
    attesters: attesters.slice(0, 3),
    service: () => ({
      serviceId: Number(serviceId),
      classes: { delivery: LATE_CLASS, wrongOutput: WRONG_OUTPUT_CLASS },
      resultUrl: `${results.url}/results/{orderId}/{milestone}`,
    }),
    roles: (i) => ({ attester: true, keeper: i < 2 }),
    extra: {
      keeper: {
        expireDelaySeconds: EXPIRE_DELAY_SECONDS,
        leaseSettleSeconds: LEASE_SETTLE_SECONDS,
        sweepIntervalSeconds: 1,
      },
      // readings are stamped in chain time, which the tests move ahead of the wall clock
      telemetry: { maxSkewSeconds: 3_600 },
    },
  }))
  await startAll(nodes)
})

after(async () => {
  await stopAll(nodes)
  await results?.close()
  await w?.anvil.stop()
})

const chainNow = async () => Number(await w.now())

async function open(input: {
  budget: bigint
  milestones?: number[]
  ratePerSecond?: bigint
  biddingWindow: number
  duration?: number
  terms?: Partial<OrderTerms>
}): Promise<OrderRef> {
  const { terms, ...rest } = input
  const params = orderParams({
    ...rest,
    client: client.address,
    serviceId,
    paymentToken: w.addresses.stakeToken,
    vault,
    now: await chainNow(),
  })
  const opened = await openOrder(w.clientFor(client), { params, terms: orderTerms(terms) })
  return { orderId: opened.result.orderId, params: opened.result.params }
}

const accept = (order: OrderRef) => acceptOrder(w.clientFor(operator), order)

async function post(node: ClusterNode, body: unknown) {
  const response = await fetch(`${node.apiUrl}/v1/telemetry`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as { accepted: boolean; reason?: string } }
}

/** The device's gateway sends every reading to every attester. */
async function postAll(readings: Reading[]) {
  for (const r of readings)
    for (const n of nodes) assert.equal((await post(n, r)).status, 202, `reading ${r.seq}`)
}

const reading = (
  order: OrderRef,
  seq: number,
  timestamp: number,
  kind: Reading['kind'],
  temperatureCentiC = 450,
) =>
  signReading(
    device,
    { chainId: w.chainId },
    { orderId: orderKey(order.orderId), seq, timestamp, kind, temperatureCentiC },
  )

const viewOf = async (node: ClusterNode, order: OrderRef) =>
  (await status(node)).orders.find((o) => o.orderId === order.orderId.toString())

const allSee = (what: string, order: OrderRef, check: (o: Awaited<ReturnType<typeof viewOf>>) => boolean) =>
  waitFor(what, async () => (await Promise.all(nodes.map((n) => viewOf(n, order)))).every(check), 20_000)

function orderEvents<
  const E extends 'MilestonePaid' | 'OrderFailed' | 'OrderCompleted' | 'LeaseSettled' | 'FeesSwept',
>(eventName: E) {
  return w.public.getContractEvents({
    address: w.addresses.orders,
    abi: orderBookAbi,
    eventName,
    fromBlock: startBlock,
  })
}

async function eventOf<const E extends 'MilestonePaid' | 'OrderFailed' | 'OrderCompleted' | 'LeaseSettled'>(
  eventName: E,
  order: OrderRef,
) {
  return (await orderEvents(eventName)).filter(
    (e) => (e.args as { orderId?: bigint }).orderId === order.orderId,
  )
}

/** The order's events of that name, or undefined while there are none (waitFor polls until there are). */
async function someEvents<
  const E extends 'MilestonePaid' | 'OrderFailed' | 'OrderCompleted' | 'LeaseSettled',
>(eventName: E, order: OrderRef) {
  const events = await eventOf(eventName, order)
  return events.length > 0 ? events : undefined
}

const ordersCalls = (functionName: string) =>
  contractCalls(w.public, w.addresses.orders, orderBookAbi, functionName, startBlock)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('orders through the nodes', () => {
  test('a reorg that removes an order’s acceptance does not produce a report for it', async () => {
    const now = await chainNow()
    const shipment = (pickupBy: number) => ({
      budget: parseEther('10'),
      biddingWindow: 300,
      duration: 300,
      terms: { device: device.address, pickupBy, minTempCentiC: 200, maxTempCentiC: 800 },
    })
    // `seen`: its acceptance reaches confirmation depth, then a reorg deeper than that takes it away;
    // `unseen`: accepted inside the confirmation depth, and the reorg takes it away before it is confirmed
    const seen = await open(shipment(now + 600))
    const unseen = await open(shipment(now + 600))
    await allSee('both orders in every node’s view', unseen, (o) => o?.status === 'Open')

    // from here on, blocks are mined only when this test says so
    await intervalMining(w, false)
    try {
      const acceptedSeen = await accept(seen)
      await w.test.mine({ blocks: 2 })
      await allSee('the confirmed acceptance', seen, (o) => o?.status === 'Active')
      await accept(unseen)
      // readings proving a late delivery of `unseen`: judged at once if its acceptance counted
      const deadline = unseen.params.deadline
      await postAll([
        await reading(unseen, 1, now + 5, 'pickup'),
        await reading(unseen, 2, deadline + 30, 'delivery'),
      ])
      await sleep(2_500)
      for (const n of nodes) {
        const s = await status(n)
        assert.equal((await viewOf(n, unseen))?.status, 'Open', 'an unconfirmed acceptance is not acted on')
        assert.deepEqual(s.outcomes, [])
      }

      const head = await w.public.getBlockNumber({ cacheTime: 0 })
      await w.test.request({
        method: 'anvil_reorg',
        params: [Number(head - acceptedSeen.blockNumber) + 1, []],
      } as never)
      await w.test.mine({ blocks: 3 })
      await allSee('the orphaned acceptance rolled back', seen, (o) => o?.status === 'Open')
      // now readings proving `seen` late too: an order that is not accepted is not judged
      await postAll([
        await reading(seen, 1, now + 5, 'pickup'),
        await reading(seen, 2, seen.params.deadline + 30, 'delivery'),
      ])
      await sleep(3_000)
      for (const n of nodes) {
        const s = await status(n)
        assert.deepEqual(s.outcomes, [], 'no outcome was signed or received for either order')
        for (const order of [seen, unseen]) assert.equal((await viewOf(n, order))?.status, 'Open')
        assert.match(await metricsText(n), /surety_node_reorgs_total [1-9]/)
      }
      for (const order of [seen, unseen]) assert.equal((await readOrder(w, order.orderId)).status, 'Open')
      assert.equal((await ordersCalls('reportOutcome')).total, 0, 'nothing submitted')
    } finally {
      await intervalMining(w, true)
    }
  })

  test('good telemetry for a late shipment produces a failure report and a compensation to the client', async () => {
    const now = await chainNow()
    const order = await open({
      budget: parseEther('100'),
      milestones: [2000, 8000],
      biddingWindow: 120,
      duration: 120,
      terms: { device: device.address, pickupBy: now + 60, minTempCentiC: 200, maxTempCentiC: 800 },
    })
    await accept(order)
    await allSee('the accepted shipment', order, (o) => o?.status === 'Active')
    const deadline = order.params.deadline

    // bad readings are refused with a reason and counted; none is used
    const key = orderKey(order.orderId)
    const { signature: _drop, ...unsigned } = await reading(order, 1, now + 1, 'reading')
    const bad: [unknown, number, string][] = [
      [unsigned, 422, 'unsigned'],
      [{ ...(await reading(order, 1, now + 1, 'reading')), temperatureCentiC: 420 }, 422, 'bad-signature'],
      [
        await signReading(
          stranger,
          { chainId: w.chainId },
          { orderId: key, seq: 1, timestamp: now + 1, kind: 'reading' },
        ),
        422,
        'wrong-device',
      ],
      [
        await signReading(
          device,
          { chainId: w.chainId },
          { orderId: orderKey(999n), seq: 1, timestamp: now, kind: 'pickup' },
        ),
        404,
        'unknown-order',
      ],
    ]
    for (const [body, code, reason] of bad) {
      const answer = await post(nodes[0]!, body)
      assert.deepEqual([answer.status, answer.body.accepted, answer.body.reason], [code, false, reason])
    }

    // picked up on time: the pickup milestone (20 %) is attested and paid
    const pickup = await reading(order, 1, now + 5, 'pickup')
    await postAll([pickup])
    const [paid] = await waitFor(
      'the pickup milestone paid on attestation',
      () => someEvents('MilestonePaid', order),
      30_000,
    )
    assert.deepEqual([paid!.args.milestone, paid!.args.byAttesters], [0, true])

    // then delivered after the deadline, in range all the way: the delivery milestone is broken
    await postAll([
      await reading(order, 2, now + 30, 'reading', 510),
      await reading(order, 3, deadline + 30, 'delivery'),
    ])
    for (const [body, code, reason] of [
      [pickup, 409, 'replay'],
      [await reading(order, 2, now + 31, 'reading'), 409, 'replay'],
    ] as const) {
      const answer = await post(nodes[0]!, body)
      assert.deepEqual([answer.status, answer.body.reason], [code, reason])
    }
    const [failed] = await waitFor(
      'the late delivery attested as a failure',
      () => someEvents('OrderFailed', order),
      30_000,
    )
    const f = failed!.args
    assert.equal(f.classId, LATE_CLASS)
    assert.equal(f.refund, parseEther('80'), 'the unpaid 80 % is refunded')
    assert.ok(f.slashAmount! > 0n, 'the collateral is slashed')
    assert.equal(
      await readOwed(w, w.addresses.stakeToken, client.address),
      f.refund,
      'credited to the client',
    )

    const calls = await ordersCalls('reportOutcome')
    assert.deepEqual([calls.total, calls.reverted], [2, 0], 'one submission per outcome, none wasted')
    const requested = (await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock)).find(
      (e) => e.args.slashId === f.slashId,
    )
    assert.ok(requested, 'the collateral slash is pending in the court')
    assert.deepEqual(
      signerIndexes(requested.args.details!.signers),
      [0, 1, 2],
      'signed by the three attesters',
    )
    assert.equal(requested.args.details!.client.toLowerCase(), client.address.toLowerCase())
    await waitFor(
      'every node to see both outcomes confirmed',
      async () =>
        (await Promise.all(nodes.map(status))).every((s) => {
          const mine = s.outcomes.filter((o) => o.orderId === order.orderId.toString())
          return mine.length === 2 && mine.every((o) => o.state === 'confirmed' && o.signers.length === 3)
        }),
      15_000,
    )

    // after the dispute window a keeper executes the order's slash, once, and the client is paid
    assert.deepEqual(await courtEvents(w.public, w.addresses.court, 'SlashExecuted', startBlock), [])
    const before = await w.balanceOf(client.address)
    await w.test.increaseTime({ seconds: 61 })
    const executed = await waitFor(
      'the keepers to execute the order’s slash',
      async () =>
        (await courtEvents(w.public, w.addresses.court, 'SlashExecuted', startBlock)).find(
          (e) => e.args.slashId === f.slashId,
        ),
      30_000,
    )
    assert.ok(executed.args.toClient! > 0n, 'the slash pays the client')
    assert.equal((await w.balanceOf(client.address)) - before, executed.args.toClient, 'the client is paid')
    // a second keeper would act one stagger (2.5 s) after the first: give it the chance
    await sleep(3_500)
    const executions = await contractCalls(
      w.public,
      w.addresses.court,
      slashingCourtAbi,
      'executeSlash',
      startBlock,
    )
    assert.deepEqual([executions.total, executions.reverted], [1, 0], 'two keepers, one execution')

    const metrics = await metricsText(nodes[0]!)
    for (const reason of ['unsigned', 'bad-signature', 'wrong-device', 'unknown-order'])
      assert.match(metrics, new RegExp(`surety_node_telemetry_rejected_total\\{reason="${reason}"\\} 1\\n`))
    assert.match(metrics, /surety_node_telemetry_rejected_total\{reason="replay"\} 2\n/)
    assert.match(metrics, /surety_node_signature_checks_total\{kind="outcome",result="valid"\} [1-9]/)
  })

  test('compute jobs: a result matching its commitment is paid, a wrong one fails the order', async () => {
    const good = await open({ budget: parseEther('10'), biddingWindow: 120, duration: 300 })
    const wrong = await open({ budget: parseEther('10'), biddingWindow: 120, duration: 300 })
    await accept(good)
    await accept(wrong)
    const output = toBytes('240 frames, 4K')
    results.set(`/results/${good.orderId}/0`, output)
    results.set(`/results/${wrong.orderId}/0`, toBytes('240 frames, 720p'))
    const op = w.clientFor(operator)
    await commitResult(op, { ...good, resultHash: keccak256(output) })
    await commitResult(op, { ...wrong, resultHash: keccak256(output) })

    await waitFor('the good job paid', () => someEvents('OrderCompleted', good), 30_000)
    const [paid] = await eventOf('MilestonePaid', good)
    assert.equal(paid!.args.byAttesters, true)
    const [failed] = await waitFor(
      'the wrong output attested',
      () => someEvents('OrderFailed', wrong),
      30_000,
    )
    assert.equal(failed!.args.classId, WRONG_OUTPUT_CLASS)
    assert.equal(failed!.args.refund, parseEther('10'))
  })

  test('keepers: an overdue job is expired, a lease settled and completed, fees swept — each once', async () => {
    const overdue = await open({ budget: parseEther('10'), biddingWindow: 20, duration: 20 })
    const lease = await open({ budget: parseEther('100'), ratePerSecond: parseEther('1'), biddingWindow: 60 })
    await accept(overdue)
    await accept(lease)

    // LEASE_SETTLE_SECONDS of the lease unpaid: one settlement
    await w.test.increaseTime({ seconds: LEASE_SETTLE_SECONDS + 5 })
    await waitFor('a lease settlement', async () => (await eventOf('LeaseSettled', lease)).length > 0, 20_000)
    // past the job's deadline (and the expiry delay), and past the lease's last second
    await w.test.increaseTime({ seconds: 120 })
    const [expired] = await waitFor(
      'the overdue job expired',
      () => someEvents('OrderFailed', overdue),
      20_000,
    )
    assert.equal(expired!.args.classId, NO_CLASS)
    await waitFor(
      'the lease completed',
      async () => (await eventOf('OrderCompleted', lease)).length > 0,
      20_000,
    )
    const unswept = () =>
      w.public.readContract({
        address: w.addresses.orders,
        abi: orderBookAbi,
        functionName: 'unsweptFees',
        args: [serviceId],
      })
    await waitFor('every fee swept', async () => (await unswept()) === 0n, 20_000)
    // give a second keeper every chance to do any of it again
    await sleep(4_000)

    const expiries = await ordersCalls('expire')
    assert.deepEqual([expiries.total, expiries.reverted], [1, 0], 'expired once')
    const settlements = await ordersCalls('settleLease')
    const settled = await eventOf('LeaseSettled', lease)
    assert.ok(settled.length >= 2, `${settled.length} lease settlements`)
    assert.deepEqual([settlements.total, settlements.reverted], [settled.length, 0], 'each settlement once')
    assert.equal(settled.at(-1)!.args.streamed, parseEther('100'), 'the whole lease streamed')
    const sweeps = await ordersCalls('sweepFees')
    const swept = await orderEvents('FeesSwept')
    assert.ok(swept.length >= 1, 'fees were swept')
    assert.deepEqual([sweeps.total, sweeps.reverted], [swept.length, 0], 'every sweep moved fees: none twice')
    assert.equal(await unswept(), 0n)
    const transactions = (await Promise.all(nodes.map(status))).map((s) => s.transactions)
    assert.equal(
      transactions[2]!.expire + transactions[2]!.settle_lease + transactions[2]!.sweep,
      0,
      'not a keeper',
    )
  })
})
