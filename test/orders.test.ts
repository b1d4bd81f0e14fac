/**
 * OrderBook jobs on the real chain: a named job paid by milestones (fee rounded up, swept to the service's
 * stakers, also before any allocation change), collateral reserved and released, reputation-priced collateral and
 * its decay, success steps weighted by collateral, cancellation (mutual consent lapses; refunds are credited and
 * withdrawn), result commitments, a foreign payment token, the EIP-712 outcome digest and the read models.
 * Expected amounts come from the formula mirrors in test/support/orders.ts.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { getAddress, keccak256, maxUint256, parseEther, toHex, zeroAddress, zeroHash } from 'viem'
import { InvalidInputError } from '../src/errors.ts'
import {
  acceptOrder,
  agreeCancelOrder,
  allocate,
  applyAllocation,
  approveToken,
  CONSENT_WINDOW,
  cancelOrder,
  claimRewards,
  commitResult,
  confirmMilestone,
  expireOrder,
  openOrder,
  operatorVaultAbi,
  orderBookAbi,
  orderOutcomeDigest,
  orderParams,
  orderTerms,
  readClaimableRewards,
  readOpenOrders,
  readOrder,
  readOrders,
  readReputation,
  readRequiredCollateral,
  readUnsweptFees,
  readVault,
  sweepFees,
  verifyOrderOutcome,
  withdrawOwed,
} from '../src/sdk/index.ts'
import { travelTo, txTime } from './support/court.ts'
import { eventsOf, expectRevert, readOrRevert } from './support/expectRevert.ts'
import { DAY } from './support/fixtures.ts'
import {
  attestOutcome,
  decayScore,
  deployPaymentToken,
  openAcceptedJob,
  openTestOrder,
  orderBookRaw,
  orderDomain,
  orderFee,
  owedOf,
  requiredCollateral,
  rewardShare,
  scoreAfterSuccess,
  setupOrders,
  signOutcome,
  successWeightBps,
  tokenBalance,
} from './support/orders.ts'
import { useWorld, type World } from './support/world.ts'

const { world, fixture } = useWorld(setupOrders)
// an odd budget so every rounding shows in the wei: 20% of it is 20 ether + 1.4 wei
const BUDGET = parseEther('100') + 7n
const ALLOCATED = parseEther('20000')

/**
 * Opens and completes a one-milestone job of `op` (index) so it earns reputation; returns the completion time and
 * the collateral the job held (it weighs the success step).
 */
async function completeJob(w: World, op = 0, budget = parseEther('10')) {
  const { client, ops, svc } = fixture()
  const job = await openAcceptedJob(w, client, ops[op]!, { serviceId: svc.serviceId, budget })
  const at = await txTime(w, await confirmMilestone(w.clientFor(client), job))
  // the stake-token fee the whole order paid the stakers, which weighs the success with the collateral
  return { at, collateral: job.acceptance.collateral, fee: orderFee(budget, 100) }
}

