/**
 * OrderBook intents on the real chain: operators bid (price, collateral) within the window; the lowest price wins,
 * ties go to the higher reputation, then to the earlier bid; acceptance by anyone after the window or by the
 * client's pick, both only until a day after it; every bid rule's revert with its arguments, including a vault
 * with no room on the service (unallocated or jailed) bidding for no collateral.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseEther, zeroAddress } from 'viem'
import { ContractRevertedError, InvalidInputError } from '../src/errors.ts'
import {
  ACCEPTANCE_WINDOW,
  acceptOrder,
  bidOnOrder,
  cancelOrder,
  confirmMilestone,
  executeSlash,
  type OrderRef,
  pickBid,
  readBids,
  readOrder,
  readReputation,
} from '../src/sdk/index.ts'
import { travelTo, txTime } from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import { allocateNow, DAY, incident, reportSlash, setupService } from './support/fixtures.ts'
import {
  openAcceptedJob,
  openTestOrder,
  orderBookRaw,
  requiredCollateral,
  setupOrders,
} from './support/orders.ts'
import { useWorld, type World } from './support/world.ts'

const { world, fixture } = useWorld(setupOrders)
const BUDGET = parseEther('100')
const ether = (n: number) => parseEther(String(n))
/** The requirement at score 0: enough for any reputation (a higher score only lowers it). */
const full = (price: bigint) => requiredCollateral(price, 15_000, 5_000, 0n)

async function openIntent(w: World) {
  const { client, svc } = fixture()
  return openTestOrder(w, client, { serviceId: svc.serviceId, budget: BUDGET })
}

const bid = (w: World, op: number, order: OrderRef, price: bigint, collateral = full(price)) =>
  bidOnOrder(w.clientFor(fixture().ops[op]!.operator), { ...order, price, collateral })

async function best(w: World, orderId: bigint) {
  const o = await readOrder(w, orderId)
  return { vault: o.vault, price: o.price }
}

