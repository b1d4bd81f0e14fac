/**
 * OrderBook leases on the real chain: funds stream per second from acceptance, settled lazily by anyone (the fee
 * taken on the cumulative amount, so frequent settling does not round it up each time), the lease completes when
 * its funds run out; attested downtime fails it (streamed part credited to the operator, rest credited to the
 * client, the collateral slashed); an intent lease is bid in rates, never so low that it would stream past
 * MAX_DURATION; cancellation by both parties credits what streamed first.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { getAddress, maxUint256, parseEther } from 'viem'
import { InvalidInputError } from '../src/errors.ts'
import {
  acceptOrder,
  agreeCancelOrder,
  approveToken,
  bidOnOrder,
  confirmMilestone,
  expireOrder,
  orderBookAbi,
  readOrder,
  readReputation,
  readUnsweptFees,
  settleLease,
  withdrawOwed,
} from '../src/sdk/index.ts'
import { travelTo, txTime } from './support/court.ts'
import { expectRevert, readOrRevert } from './support/expectRevert.ts'
import {
  attestOutcome,
  deployPaymentToken,
  leaseFee,
  openAcceptedJob,
  openTestOrder,
  orderBookRaw,
  orderFee,
  owedOf,
  requiredCollateral,
  scoreAfterSuccess,
  setupOrders,
  tokenBalance,
} from './support/orders.ts'
import { useWorld, type World } from './support/world.ts'

const { world, fixture } = useWorld(setupOrders)
const RATE = parseEther('0.001') + 1n
// 1,000 seconds of streaming and 7 wei: the last second streams a partial amount
const BUDGET = RATE * 1000n + 7n
const COLLATERAL = requiredCollateral(BUDGET, 15_000, 5_000, 0n)
const ALLOCATED = parseEther('20000')
const MAX_DURATION = 365n * 86_400n

async function acceptedLease(w: World) {
  const { client, ops, svc } = fixture()
  const lease = await openAcceptedJob(w, client, ops[0]!, {
    serviceId: svc.serviceId,
    budget: BUDGET,
    ratePerSecond: RATE,
  })
  return { ...lease, startedAt: BigInt((await readOrder(w, lease.orderId)).startedAt) }
}

const streamed = (from: bigint, to: bigint, rate = RATE) => {
  const s = rate * (to - from)
  return s < BUDGET ? s : BUDGET
}

describe('OrderBook: leases', () => {
  test('streams per second, settled by anyone, completes when the funds run out', async () => {
    const w = world()
    const { ops, svc, keeper } = fixture()
    const op = ops[0]!
    const lease = await acceptedLease(w)
    assert.equal(lease.acceptance.collateral, COLLATERAL, 'a lease is collateralised on all its funds')
    assert.equal(lease.acceptance.refund, 0n)
    const opBefore = await w.balanceOf(op.operator.address)

    await travelTo(w, lease.startedAt + 100n)
    const first = await settleLease(w.clientFor(keeper), lease)
    const due1 = streamed(lease.startedAt, await txTime(w, first))
    assert.deepEqual(first.result, {
      amount: due1,
      fee: orderFee(due1, 100),
      streamed: due1,
      completed: false,
    })
    // a second settlement in the same block has nothing to pay
    await expectRevert(
      readOrRevert(w, {
        address: w.addresses.orders,
        abi: orderBookAbi,
        functionName: 'settleLease',
        args: [lease.orderId, lease.params],
      }),
      'NothingToSettle',
      [lease.orderId],
    )

    await travelTo(w, lease.startedAt + 400n)
    const second = await settleLease(w.clientFor(keeper), lease)
    const total2 = streamed(lease.startedAt, await txTime(w, second))
    assert.equal(second.result.amount, total2 - due1)
    assert.equal(second.result.fee, leaseFee(due1, total2 - due1, 100))
    assert.equal(second.result.streamed, total2)
    assert.equal((await readOrder(w, lease.orderId)).paid, total2)

    await travelTo(w, lease.startedAt + 5000n)
    const last = await settleLease(w.clientFor(keeper), lease)
    assert.deepEqual(last.result, {
      amount: BUDGET - total2,
      fee: leaseFee(total2, BUDGET - total2, 100),
      streamed: BUDGET,
      completed: true,
    })
    // the fees of all settlements are the fee of the whole budget, rounded up once
    const fees = first.result.fee + second.result.fee + last.result.fee
    assert.equal(fees, orderFee(BUDGET, 100))
    assert.equal(await w.balanceOf(op.operator.address), opBefore + BUDGET - fees)
    assert.equal(await readUnsweptFees(w, svc.serviceId), fees)
    assert.equal((await readOrder(w, lease.orderId)).status, 'Completed')
    const rep = await readReputation(w, op.vault, svc.serviceId)
    assert.deepEqual(
      [rep.reserved, rep.successes, rep.score],
      [0n, 1n, scoreAfterSuccess(0n, COLLATERAL, orderFee(BUDGET, 100), ALLOCATED)],
    )
    await expectRevert(settleLease(w.clientFor(keeper), lease), 'WrongOrderStatus', [lease.orderId, 3])
  })

  test('attested downtime fails a lease: the streamed part and the rest are credited, the collateral slashed', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const lease = await acceptedLease(w)
    const attesters = svc.attesters.slice(1, 4)
    await expectRevert(attestOutcome(w, attesters, lease, { success: true }), 'NotAJob', [lease.orderId])
    await travelTo(w, lease.startedAt + 250n)
    const clientBefore = await w.balanceOf(client.address)
    const opBefore = await w.balanceOf(ops[0]!.operator.address)
    const reported = await attestOutcome(w, attesters, lease, { success: false, classId: 0 })
    assert.ok(!reported.result.success)
    const failure = reported.result.failure
    const due = streamed(lease.startedAt, await txTime(w, reported))
    assert.deepEqual(failure.leasePayment, {
      amount: due,
      fee: orderFee(due, 100),
      streamed: due,
      completed: false,
    })
    assert.equal(failure.refund, BUDGET - due)
    assert.equal(failure.slashAmount, COLLATERAL)
    const stake = getAddress(w.addresses.stakeToken)
    const operator = ops[0]!.operator.address
    assert.deepEqual(failure.credits, [
      { token: stake, account: operator, amount: due - orderFee(due, 100) },
      { token: stake, account: client.address, amount: BUDGET - due },
    ])
    // nothing was sent: both withdraw what they are owed (the fee went to the service's pot)
    assert.equal(await w.balanceOf(client.address), clientBefore)
    assert.equal(await w.balanceOf(operator), opBefore)
    assert.equal(await owedOf(w, operator), due - orderFee(due, 100))
    assert.equal(await readUnsweptFees(w, svc.serviceId), orderFee(due, 100))
    await withdrawOwed(w.clientFor(client), { token: stake })
    await withdrawOwed(w.clientFor(ops[0]!.operator), { token: stake })
    assert.equal(await w.balanceOf(client.address), clientBefore + BUDGET - due)
    assert.equal(await w.balanceOf(operator), opBefore + due - orderFee(due, 100))
    assert.deepEqual([await owedOf(w, client.address), await owedOf(w, operator)], [0n, 0n])
    const order = await readOrder(w, lease.orderId)
    assert.deepEqual([order.status, order.paid], ['Failed', BUDGET])
    assert.equal((await readReputation(w, ops[0]!.vault, svc.serviceId)).failures, 1n)
    await expectRevert(settleLease(w.clientFor(keeper), lease), 'WrongOrderStatus', [lease.orderId, 4])
  })

  test('job-only and lease-only entry points refuse the other kind', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const lease = await acceptedLease(w)
    await assert.rejects(confirmMilestone(w.clientFor(client), lease), InvalidInputError)
    await assert.rejects(expireOrder(w.clientFor(keeper), lease), InvalidInputError)
    await expectRevert(orderBookRaw(w, client, 'confirm', [lease.orderId, lease.params]), 'NotAJob', [
      lease.orderId,
    ])
    await expectRevert(orderBookRaw(w, keeper, 'expire', [lease.orderId, lease.params]), 'NotAJob', [
      lease.orderId,
    ])
    const job = await openAcceptedJob(w, client, ops[1]!, { serviceId: svc.serviceId, budget: BUDGET })
    await assert.rejects(settleLease(w.clientFor(keeper), job), InvalidInputError)
    await expectRevert(orderBookRaw(w, keeper, 'settleLease', [job.orderId, job.params]), 'NotALease', [
      job.orderId,
    ])
  })

  test('an intent lease is bid in rates; the winning rate streams the whole budget', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const order = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      ratePerSecond: RATE,
    })
    const c = w.clientFor(ops[1]!.operator)
    await expectRevert(
      orderBookRaw(w, ops[1]!.operator, 'bid', [order.orderId, order.params, RATE + 1n, COLLATERAL]),
      'PriceAboveBudget',
      [RATE + 1n, RATE],
    )
    const required = requiredCollateral(BUDGET, 15_000, 5_000, 0n)
    await expectRevert(
      bidOnOrder(c, { ...order, price: RATE / 2n, collateral: required - 1n }),
      'CollateralBelowRequirement',
      [required - 1n, required],
    )
    const rate = RATE / 2n
    await bidOnOrder(c, { ...order, price: rate, collateral: required })
    await travelTo(w, BigInt(order.params.biddingEnds))
    const accepted = await acceptOrder(w.clientFor(keeper), order)
    assert.deepEqual(accepted.result, { vault: ops[1]!.vault, price: rate, collateral: required, refund: 0n })
    const start = await txTime(w, accepted)
    await travelTo(w, start + 10n)
    const settled = await settleLease(w.clientFor(keeper), order)
    assert.equal(settled.result.amount, streamed(start, await txTime(w, settled), rate))
  })

  test('a lease cancelled by both parties credits what streamed, then the rest to the client', async () => {
    const w = world()
    const { client, ops } = fixture()
    const operator = ops[0]!.operator
    const lease = await acceptedLease(w)
    await agreeCancelOrder(w.clientFor(operator), lease)
    await travelTo(w, lease.startedAt + 30n)
    const before = await w.balanceOf(client.address)
    const opBefore = await w.balanceOf(operator.address)
    const done = await agreeCancelOrder(w.clientFor(client), lease)
    const due = streamed(lease.startedAt, await txTime(w, done))
    const stake = getAddress(w.addresses.stakeToken)
    assert.deepEqual(done.result, {
      cancelled: true,
      refund: BUDGET - due,
      leasePayment: { amount: due, fee: orderFee(due, 100), streamed: due, completed: false },
      credits: [
        { token: stake, account: operator.address, amount: due - orderFee(due, 100) },
        { token: stake, account: client.address, amount: BUDGET - due },
      ],
    })
    assert.equal(await w.balanceOf(client.address), before)
    assert.equal(await w.balanceOf(operator.address), opBefore)
    await withdrawOwed(w.clientFor(client), { token: stake })
    await withdrawOwed(w.clientFor(operator), { token: stake })
    assert.equal(await w.balanceOf(client.address), before + BUDGET - due)
    assert.equal(await w.balanceOf(operator.address), opBefore + due - orderFee(due, 100))
  })

  test('settling often rounds the fee up once: it is taken on the cumulative amount', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    // 101 wei a second at a 1% fee: each second's fee alone would round 1.01 up to 2
    const rate = 101n
    const budget = rate * 10_000n
    const lease = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget,
      ratePerSecond: rate,
    })
    let paid = 0n
    let fees = 0n
    let alone = 0n
    for (let i = 0; i < 25; i++) {
      await w.travel(1)
      const { result } = await settleLease(w.clientFor(keeper), lease)
      assert.equal(result.streamed, paid + result.amount)
      assert.equal(result.fee, leaseFee(paid, result.amount, 100), `settlement ${i}`)
      paid = result.streamed
      fees += result.fee
      alone += orderFee(result.amount, 100)
    }
    assert.equal(fees, orderFee(paid, 100), 'the fee of all that streamed, rounded up once')
    assert.ok(fees < alone, `cumulative fees ${fees} < ${alone} had each settlement rounded up on its own`)
    assert.equal(await readUnsweptFees(w, svc.serviceId), fees)
    assert.equal((await readOrder(w, lease.orderId)).paid, paid)
  })

  test('a failed lease in another token credits the service owner its fee, the operator and the client theirs', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const operator = ops[0]!.operator
    const usd = await deployPaymentToken(w, [client], 10n ** 24n)
    await approveToken(w.clientFor(client), { token: usd, spender: w.addresses.orders, amount: maxUint256 })
    const rate = 1_000_003n // odd, so the fee rounds
    const budget = rate * 3600n
    const lease = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      paymentToken: usd,
      value: parseEther('3600'),
      budget,
      ratePerSecond: rate,
    })
    const startedAt = BigInt((await readOrder(w, lease.orderId)).startedAt)
    await travelTo(w, startedAt + 600n)
    const reported = await attestOutcome(w, svc.attesters.slice(0, 3), lease, { success: false })
    assert.ok(!reported.result.success)
    const due = rate * ((await txTime(w, reported)) - startedAt)
    const fee = orderFee(due, 100)
    assert.deepEqual(reported.result.failure.credits, [
      { token: usd, account: svc.owner.address, amount: fee },
      { token: usd, account: operator.address, amount: due - fee },
      { token: usd, account: client.address, amount: budget - due },
    ])
    assert.equal(await tokenBalance(w, usd, svc.owner.address), 0n, 'credited, not sent')
    assert.equal(await tokenBalance(w, usd, w.addresses.orders), budget)
    for (const [who, amount] of [
      [svc.owner, fee],
      [operator, due - fee],
    ] as const) {
      assert.equal(await owedOf(w, who.address, usd), amount)
      assert.equal((await withdrawOwed(w.clientFor(who), { token: usd })).result.amount, amount)
      assert.equal(await tokenBalance(w, usd, who.address), amount)
    }
    await withdrawOwed(w.clientFor(client), { token: usd })
    assert.equal(await tokenBalance(w, usd, w.addresses.orders), 0n, 'the escrow is all paid out')
    assert.equal(await owedOf(w, client.address), 0n, 'nothing owed in the stake token')
  })

  test('a lease bid must stream its budget within MAX_DURATION', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const order = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      ratePerSecond: RATE,
    })
    const c = w.clientFor(ops[1]!.operator)
    // the slowest rate that still streams the budget within a year (budget / rate ≤ MAX_DURATION, rounded
    // down), and one wei a second slower
    const tooSlow = BUDGET / (MAX_DURATION + 1n)
    const slowest = tooSlow + 1n
    assert.ok(BUDGET / tooSlow > MAX_DURATION && BUDGET / slowest <= MAX_DURATION)
    await expectRevert(bidOnOrder(c, { ...order, price: tooSlow, collateral: COLLATERAL }), 'LeaseTooLong', [
      BUDGET / tooSlow,
    ])
    const placed = await bidOnOrder(c, { ...order, price: slowest, collateral: COLLATERAL })
    assert.equal(placed.result.price, slowest)
  })
})