describe('OrderBook: named jobs', () => {
  test('a 20/80 job confirmed by the client pays the operator less a rounded-up fee; fees reach the stakers', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const op = ops[0]!
    const clientBefore = await w.balanceOf(client.address)
    const job = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      vault: op.vault,
      budget: BUDGET,
      milestones: [2000, 8000],
    })
    assert.equal(await w.balanceOf(client.address), clientBefore - BUDGET, 'the budget is escrowed')
    assert.equal(await w.balanceOf(w.addresses.orders), BUDGET)

    const collateral = requiredCollateral(BUDGET, 15_000, 5_000, 0n)
    assert.equal(collateral, parseEther('150') + 11n, '150% of the price, rounded up')
    const accepted = await acceptOrder(w.clientFor(op.operator), job)
    assert.deepEqual(accepted.result, { vault: op.vault, price: BUDGET, collateral, refund: 0n })
    const held = await readReputation(w, op.vault, svc.serviceId)
    assert.equal(held.reserved, collateral)
    assert.equal(held.room, ALLOCATED - collateral)
    assert.equal(
      await readOrRevert(w, { address: op.vault, abi: operatorVaultAbi, functionName: 'totalReserved' }),
      collateral,
    )

    await expectRevert(confirmMilestone(w.clientFor(keeper), job), 'NotClient', [keeper.address])
    const first = BUDGET / 5n // floor(BUDGET × 2000 / 10000)
    assert.equal(first, parseEther('20') + 1n)
    const fee0 = orderFee(first, 100)
    assert.equal(fee0, parseEther('0.2') + 1n, 'the fee rounds up')
    const opBefore = await w.balanceOf(op.operator.address)
    const paid0 = await confirmMilestone(w.clientFor(client), job)
    assert.deepEqual(paid0.result, {
      milestone: 0,
      amount: first,
      fee: fee0,
      byAttesters: false,
      completed: false,
    })
    assert.equal(await w.balanceOf(op.operator.address), opBefore + first - fee0)
    assert.equal((await readOrder(w, job.orderId)).status, 'Active')
    assert.equal(
      (await readReputation(w, op.vault, svc.serviceId)).reserved,
      collateral,
      'held until the end',
    )

    const last = BUDGET - first // the last milestone takes the remainder
    const fee1 = orderFee(last, 100)
    const paid1 = await confirmMilestone(w.clientFor(client), job)
    assert.equal(paid1.result.amount, last)
    assert.equal(paid1.result.fee, fee1)
    assert.equal(paid1.result.completed, true)
    assert.equal(await w.balanceOf(op.operator.address), opBefore + BUDGET - fee0 - fee1)
    const order = await readOrder(w, job.orderId)
    assert.equal(order.status, 'Completed')
    assert.equal(order.settled, 2)
    assert.equal(order.paid, BUDGET)
    const after = await readReputation(w, op.vault, svc.serviceId)
    assert.deepEqual(
      [after.reserved, after.room, after.score, after.successes, after.failures],
      [0n, ALLOCATED, scoreAfterSuccess(0n, collateral, orderFee(BUDGET, 100), ALLOCATED), 1n, 0n],
    )
    // 150 of collateral is 0.75% of the 20,000 allocated (three quarters of the full 10% step), but the 1 of fee
    // paid is 0.005% of it (half the step): the lesser counts
    assert.equal(successWeightBps(collateral, orderFee(BUDGET, 100), ALLOCATED), 5000n)
    assert.equal(after.score, 500n)

    // the fees wait in the order book's pot until anyone sweeps them to the stakers of the service
    const fees = fee0 + fee1
    assert.equal(await readUnsweptFees(w, svc.serviceId), fees)
    assert.equal(await w.balanceOf(w.addresses.orders), fees)
    assert.equal(await readClaimableRewards(w, svc.serviceId, op.vault), 0n)
    const swept = await sweepFees(w.clientFor(keeper), { serviceId: svc.serviceId })
    assert.equal(swept.result, fees)
    assert.equal(await readUnsweptFees(w, svc.serviceId), 0n)
    assert.equal(await w.balanceOf(w.addresses.orders), 0n, 'the order book holds nothing of a finished job')
    const total = ALLOCATED * 3n
    for (const v of ops) {
      assert.equal(await readClaimableRewards(w, svc.serviceId, v.vault), rewardShare(ALLOCATED, fees, total))
    }
    assert.equal((await sweepFees(w.clientFor(keeper), { serviceId: svc.serviceId })).result, 0n)

    // claiming puts the operator's commission (10%, rounded down) into its bond, the rest into the pool
    const vaultBefore = await readVault(w, op.vault)
    const claimed = await claimRewards(w.clientFor(keeper), { vault: op.vault, serviceId: svc.serviceId })
    const earned = rewardShare(ALLOCATED, fees, total)
    assert.deepEqual(claimed.result, { amount: earned, commission: (earned * 1000n) / 10_000n })
    const vaultAfter = await readVault(w, op.vault)
    assert.equal(vaultAfter.bondAssets, vaultBefore.bondAssets + claimed.result.commission)
    assert.equal(vaultAfter.poolAssets, vaultBefore.poolAssets + earned - claimed.result.commission)
  })

  test('open writes the service terms in force over whatever the client passed', async () => {
    const w = world()
    const { client, svc } = fixture()
    const params = orderParams({
      client: client.address,
      serviceId: svc.serviceId,
      paymentToken: w.addresses.stakeToken,
      budget: BUDGET,
      now: await w.now(),
    })
    const opened = await openOrder(w.clientFor(client), {
      params: { ...params, feeBps: 4999, collateralFactorBps: 1, collateralFloorBps: 10_000 },
    })
    assert.deepEqual(opened.result.params, {
      ...params,
      feeBps: 100,
      collateralFactorBps: 15_000,
      collateralFloorBps: 5_000,
    })
    assert.equal(opened.result.orderId, 1n)
    assert.equal((await readOrder(w, 1n)).status, 'Open')
  })

  test('the operator must accept before biddingEnds and before anyone else; stale params are refused', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const job = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      vault: ops[0]!.vault,
      budget: BUDGET,
    })
    await expectRevert(acceptOrder(w.clientFor(ops[1]!.operator), job), 'NotOrderOperator', [
      ops[1]!.operator.address,
    ])
    await expectRevert(
      acceptOrder(w.clientFor(ops[0]!.operator), { ...job, params: { ...job.params, budget: 1n } }),
      'ParamsMismatch',
      [job.orderId],
    )
    await expectRevert(
      acceptOrder(w.clientFor(ops[0]!.operator), { ...job, orderId: 99n }),
      'OrderNotFound',
      [99n],
    )
    await travelTo(w, BigInt(job.params.biddingEnds) + 1n)
    await expectRevert(acceptOrder(w.clientFor(ops[0]!.operator), job), 'AcceptanceClosed', [
      job.orderId,
      BigInt(job.params.biddingEnds),
    ])
  })

  test('collateral = value × factor × reputation discount, from the decayed score', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const op = ops[0]!
    const { at: t1, collateral: c1, fee: f1 } = await completeJob(w)
    const { at: t2, collateral: c2, fee: f2 } = await completeJob(w)
    const score1 = scoreAfterSuccess(0n, c1, f1, ALLOCATED)
    const score2 = scoreAfterSuccess(decayScore(score1, t2 - t1), c2, f2, ALLOCATED)
    assert.equal((await readReputation(w, op.vault, svc.serviceId)).score, score2)
    assert.equal((await readReputation(w, op.vault, svc.serviceId)).successes, 2n)

    // 45 days later: one halving and half of the next half-life's chord
    await travelTo(w, t2 + 45n * BigInt(DAY))
    const decayed = decayScore(score2, 45n * BigInt(DAY))
    assert.equal(decayed, ((score2 / 2n) * 3n) / 4n)
    assert.equal((await readReputation(w, op.vault, svc.serviceId)).score, decayed)

    const job = await openTestOrder(w, client, { serviceId: svc.serviceId, vault: op.vault, budget: BUDGET })
    const now = await w.now()
    const view = await readRequiredCollateral(w, { params: job.params, vault: op.vault, price: BUDGET })
    assert.equal(view, requiredCollateral(BUDGET, 15_000, 5_000, decayScore(score2, now - t2)))
    assert.ok(view < requiredCollateral(BUDGET, 15_000, 5_000, 0n), 'reputation lowers the requirement')
    assert.ok(view > requiredCollateral(BUDGET, 15_000, 5_000, 10_000n), 'never below the floor')
    const accepted = await acceptOrder(w.clientFor(op.operator), job)
    const at = await txTime(w, accepted)
    assert.equal(
      accepted.result.collateral,
      requiredCollateral(BUDGET, 15_000, 5_000, decayScore(score2, at - t2)),
    )
    // a vault with no history pays the full factor
    assert.equal(
      await readRequiredCollateral(w, { params: job.params, vault: ops[1]!.vault, price: BUDGET }),
      requiredCollateral(BUDGET, 15_000, 5_000, 0n),
    )
  })
})

