/**
 * Fourth independent review: attacks on outcomes that sign the vault holding the order (OrderOutcome(orderId,
 * paramsHash, vault, milestone, success, classId), refused unless outcome.vault == order(orderId).vault:
 * OutcomeForOtherVault). The question: can anyone take money that is not theirs, or freeze money that is (a
 * milestone payment, a failure's slash), through this check? Each test performs the attack and asserts the HONEST
 * outcome; none found a way through (see the report of review 4).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Address, getAddress, type Hex, parseEther, zeroAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { StoredEvent } from '../src/indexer/follower/eventRepo.ts'
import type { CommitteeCache } from '../src/node/chain/committee.ts'
import { parseNodeConfig } from '../src/node/config.ts'
import { silentLogger } from '../src/node/log.ts'
import { createNodeMetrics } from '../src/node/nodeMetrics.ts'
import { createOutcomeBook } from '../src/node/orders/outcomeBook.ts'
import { decodeOutcomeMessage, encodeOutcomeMessage } from '../src/node/orders/outcomeMessage.ts'
import { createChainOrderSource } from '../src/node/orders/source.ts'
import { openStore } from '../src/node/store/store.ts'
import {
  acceptOrder,
  bidOnOrder,
  type OrderOutcome,
  type OrderRef,
  orderParamsHash,
  pickBid,
  readOrder,
} from '../src/sdk/index.ts'
import { orderOutcomeDigest, signOrderOutcome } from '../src/sdk/orderOutcomes.ts'
import { orderParams, orderTerms } from '../src/sdk/orders.ts'
import { travelTo } from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import {
  openAcceptedJob,
  openTestOrder,
  orderBookRaw,
  outcomeOf,
  reportOutcomeRaw,
  requiredCollateral,
  setupOrders,
  signOutcome,
} from './support/orders.ts'
import { useWorld, type World } from './support/world.ts'

const { world, fixture } = useWorld(setupOrders)
const BUDGET = parseEther('100')
/** The requirement at score 0: enough for any reputation. */
const full = (price: bigint) => requiredCollateral(price, 15_000, 5_000, 0n)
const FAILURE = { success: false, classId: 1 }
const SUCCESS = { success: true, classId: 0 }
/** OrderStatus.Open as the contract numbers it (None, Open, Active, …). */
const OPEN = 1

const report = (
  w: World,
  order: OrderRef,
  outcome: OrderOutcome,
  signed?: Awaited<ReturnType<typeof signOutcome>>,
) => reportOutcomeRaw(w, fixture(), order, outcome, signed)

/** An intent (vault 0 in its params) with bids from A (90, the best) and B (95); bidding closed. */
async function biddedIntent(w: World, input: { ratePerSecond?: bigint } = {}) {
  const { client, ops, svc } = fixture()
  const [a, b] = [ops[0]!, ops[1]!]
  const order = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: BUDGET, ...input })
  const [pa, pb] = input.ratePerSecond
    ? [input.ratePerSecond - 1n, input.ratePerSecond]
    : [parseEther('90'), parseEther('95')]
  const pledge = full(BUDGET)
  await bidOnOrder(w.clientFor(b.operator), { ...order, price: pb, collateral: pledge })
  await bidOnOrder(w.clientFor(a.operator), { ...order, price: pa, collateral: pledge })
  await travelTo(w, BigInt(order.params.biddingEnds) + 1n)
  return { order, a, b }
}