describe('OrderBook: bidding', () => {
  test('lowest price wins, a tie goes to the higher reputation, then to the earlier bid; anyone accepts after', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const [a, b, c] = ops as [(typeof ops)[0], (typeof ops)[0], (typeof ops)[0]]
    // operator C earns some reputation first
    const warmup = await openAcceptedJob(w, client, c, { serviceId: svc.serviceId, budget: ether(1) })
    await confirmMilestone(w.clientFor(client), warmup)

    const order = await openIntent(w)
    const placed = await bid(w, 0, order, ether(90))
    assert.deepEqual(placed.result, {
      vault: a.vault,
      price: ether(90),
      collateral: full(ether(90)),
      score: 0n,
    })
    assert.deepEqual(await best(w, order.orderId), { vault: a.vault, price: ether(90) })
    await bid(w, 1, order, ether(80))
    assert.deepEqual(await best(w, order.orderId), { vault: b.vault, price: ether(80) }, 'lower price wins')
    await bid(w, 0, order, ether(80))
    assert.deepEqual(
      await best(w, order.orderId),
      { vault: b.vault, price: ether(80) },
      'same score: earlier bid',
    )
    const byC = await bid(w, 2, order, ether(80))
    assert.ok(byC.result.score > 0n)
    assert.deepEqual(await best(w, order.orderId), { vault: c.vault, price: ether(80) }, 'higher reputation')
    await expectRevert(bid(w, 0, order, ether(85)), 'BidNotLower', [ether(85), ether(80)])
    await expectRevert(bid(w, 1, order, ether(80)), 'BidNotLower', [ether(80), ether(80)])
    assert.deepEqual(
      (await readBids(w, order.orderId)).map((x) => [x.vault, x.price]),
      [
        [b.vault, ether(80)],
        [a.vault, ether(80)],
        [c.vault, ether(80)],
      ],
    )

    const ends = BigInt(order.params.biddingEnds)
    await expectRevert(acceptOrder(w.clientFor(keeper), order), 'BiddingOpen', [order.orderId, ends])
    await travelTo(w, ends)
    await expectRevert(bid(w, 0, order, ether(1)), 'BiddingClosed', [order.orderId, ends])
    const before = await w.balanceOf(client.address)
    const accepted = await acceptOrder(w.clientFor(keeper), order)
    // exactly the requirement at C's reputation then, not the pledge (full(80)): a pledge can never make an order
    // hold (and a failure take) more of the vault than the order is worth
    const required = requiredCollateral(
      ether(80),
      15_000,
      5_000,
      (await readReputation(w, c.vault, svc.serviceId)).score,
    )
    assert.ok(required < full(ether(80)))
    assert.deepEqual(accepted.result, {
      vault: c.vault,
      price: ether(80),
      collateral: required,
      refund: ether(20),
    })
    assert.equal(await w.balanceOf(client.address), before + ether(20), 'budget − price back to the client')
    assert.equal((await readReputation(w, c.vault, svc.serviceId)).reserved, required)
    assert.equal((await readReputation(w, a.vault, svc.serviceId)).reserved, 0n, 'losing bids hold nothing')
    const o = await readOrder(w, order.orderId)
    assert.deepEqual(
      [o.status, o.price, o.collateral, o.startedAt],
      ['Active', ether(80), required, Number(await txTime(w, accepted))],
    )
  })

  test('each bid rule reverts with its arguments', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const order = await openIntent(w)
    const op = ops[0]!.operator
    await expectRevert(
      orderBookRaw(w, op, 'bid', [order.orderId, order.params, BUDGET + 1n, full(BUDGET)]),
      'PriceAboveBudget',
      [BUDGET + 1n, BUDGET],
    )
    await expectRevert(
      orderBookRaw(w, op, 'bid', [order.orderId, order.params, 0n, 0n]),
      'PriceAboveBudget',
      [0n, BUDGET],
    )
    await assert.rejects(bid(w, 0, order, BUDGET + 1n), InvalidInputError, 'the SDK refuses before sending')
    await assert.rejects(bid(w, 0, order, 0n), InvalidInputError)

    const required = requiredCollateral(ether(50), 15_000, 5_000, 0n)
    await expectRevert(bid(w, 0, order, ether(50), required - 1n), 'CollateralBelowRequirement', [
      required - 1n,
      required,
    ])
    // a pledge above the allocation's room is only a ceiling: acceptance reserves the requirement
    const room = parseEther('20000')
    await bid(w, 0, order, ether(50), room + 1n)
    // a requirement above the room is refused: the client's stated value (a floor of the collateral base) makes
    // even a low price need 1.5 × 14,000 = 21,000 of collateral, more than the 20,000 allocated
    const valued = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      value: parseEther('14000'),
    })
    const floor = requiredCollateral(parseEther('14000'), 15_000, 5_000, 0n)
    await expectRevert(bid(w, 1, valued, ether(1), floor - 1n), 'CollateralBelowRequirement', [
      floor - 1n,
      floor,
    ])
    await expectRevert(bid(w, 1, valued, ether(1), floor), 'CollateralUnavailable', [floor, room])

    await expectRevert(
      orderBookRaw(w, client, 'bid', [order.orderId, order.params, ether(50), required]),
      'NotAnOperator',
      [client.address],
    )
    const named = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      vault: ops[1]!.vault,
      budget: BUDGET,
    })
    await expectRevert(
      orderBookRaw(w, op, 'bid', [named.orderId, named.params, ether(50), required]),
      'NotAnIntent',
      [named.orderId],
    )
    await assert.rejects(bid(w, 0, named, ether(50)), InvalidInputError)
  })

  test('the client may pick any standing bid while the intent is open', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const order = await openIntent(w)
    await bid(w, 0, order, ether(90))
    await bid(w, 1, order, ether(80))
    await expectRevert(pickBid(w.clientFor(keeper), { ...order, vault: ops[0]!.vault }), 'NotClient', [
      keeper.address,
    ])
    await expectRevert(pickBid(w.clientFor(client), { ...order, vault: ops[2]!.vault }), 'NoBid', [
      order.orderId,
      ops[2]!.vault,
    ])
    await assert.rejects(pickBid(w.clientFor(client), { ...order, vault: zeroAddress }), InvalidInputError)
    const before = await w.balanceOf(client.address)
    const picked = await pickBid(w.clientFor(client), { ...order, vault: ops[0]!.vault })
    assert.deepEqual(picked.result, {
      vault: ops[0]!.vault,
      price: ether(90),
      collateral: full(ether(90)),
      refund: ether(10),
    })
    assert.equal(await w.balanceOf(client.address), before + ether(10))
    assert.equal((await readReputation(w, ops[0]!.vault, svc.serviceId)).reserved, full(ether(90)))
    await expectRevert(acceptOrder(w.clientFor(keeper), order), 'WrongOrderStatus', [order.orderId, 2])

    const named = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      vault: ops[1]!.vault,
      budget: BUDGET,
    })
    await expectRevert(pickBid(w.clientFor(client), { ...named, vault: ops[1]!.vault }), 'NotAnIntent', [
      named.orderId,
    ])
  })

  test('a bid that passed its simulation but was mined after the window closed says which rule it broke', async () => {
    const w = world()
    const order = await openIntent(w)
    // the head is inside the window, so the SDK's simulation passes; the block that mines the bid is the first
    // past it (another bidder or a slow wallet in real life)
    await w.test.setAutomine(false)
    try {
      const failed = bid(w, 0, order, ether(50)).then(
        () => undefined,
        (e: unknown) => e,
      )
      while ((await w.test.getTxpoolStatus()).pending === 0) await new Promise((r) => setTimeout(r, 20))
      await w.test.setNextBlockTimestamp({ timestamp: BigInt(order.params.biddingEnds) })
      await w.test.mine({ blocks: 1 })
      const error = await failed
      assert.ok(error instanceof ContractRevertedError, String(error))
      assert.equal(error.errorName, 'BiddingClosed')
      assert.match(error.message, /^bid reverted on chain: BiddingClosed\(\d+, \d+\)$/)
    } finally {
      await w.test.setAutomine(true)
    }
  })

  test('an intent nobody bid on cannot be accepted, only cancelled', async () => {
    const w = world()
    const { client, keeper } = fixture()
    const order = await openIntent(w)
    await travelTo(w, BigInt(order.params.biddingEnds))
    await expectRevert(acceptOrder(w.clientFor(keeper), order), 'NoBids', [order.orderId])
    assert.equal((await cancelOrder(w.clientFor(client), order)).result.refund, BUDGET)
  })

  test('acceptance checks the vault-wide room: two winning bids cannot hold the same stake', async () => {
    const w = world()
    const { ops, svc, keeper } = fixture()
    // a stated value of 10,000 makes each order need 15,000 of collateral, whatever its price
    const { client } = fixture()
    const valued = () =>
      openTestOrder(w, client, { serviceId: svc.serviceId, budget: BUDGET, value: parseEther('10000') })
    const first = await valued()
    const second = await valued()
    const collateral = parseEther('15000')
    await bid(w, 0, first, ether(100), collateral)
    await bid(w, 0, second, ether(100), collateral) // a bid reserves nothing yet
    await travelTo(w, BigInt(second.params.biddingEnds))
    await acceptOrder(w.clientFor(keeper), first)
    const room = parseEther('20000') - collateral
    assert.equal((await readReputation(w, ops[0]!.vault, svc.serviceId)).room, room)
    await expectRevert(acceptOrder(w.clientFor(keeper), second), 'CollateralUnavailable', [
      svc.serviceId,
      collateral,
      room,
    ])
  })

  test('an intent can be accepted only until a day after its window, by anyone or by the client’s pick', async () => {
    const w = world()
    const { client, svc, keeper, ops } = fixture()
    // a week to the deadline: only the acceptance window stops these orders; one bidding end for both (opened in
    // two blocks, they could otherwise straddle a second)
    const biddingEnds = Number(await w.now()) + 3600
    const late = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      biddingEnds,
      duration: 7 * DAY,
    })
    const inTime = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      biddingEnds,
      duration: 7 * DAY,
    })
    await bid(w, 0, late, ether(90))
    await bid(w, 1, late, ether(80))
    await bid(w, 0, inTime, ether(90))
    const ends = BigInt(late.params.biddingEnds)
    assert.equal(BigInt(inTime.params.biddingEnds), ends)

    // an hour before the acceptance window closes: still fine
    await travelTo(w, ends + BigInt(ACCEPTANCE_WINDOW) - 3600n)
    const accepted = await acceptOrder(w.clientFor(keeper), inTime)
    assert.equal(accepted.result.vault, ops[0]!.vault)

    await travelTo(w, ends + BigInt(ACCEPTANCE_WINDOW) + 1n)
    const closes = ends + BigInt(ACCEPTANCE_WINDOW)
    await expectRevert(acceptOrder(w.clientFor(keeper), late), 'AcceptanceClosed', [late.orderId, closes])
    await expectRevert(pickBid(w.clientFor(client), { ...late, vault: ops[0]!.vault }), 'AcceptanceClosed', [
      late.orderId,
      closes,
    ])
    // the bids bind nobody any more; the client takes its budget back
    assert.equal((await readOrder(w, late.orderId)).status, 'Open')
    assert.equal((await cancelOrder(w.clientFor(client), late)).result.refund, BUDGET)
  })

  test('a vault that could reserve nothing on the service (unallocated, jailed) may not bid, even for no collateral', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    // a service that asks no collateral, which no vault has allocated to yet
    const free = await setupService(w, {
      params: { orderFeeBps: 100, collateralFactorBps: 0, collateralFloorBps: 0 },
    })
    const order = await openTestOrder(w, client, { serviceId: free.serviceId, budget: BUDGET })
    await expectRevert(bid(w, 0, order, ether(50), 0n), 'CollateralUnavailable', [0n, 0n])
    await allocateNow(w, ops[0]!.operator, ops[0]!.vault, free.serviceId, ether(1000))
    // the allocation took its exposure delay to apply: a new order, and now the vault may bid
    const later = await openTestOrder(w, client, { serviceId: free.serviceId, budget: BUDGET })
    const placed = await bid(w, 0, later, ether(50), 0n)
    assert.deepEqual([placed.result.price, placed.result.collateral], [ether(50), 0n])

    // operator 1 is jailed on the main service (an executed slash of a class with a jail): no room there
    const report = {
      serviceId: svc.serviceId,
      vault: ops[1]!.vault,
      classId: 1, // WRONG_OUTPUT: 7 days of jail
      incidentId: incident('op1 wrong output'),
      client: client.address,
    }
    const { result } = await reportSlash(w, svc.attesters.slice(0, 3), report)
    await travelTo(w, result.disputeEnd + 1n)
    await executeSlash(w.clientFor(keeper), { details: result.details })
    const intent = await openIntent(w)
    await expectRevert(bid(w, 1, intent, ether(50)), 'CollateralUnavailable', [full(ether(50)), 0n])
    await bid(w, 2, intent, ether(60)) // the others still bid
  })
})