describe('OrderBook: success weighting and fees', () => {
  test('a success is weighted by the collateral and the fee paid: a dust order earns a sliver, a real one a full step', async () => {
    const w = world()
    const { ops, svc } = fixture()
    const op = ops[0]!
    // 1 of price holds 1.5 of collateral (75 bps of a step) and pays 0.01 of fee, 0.00005% of the allocation
    // (50 bps of a step): the lesser, 10,000 × 10% × 0.5% = 5
    const dust = await completeJob(w, 0, parseEther('1'))
    assert.equal(dust.collateral, parseEther('1.5'))
    assert.equal(successWeightBps(dust.collateral, 0n, ALLOCATED), 0n, 'a free order earns nothing')
    assert.equal(successWeightBps(dust.collateral, dust.fee, ALLOCATED), 50n)
    const afterDust = scoreAfterSuccess(0n, dust.collateral, dust.fee, ALLOCATED)
    assert.equal(afterDust, 5n, 'rounded down')
    assert.equal((await readReputation(w, op.vault, svc.serviceId)).score, afterDust)
    // ten more dust orders still leave it far below a single full step
    let score = afterDust
    let last = dust.at
    for (let i = 0; i < 10; i++) {
      const next = await completeJob(w, 0, parseEther('1'))
      score = scoreAfterSuccess(decayScore(score, next.at - last), next.collateral, next.fee, ALLOCATED)
      last = next.at
    }
    const rep = await readReputation(w, op.vault, svc.serviceId)
    assert.deepEqual([rep.score, rep.successes], [score, 11n])
    assert.ok(score < 100n, `eleven dust orders earn ${score}, under a tenth of one full step`)

    // an order whose collateral is at least 1% of the allocation (200) and whose fee is at least 0.01% of it (2)
    // takes the whole 10% step
    const big = await completeJob(w, 0, parseEther('200'))
    assert.ok(big.collateral >= ALLOCATED / 100n && big.fee >= ALLOCATED / 10_000n)
    assert.equal(successWeightBps(big.collateral, big.fee, ALLOCATED), 10_000n)
    const full = scoreAfterSuccess(decayScore(score, big.at - last), big.collateral, big.fee, ALLOCATED)
    assert.equal(full, decayScore(score, big.at - last) + (10_000n - decayScore(score, big.at - last)) / 10n)
    assert.equal((await readReputation(w, op.vault, svc.serviceId)).score, full)
  })

  test('a change of allocation first sweeps the fees earned before it to the stake that earned them', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const job = await openAcceptedJob(w, client, ops[0]!, { serviceId: svc.serviceId, budget: BUDGET })
    const paid = await confirmMilestone(w.clientFor(client), job)
    const fees = paid.result.fee
    assert.equal(await readUnsweptFees(w, svc.serviceId), fees)
    // operator 1's increase of 10,000 (queued earlier) applies just before anyone sweeps: it must not take a larger
    // share of these fees
    await allocate(w.clientFor(ops[1]!.operator), {
      vault: ops[1]!.vault,
      serviceId: svc.serviceId,
      increase: parseEther('10000'),
    })
    await w.travel(14 * DAY)
    assert.equal(await readUnsweptFees(w, svc.serviceId), fees)
    await applyAllocation(w.clientFor(ops[1]!.operator), { vault: ops[1]!.vault, serviceId: svc.serviceId })
    assert.equal(await readUnsweptFees(w, svc.serviceId), 0n, 'swept by the allocation change')
    assert.equal(await w.balanceOf(w.addresses.orders), 0n)
    const before = ALLOCATED * 3n // what was allocated when the fees were earned
    for (const v of ops) {
      assert.equal(
        await readClaimableRewards(w, svc.serviceId, v.vault),
        rewardShare(ALLOCATED, fees, before),
        'an equal share for each of the three equal allocations',
      )
    }
    assert.equal((await sweepFees(w.clientFor(client), { serviceId: svc.serviceId })).result, 0n)
  })
})