describe('review 4: outcomes bound to the vault holding the order', () => {
  test('(1) a reorg that lands a lower bid from B (then the keeper’s accept) refuses the verdicts signed on A’s tenure', async () => {
    const w = world()
    const { client, keeper, ops, svc } = fixture()
    const [a, b] = [ops[0]!, ops[1]!]
    const order = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: BUDGET })
    await bidOnOrder(w.clientFor(a.operator), { ...order, price: parseEther('90'), collateral: full(BUDGET) })
    const branch = await w.test.snapshot()
    // the branch later orphaned: A's bid stands alone, the keeper accepts it, the quorum signs verdicts on A
    await travelTo(w, BigInt(order.params.biddingEnds) + 1n)
    await acceptOrder(w.clientFor(keeper), order)
    assert.equal((await readOrder(w, order.orderId)).vault, a.vault)
    const failure = outcomeOf(order, a.vault, FAILURE)
    const success = outcomeOf(order, a.vault, SUCCESS)
    const signedFailure = await signOutcome(w, svc.attesters.slice(0, 3), failure)
    const signedSuccess = await signOutcome(w, svc.attesters.slice(0, 3), success)
    // the canonical branch: B's lower bid lands before the close, so the keeper's accept gives the order to B
    await w.test.revert({ id: branch })
    await bidOnOrder(w.clientFor(b.operator), { ...order, price: parseEther('85'), collateral: full(BUDGET) })
    await travelTo(w, BigInt(order.params.biddingEnds) + 1n)
    await acceptOrder(w.clientFor(keeper), order)
    assert.equal((await readOrder(w, order.orderId)).vault, b.vault)
    for (const [outcome, signed] of [
      [failure, signedFailure],
      [success, signedSuccess],
    ] as const) {
      await expectRevert(report(w, order, outcome, signed), 'OutcomeForOtherVault', [order.orderId, a.vault])
      // re-labelled to B: the vault is signed, so A's quorum signatures recover to strangers
      await assert.rejects(report(w, order, { ...outcome, vault: b.vault }, signed))
    }
    const after = await readOrder(w, order.orderId)
    assert.deepEqual(
      [after.status, after.vault, after.settled, after.paid, after.collateral > 0n],
      ['Active', b.vault, 0, 0n, true],
      'B’s order untouched: not failed, not paid, its collateral still reserved',
    )
  })

  test('(1) a reorg that replays A’s own acceptance later keeps the quorum’s verdict on A usable (not frozen)', async () => {
    const w = world()
    const { client, keeper, svc } = fixture()
    const { order, a } = await biddedIntent(w)
    const branch = await w.test.snapshot()
    await pickBid(w.clientFor(client), { ...order, vault: a.vault })
    const failure = outcomeOf(order, a.vault, FAILURE)
    const signed = await signOutcome(w, svc.attesters.slice(0, 3), failure)
    await w.test.revert({ id: branch })
    // the canonical branch: A still holds it, by the keeper's accept of the best bid, ten minutes later
    await travelTo(w, BigInt(order.params.biddingEnds) + 600n)
    await acceptOrder(w.clientFor(keeper), order)
    assert.equal((await readOrder(w, order.orderId)).vault, a.vault)
    await report(w, order, failure, signed)
    const after = await readOrder(w, order.orderId)
    assert.deepEqual([after.status, after.vault], ['Failed', a.vault], 'A’s failure lands on A’s tenure')
  })

  test('(1) an outcome for one intent held by A is refused on another intent with the same params held by A', async () => {
    const w = world()
    const { client, svc } = fixture()
    const first = await biddedIntent(w)
    await pickBid(w.clientFor(client), { ...first.order, vault: first.a.vault })
    // the same client, the same terms: the same params hash (biddingEnds fixed to the first one's, so re-opened now)
    const second = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      biddingEnds: first.order.params.biddingEnds + 7200,
      deadline: first.order.params.deadline,
    })
    await bidOnOrder(w.clientFor(first.a.operator), {
      ...second,
      price: parseEther('90'),
      collateral: full(BUDGET),
    })
    await travelTo(w, BigInt(second.params.biddingEnds) + 1n)
    await pickBid(w.clientFor(client), { ...second, vault: first.a.vault })
    const forFirst = outcomeOf(first.order, first.a.vault, FAILURE)
    const signed = await signOutcome(w, svc.attesters.slice(0, 3), forFirst)
    await expectRevert(report(w, second, forFirst, signed), 'OutcomeForOtherOrder', [
      second.orderId,
      first.order.orderId,
    ])
    await assert.rejects(report(w, second, { ...forFirst, orderId: second.orderId }, signed))
    assert.equal((await readOrder(w, second.orderId)).status, 'Active', 'the second order untouched')
  })

  test('(2) a named order: the outcome for its vault lands; another vault or vault 0 is refused', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const [a, b] = [ops[0]!, ops[1]!]
    const job = await openAcceptedJob(w, client, a, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      milestones: [5000, 5000],
    })
    assert.equal((await readOrder(w, job.orderId)).vault, a.vault)
    for (const vault of [b.vault, zeroAddress, job.params.client]) {
      await expectRevert(report(w, job, outcomeOf(job, vault, FAILURE)), 'OutcomeForOtherVault', [
        job.orderId,
        vault,
      ])
      await expectRevert(report(w, job, outcomeOf(job, vault, SUCCESS)), 'OutcomeForOtherVault', [
        job.orderId,
        vault,
      ])
    }
    // the honest outcomes on A: milestone 0 paid, then milestone 1's failure fails the order
    await report(w, job, outcomeOf(job, a.vault, SUCCESS))
    const paid = await readOrder(w, job.orderId)
    assert.deepEqual([paid.status, paid.settled, paid.paid > 0n], ['Active', 1, true])
    await report(w, job, outcomeOf(job, a.vault, { ...FAILURE, milestone: 1 }))
    assert.equal((await readOrder(w, job.orderId)).status, 'Failed')
  })

  test('(3) no intent (job or lease) is ever Active with vault 0: an outcome naming vault 0 finds no order to act on', async () => {
    const w = world()
    const { client, keeper, svc } = fixture()
    for (const ratePerSecond of [0n, BUDGET / 86_400n]) {
      const order = await openTestOrder(w, client, {
        serviceId: svc.serviceId,
        budget: BUDGET,
        ratePerSecond,
      })
      assert.equal((await readOrder(w, order.orderId)).vault, zeroAddress, 'an open intent holds vault 0')
      // an outcome naming vault 0 while the intent is open: refused by status, not by vault
      await expectRevert(report(w, order, outcomeOf(order, zeroAddress, FAILURE)), 'WrongOrderStatus', [
        order.orderId,
        OPEN,
      ])
      await travelTo(w, BigInt(order.params.biddingEnds) + 1n)
      // no bids: nobody can activate it with vault 0
      await expectRevert(acceptOrder(w.clientFor(keeper), order), 'NoBids', [order.orderId])
      // (raw: the SDK refuses a zero vault before sending)
      await expectRevert(
        orderBookRaw(w, client, 'pickBid', [order.orderId, order.params, zeroAddress]),
        'NoBid',
        [order.orderId, zeroAddress],
      )
      const still = await readOrder(w, order.orderId)
      assert.deepEqual([still.status, still.vault], ['Open', zeroAddress])
      await expectRevert(report(w, order, outcomeOf(order, zeroAddress, FAILURE)), 'WrongOrderStatus', [
        order.orderId,
        OPEN,
      ])
    }
    // a lease intent with bids: activated only with a bidder's vault; an outcome naming vault 0 is then refused
    const { order, a } = await biddedIntent(w, { ratePerSecond: BUDGET / 86_400n })
    await acceptOrder(w.clientFor(keeper), order)
    assert.equal((await readOrder(w, order.orderId)).vault, a.vault)
    await expectRevert(report(w, order, outcomeOf(order, zeroAddress, FAILURE)), 'OutcomeForOtherVault', [
      order.orderId,
      zeroAddress,
    ])
    await report(w, order, outcomeOf(order, a.vault, FAILURE))
    assert.equal((await readOrder(w, order.orderId)).status, 'Failed', 'the honest lease failure lands')
  })

  for (const verdict of [FAILURE, SUCCESS]) {
    test(`(4) once Active, nothing the client or the operators do moves the vault: the quorum’s ${verdict.success ? 'success' : 'failure'} signed before still lands`, async () => {
      const w = world()
      const { client, keeper, svc, ops } = fixture()
      const { order, a, b } = await biddedIntent(w)
      await pickBid(w.clientFor(client), { ...order, vault: a.vault })
      const outcome = outcomeOf(order, a.vault, verdict)
      const signed = await signOutcome(w, svc.attesters.slice(0, 3), outcome)
      // every call that writes o.vault, by every party, after the quorum signed: all refused on an Active order
      await expectRevert(pickBid(w.clientFor(client), { ...order, vault: b.vault }), 'WrongOrderStatus', [
        order.orderId,
        2,
      ])
      await expectRevert(acceptOrder(w.clientFor(keeper), order), 'WrongOrderStatus', [order.orderId, 2])
      for (const op of [a, b, ops[2]!]) {
        await expectRevert(
          bidOnOrder(w.clientFor(op.operator), {
            ...order,
            price: parseEther('1'),
            collateral: full(BUDGET),
          }),
          'WrongOrderStatus',
          [order.orderId, 2],
        )
      }
      // a cancel is only one party's consent; the operator's result commitment changes nothing the outcome names
      await orderBookRaw(w, client, 'agreeCancel', [order.orderId, order.params])
      await orderBookRaw(w, a.operator, 'commitResult', [order.orderId, order.params, `0x${'11'.repeat(32)}`])
      const mid = await readOrder(w, order.orderId)
      assert.deepEqual([mid.status, mid.vault], ['Active', a.vault], 'still A’s, still Active')
      await report(w, order, outcome, signed)
      const after = await readOrder(w, order.orderId)
      assert.equal(after.vault, a.vault)
      if (verdict.success)
        assert.deepEqual([after.status, after.settled, after.paid > 0n], ['Completed', 1, true])
      else assert.equal(after.status, 'Failed')
    })
  }
})