describe('OrderBook: cancellation and commitments', () => {
  test('before acceptance only the client cancels, for a full refund', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const before = await w.balanceOf(client.address)
    const job = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      vault: ops[0]!.vault,
      budget: BUDGET,
    })
    await expectRevert(cancelOrder(w.clientFor(keeper), job), 'NotClient', [keeper.address])
    await expectRevert(agreeCancelOrder(w.clientFor(client), job), 'WrongOrderStatus', [job.orderId, 1])
    const cancelled = await cancelOrder(w.clientFor(client), job)
    assert.equal(cancelled.result.refund, BUDGET)
    assert.equal(await w.balanceOf(client.address), before)
    assert.equal((await readOrder(w, job.orderId)).status, 'Cancelled')
    await expectRevert(acceptOrder(w.clientFor(ops[0]!.operator), job), 'WrongOrderStatus', [job.orderId, 5])
  })

  test('after acceptance it takes both client and operator: unpaid rest credited, collateral freed, score kept', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const op = ops[0]!
    const warm = await completeJob(w)
    const job = await openAcceptedJob(w, client, op, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      milestones: [2000, 8000],
    })
    await confirmMilestone(w.clientFor(client), job)
    await expectRevert(cancelOrder(w.clientFor(client), job), 'WrongOrderStatus', [job.orderId, 2])
    await expectRevert(agreeCancelOrder(w.clientFor(keeper), job), 'NotOrderOperator', [keeper.address])
    const before = await w.balanceOf(client.address)
    const one = await agreeCancelOrder(w.clientFor(client), job)
    assert.deepEqual(one.result, { cancelled: false, refund: 0n, leasePayment: undefined, credits: [] })
    assert.equal((await readOrder(w, job.orderId)).status, 'Active')
    // the same party agreeing twice is still one party
    assert.equal((await agreeCancelOrder(w.clientFor(client), job)).result.cancelled, false)
    const both = await agreeCancelOrder(w.clientFor(op.operator), job)
    const rest = BUDGET - BUDGET / 5n
    assert.deepEqual(both.result, {
      cancelled: true,
      refund: rest,
      leasePayment: undefined,
      credits: [{ token: getAddress(w.addresses.stakeToken), account: client.address, amount: rest }],
    })
    // credited, not sent: the client withdraws it
    assert.equal(await w.balanceOf(client.address), before)
    assert.equal(await owedOf(w, client.address), rest)
    const withdrawn = await withdrawOwed(w.clientFor(client), { token: w.addresses.stakeToken })
    assert.equal(withdrawn.result.amount, rest)
    const [event] = await eventsOf(w, withdrawn.hash, orderBookAbi, 'OwedWithdrawn')
    assert.deepEqual(event!.args, {
      token: getAddress(w.addresses.stakeToken),
      account: client.address,
      amount: rest,
    })
    assert.equal(await w.balanceOf(client.address), before + rest)
    assert.equal(await owedOf(w, client.address), 0n)
    const again = await withdrawOwed(w.clientFor(client), { token: w.addresses.stakeToken })
    assert.equal(again.result.amount, 0n, 'nothing twice')
    assert.equal(await w.balanceOf(client.address), before + rest)

    const rep = await readReputation(w, op.vault, svc.serviceId)
    assert.deepEqual([rep.reserved, rep.successes, rep.failures], [0n, 1n, 0n])
    const warmScore = scoreAfterSuccess(0n, warm.collateral, warm.fee, ALLOCATED)
    // the view decays the score to the head's time, which the withdrawals above moved past the cancellation's (on
    // a loaded machine by enough seconds to round one point lower): the expectation decays to the same time
    const head = (await w.public.getBlock({ blockTag: 'latest' })).timestamp
    assert.equal(rep.score, decayScore(warmScore, head - warm.at), 'no reward, no penalty')
    assert.equal((await readOrder(w, job.orderId)).status, 'Cancelled')
    assert.equal((await readOrder(w, job.orderId)).paid, BUDGET, 'the escrow is spent')
  })

  test('an agreement to cancel lapses after a day: the later call only records its own', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const op = ops[0]!
    // a week to its deadline: the consent windows, not the deadline, decide here
    const job = await openAcceptedJob(w, client, op, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      duration: 7 * DAY,
    })
    const first = await agreeCancelOrder(w.clientFor(client), job)
    const t1 = await txTime(w, first)
    await travelTo(w, t1 + BigInt(CONSENT_WINDOW) + 1n)
    // past the window: the client's agreement no longer binds, the operator's is a fresh one
    const late = await agreeCancelOrder(w.clientFor(op.operator), job)
    const t2 = await txTime(w, late)
    assert.ok(t2 > t1 + BigInt(CONSENT_WINDOW))
    assert.deepEqual(late.result, { cancelled: false, refund: 0n, leasePayment: undefined, credits: [] })
    assert.equal((await readOrder(w, job.orderId)).status, 'Active')
    assert.equal((await readReputation(w, op.vault, svc.serviceId)).reserved, job.acceptance.collateral)
    // the client agreeing again within the operator's window cancels
    await travelTo(w, t2 + BigInt(CONSENT_WINDOW) - 3600n)
    const done = await agreeCancelOrder(w.clientFor(client), job)
    assert.ok((await txTime(w, done)) <= t2 + BigInt(CONSENT_WINDOW))
    assert.deepEqual([done.result.cancelled, done.result.refund], [true, BUDGET])
    assert.equal(await owedOf(w, client.address), BUDGET)
  })

  test('a paid milestone clears an agreement to cancel: an old consent cannot claw back the rest', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const op = ops[0]!
    const job = await openAcceptedJob(w, client, op, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      milestones: [2000, 8000],
    })
    // the operator offers to cancel before delivering; it delivers the first milestone instead and is paid
    await agreeCancelOrder(w.clientFor(op.operator), job)
    await confirmMilestone(w.clientFor(client), job)
    const after = await agreeCancelOrder(w.clientFor(client), job)
    assert.equal(
      after.result.cancelled,
      false,
      "the operator's consent was about the work before the milestone",
    )
    assert.equal((await readOrder(w, job.orderId)).status, 'Active')
    assert.equal(await owedOf(w, client.address), 0n)
    // a fresh agreement by the operator (the client's stands) cancels
    const done = await agreeCancelOrder(w.clientFor(op.operator), job)
    assert.deepEqual([done.result.cancelled, done.result.refund], [true, BUDGET - BUDGET / 5n])
    // also an attested milestone clears it
    const second = await openAcceptedJob(w, client, op, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      milestones: [2000, 8000],
    })
    await agreeCancelOrder(w.clientFor(client), second)
    await attestOutcome(w, svc.attesters.slice(0, 3), second, { success: true })
    assert.equal((await agreeCancelOrder(w.clientFor(op.operator), second)).result.cancelled, false)
  })

  test('a job past its deadline cannot be cancelled, only failed', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const op = ops[0]!
    const job = await openAcceptedJob(w, client, op, { serviceId: svc.serviceId, budget: BUDGET })
    await agreeCancelOrder(w.clientFor(op.operator), job)
    const deadline = BigInt(job.params.deadline)
    await travelTo(w, deadline + 1n)
    await expectRevert(agreeCancelOrder(w.clientFor(client), job), 'DeadlinePassed', [job.orderId, deadline])
    const expired = await expireOrder(w.clientFor(keeper), job)
    assert.deepEqual([expired.result.refund, expired.result.slashAmount], [BUDGET, job.acceptance.collateral])
    assert.equal((await readOrder(w, job.orderId)).status, 'Failed')
  })

  test('the operator commits a result hash for the milestone in progress', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const job = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      milestones: [5000, 5000],
    })
    const resultHash = keccak256(toHex('frame 0001-0240, sha256 of the tarball'))
    const c = w.clientFor(ops[0]!.operator)
    assert.deepEqual((await commitResult(c, { ...job, resultHash })).result, { milestone: 0, resultHash })
    await confirmMilestone(w.clientFor(client), job)
    const second = await commitResult(c, { ...job, resultHash })
    const [event] = await eventsOf(w, second.hash, orderBookAbi, 'ResultCommitted')
    assert.deepEqual(event!.args, { orderId: job.orderId, milestone: 1, resultHash })
    await expectRevert(commitResult(w.clientFor(client), { ...job, resultHash }), 'NotOrderOperator', [
      client.address,
    ])
    await assert.rejects(commitResult(c, { ...job, resultHash: '0x1234' }), InvalidInputError)
  })
})