describe('review 4: the node keys verdicts by vault; a peer cannot make it sign for another vault', () => {
  const keys = [1, 2, 3, 4, 5].map((i) => privateKeyToAccount(`0x${i.toString(16).padStart(64, '0')}`))
  const domain = { chainId: 31337, orders: '0x00000000000000000000000000000000000000b0' as Address }
  const A = '0x00000000000000000000000000000000000000aa' as Address
  const B = '0x00000000000000000000000000000000000000bb' as Address
  const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex
  // an intent (vault 0 in its params), a shipment job of service 1
  const params = orderParams({
    client: '0x00000000000000000000000000000000000000cc',
    serviceId: 1n,
    paymentToken: '0x00000000000000000000000000000000000000ee',
    budget: 1_000n,
    now: 1_000,
    biddingEnds: 2_000,
    deadline: 5_000,
    milestones: [2000, 8000],
  })
  const terms = orderTerms({
    device: '0x00000000000000000000000000000000000000dd',
    pickupBy: 3_000,
    minTempCentiC: 200,
    maxTempCentiC: 800,
  })
  let logIndex = 0
  const ev = (name: string, args: Record<string, unknown>, block: bigint): StoredEvent => ({
    blockNumber: block,
    logIndex: logIndex++,
    blockHash: h(Number(block)),
    txHash: h(1),
    name,
    orderId: 5n,
    args: { orderId: 5n, ...args },
  })

  function node(accepted?: Address) {
    const config = parseNodeConfig({
      chain: {
        rpcUrl: 'http://127.0.0.1:1',
        chainId: 31337,
        addresses: { registry: A, court: A, orders: domain.orders },
      },
      key: { env: 'K' },
      store: { path: ':memory:' },
      api: { port: 0 },
      services: [{ serviceId: 1, classes: { delivery: 3 } }],
    })
    const members = new Map(keys.map((k) => [k.address.toLowerCase(), 10n]))
    const committees: CommitteeCache = {
      get: async () => ({ serviceId: 1n, members, totalWeight: 50n, quorumBps: 6000 }),
      invalidate: () => {},
      isMember: async (_s, who) => members.has(who.toLowerCase()),
    }
    const store = openStore(':memory:')
    const events = [ev('OrderOpened', { client: params.client, serviceId: 1n, params, terms }, 10n)]
    // the event's vault as a checksummed address: the node's view must not depend on the case
    if (accepted)
      events.push(
        ev(
          'OrderAccepted',
          { vault: getAddress(accepted), price: 1_000n, collateral: 1_500n, refund: 0n },
          11n,
        ),
      )
    store.chain.commitRange({ events, blocks: [], cursor: { number: 12n, hash: h(12) } })
    const orders = createChainOrderSource(store)
    const book = createOutcomeBook({
      config,
      store,
      orders,
      account: keys[0]!,
      domain,
      committees,
      metrics: createNodeMetrics(),
      log: silentLogger,
    })
    return { book, store, orders }
  }
  const outcome = (vault: Address, success = false): OrderOutcome => ({
    orderId: 5n,
    paramsHash: orderParamsHash(params),
    vault,
    milestone: 0,
    success,
    classId: success ? 0 : 3,
  })
  /** A peer's message as it arrives on the wire (encoded, then decoded by the node's own parser). */
  const wire = async (o: OrderOutcome, rawVault?: string) => {
    const signatures = await Promise.all(keys.slice(1).map((k) => signOrderOutcome(k, domain, o)))
    const raw = encodeOutcomeMessage({
      outcome: o,
      signatures: signatures.map((s) => ({
        signer: s.signer.toLowerCase() as Address,
        signature: s.signature,
      })),
    }) as { outcome: Record<string, unknown> }
    if (rawVault) raw.outcome.vault = rawVault
    const decoded = decodeOutcomeMessage(raw)
    assert.ok(decoded.ok, 'a well-formed message')
    return decoded.message
  }

  test('(5) an open intent (vault 0): a peer’s quorum on vault 0 is not taken in and the node signs nothing', async () => {
    const { book, store, orders } = node()
    assert.equal(orders.byId(5n)!.vault, zeroAddress)
    const r = await book.receive(await wire(outcome(zeroAddress)))
    assert.equal(r.ok ? 200 : r.status, 425, 'not judged: refused')
    const digest = orderOutcomeDigest(domain, outcome(zeroAddress))
    assert.equal(store.outcomes.get(digest), undefined, 'nothing stored')
    assert.equal(store.reports.signatures(digest).length, 0)
  })

  test('(5) accepted by A: a peer’s outcome naming B (any case) is refused; the node’s own signature names A only', async () => {
    const { book, store, orders } = node(A)
    const order = orders.byId(5n)!
    assert.equal(order.vault, A, 'the view holds the accepted vault, lower-cased')
    const mine = await book.attest(order, 0, false, {})
    assert.ok(mine)
    assert.equal(store.outcomes.get(mine)!.vault, A)
    for (const raw of [B, getAddress(B), B.toUpperCase().replace('0X', '0x')]) {
      const r = await book.receive(await wire(outcome(B), raw))
      assert.equal(r.ok ? 200 : r.status, 409, `a verdict on B (${raw}) refused`)
    }
    const onB = orderOutcomeDigest(domain, outcome(B))
    assert.equal(store.outcomes.get(onB), undefined, 'no outcome on B stored')
    // a peer's outcome on A in another case is the same outcome (same digest) as the node's own
    const r = await book.receive(await wire(outcome(A), getAddress(A)))
    assert.ok(r.ok)
    assert.equal(r.reply.digest, mine, 'the same digest: case does not split the quorum')
    assert.equal(store.reports.signatures(mine).length, 5, 'all five signatures on the node’s outcome on A')
    // the node never signed anything naming B: only its own outcome holds its signature
    const own = keys[0]!.address.toLowerCase()
    assert.ok(store.reports.signatures(mine).some((s) => s.signer.toLowerCase() === own))
  })
})