describe('OrderBook: foreign payment token', () => {
  test('paid in another token with a stated value: the fee goes to the service owner, collateral on the value', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const op = ops[1]!
    const usd = await deployPaymentToken(w, [client], 10n ** 24n)
    await approveToken(w.clientFor(client), { token: usd, spender: w.addresses.orders, amount: maxUint256 })
    const price = 5_000_000_000n + 3n // 5,000.000003 of a 6-decimal dollar
    const value = parseEther('2500') + 1n
    await assert.rejects(
      openTestOrder(w, client, {
        serviceId: svc.serviceId,
        vault: op.vault,
        budget: price,
        paymentToken: usd,
      }),
      InvalidInputError,
    )
    const params = orderParams({
      client: client.address,
      serviceId: svc.serviceId,
      paymentToken: usd,
      vault: op.vault,
      budget: price,
      now: await w.now(),
    })
    await expectRevert(orderBookRaw(w, client, 'open', [params, orderTerms()]), 'InvalidOrder', ['value'])
    const job = (await openOrder(w.clientFor(client), { params: { ...params, value } })).result
    const accepted = await acceptOrder(w.clientFor(op.operator), job)
    assert.equal(accepted.result.collateral, requiredCollateral(value, 15_000, 5_000, 0n))
    const ownerBefore = await tokenBalance(w, usd, svc.owner.address)
    const paid = await confirmMilestone(w.clientFor(client), job)
    const fee = orderFee(price, 100)
    assert.equal(paid.result.fee, fee)
    assert.equal(await tokenBalance(w, usd, svc.owner.address), ownerBefore + fee)
    assert.equal(await tokenBalance(w, usd, op.operator.address), price - fee)
    assert.equal(await tokenBalance(w, usd, w.addresses.orders), 0n)
    assert.equal(await readUnsweptFees(w, svc.serviceId), 0n, 'no stake-token fee for the stakers')
  })
})

describe('OrderBook: outcomes and read models', () => {
  test('the SDK digest of an outcome is the contract outcomeDigest; signatures verify', async () => {
    const w = world()
    const { svc } = fixture()
    for (const outcome of [
      {
        orderId: 7n,
        paramsHash: keccak256(toHex('params 7')),
        vault: getAddress(`0x${'ab'.repeat(20)}`),
        milestone: 1,
        success: false,
        classId: 2,
      },
      {
        orderId: 2n ** 200n + 1n,
        paramsHash: zeroHash,
        vault: zeroAddress,
        milestone: 0,
        success: true,
        classId: 0,
      },
    ]) {
      const onChain = await readOrRevert(w, {
        address: w.addresses.orders,
        abi: orderBookAbi,
        functionName: 'outcomeDigest',
        args: [outcome],
      })
      assert.equal(onChain, orderOutcomeDigest(orderDomain(w), outcome))
      const [signed] = await signOutcome(w, svc.attesters.slice(0, 1), outcome)
      assert.equal(await verifyOrderOutcome(orderDomain(w), outcome, signed!), true)
      const other = { chainId: 1, orders: w.addresses.orders }
      assert.equal(await verifyOrderOutcome(other, outcome, signed!), false, 'bound to the chain id')
    }
  })

  test('readOrder / readOrders / readOpenOrders rebuild orders from events and state', async () => {
    const w = world()
    const { client, otherClient, ops, svc } = fixture()
    const a = await openAcceptedJob(w, client, ops[0]!, { serviceId: svc.serviceId, budget: BUDGET })
    const b = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      milestones: [1, 9999],
    })
    const c = await openTestOrder(w, otherClient, { serviceId: svc.serviceId, budget: 5n, ratePerSecond: 1n })
    await confirmMilestone(w.clientFor(client), a)

    const read = await readOrder(w, b.orderId)
    assert.deepEqual(read.params, b.params)
    assert.deepEqual(read.terms, b.terms)
    assert.deepEqual([read.status, read.kind, read.price, read.collateral], ['Open', 'job', BUDGET, 0n])
    assert.equal((await readOrder(w, c.orderId)).kind, 'lease')
    await assert.rejects(readOrder(w, 42n), /order 42 not found/)

    const all = await readOrders(w)
    assert.deepEqual(
      all.map((o) => [o.orderId, o.status]),
      [
        [a.orderId, 'Completed'],
        [b.orderId, 'Open'],
        [c.orderId, 'Open'],
      ],
    )
    const mine = await readOrders(w, { client: client.address })
    assert.deepEqual(
      mine.map((o) => o.orderId),
      [a.orderId, b.orderId],
    )
    const open = await readOpenOrders(w)
    assert.deepEqual(
      open.map((o) => o.orderId),
      [b.orderId, c.orderId],
    )
  })
})
