/**
 * OPEN FINDINGS of the independent review of issue 9 (economic security): attacks that still work. Each test
 * performs the attack and asserts the SAFE outcome, so it FAILS until the finding is fixed. These files are not
 * part of `npm test` (a red suite would stop every other change from landing); run them with
 * `npm run test:findings`, and move a test into test/ once it passes. docs/protocol.md §14 describes each one and
 * the fix proposed for it.
 *
 * 1. Reservations are senior to later report slashes, and an order can be released without failing (mutual
 *    consent, or success confirmed by a sybil client): a costless self-dealt order with a large stated value
 *    shields the allocation while a genuine report is sized, then is cancelled.
 * 2. Withdrawals are never held by orders: stakers (or the operator's sybil stakers) who leave after an order was
 *    accepted take the pool part of its collateral with them; only the bond part is certain.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  acceptOrder,
  agreeCancelOrder,
  claimWithdrawal,
  completeDeallocation,
  executeSlash,
  expireOrder,
  readAllocation,
  requestDeallocation,
  requestWithdrawal,
} from '../../src/sdk/index.ts'
import { sharesOf, travelTo, vaultRead } from '../support/court.ts'
import { DAY, setupVault } from '../support/fixtures.ts'
import { openTestOrder, requiredCollateral } from '../support/orders.ts'
import {
  ALLOC,
  BOND,
  DELAY,
  ether,
  GENUINE_SLASH,
  PIPELINE,
  POOL,
  useReviewWorld,
} from '../support/review.ts'

const { world, fixture, genuineReport, shield } = useReviewWorld()

describe('review: self-dealt reservations as a shield against a genuine slash', () => {
  test('ATTACK SUCCEEDS: a 1-wei self-dealt order shrinks a genuine report slash, then is cancelled by consent', async () => {
    const w = world()
    const { svc, vault, operator, sybil, client } = fixture()
    assert.equal(
      await vaultRead<bigint>(w, vault, 'slashableStake', [svc.serviceId]),
      ALLOC,
      'before the shield the whole allocation is slashable',
    )
    // The operator knows it misbehaved (it did, the attesters will sign). Before the report lands it reserves 9,900
    // of its 10,000 allocation with a self-dealt 1-wei job stating a value of 6,600 (× 150% collateral factor).
    const value = ether(6600)
    const { order, collateral } = await shield(w, value)
    assert.equal(collateral, requiredCollateral(value, 15_000, 5_000, 0n))
    // The genuine report is sized on what the reservation left: 100 instead of 1,000, and the incident is spent.
    const { result } = await genuineReport(w, 'wrong-output')
    // Then the sybil and the operator cancel the shield by mutual consent: no failure, no slash, the stake is back.
    await agreeCancelOrder(w.clientFor(sybil), order)
    const cancelled = await agreeCancelOrder(w.clientFor(operator), order)
    assert.equal(cancelled.result.cancelled, true)
    assert.equal(
      await vaultRead<bigint>(w, vault, 'slashableStake', [svc.serviceId]),
      ALLOC - result.details.amount,
      'after the cancel everything but the shrunken slash is slashable again',
    )
    // The genuine client was owed half of a 1,000 slash. SAFE outcome: the slash keeps its published size.
    await travelTo(w, result.disputeEnd + 1n)
    const before = await w.balanceOf(client.address)
    await executeSlash(w.clientFor(client), { details: result.details })
    const paid = (await w.balanceOf(client.address)) - before
    assert.equal(
      result.details.amount,
      GENUINE_SLASH,
      `the genuine slash was sized ${result.details.amount} instead of ${GENUINE_SLASH}: the client got ${paid}`,
    )
  })

  test('ATTACK SUCCEEDS: a shield held over a deallocation lets the operator leave the service before the report finds stake', async () => {
    const w = world()
    const { svc, vault, operator, sybil } = fixture()
    // Reserve the whole allocation, to rounding (the reporter who sees this would only spend its report on dust).
    const value = (ALLOC * 2n) / 3n
    const { order, collateral } = await shield(w, value)
    assert.ok(ALLOC - collateral <= 1n, 'the whole allocation, to rounding')
    // Deallocation waits the service's pipeline, so that reports of earlier incidents can still land: here every
    // report during the pipeline is sized on ~0, so the honest reporter holds its (non-expiring) report.
    await requestDeallocation(w.clientFor(operator), { vault, serviceId: svc.serviceId, decrease: ALLOC })
    await w.travel(PIPELINE)
    // At the end of the pipeline: consent to cancel, then deallocate (an operator contract does both in one
    // transaction; nobody can slip a report between them).
    await agreeCancelOrder(w.clientFor(sybil), order)
    await agreeCancelOrder(w.clientFor(operator), order)
    await completeDeallocation(w.clientFor(operator), { vault, serviceId: svc.serviceId })
    assert.equal((await readAllocation(w, vault, svc.serviceId)).amount, 0n)
    // SAFE outcome: the report of the incident that happened while 10,000 was allocated still takes its 1,000.
    let amount = 0n
    try {
      amount = (await genuineReport(w, 'escaped')).result.details.amount
    } catch (error) {
      const reason = (error as { shortMessage?: string }).shortMessage ?? String(error)
      assert.fail(`the genuine report of an incident while 10,000 was allocated takes nothing: ${reason}`)
    }
    assert.equal(amount, GENUINE_SLASH)
  })
})

describe('review: stakers (the operator’s sybils) leave from under a genuine client’s collateral', () => {
  test('ATTACK SUCCEEDS: a vault backed by the operator’s own sybil stake promises collateral that leaves after the withdrawal delay', async () => {
    const w = world()
    const { svc, client, keeper } = fixture()
    // A second operator whose whole pool is its own sybil's money.
    const operator = w.accounts[8]!
    const sybilStaker = w.accounts[9]!
    const { vault } = await setupVault(w, operator, {
      bond: BOND,
      delegations: [{ staker: sybilStaker, assets: POOL }],
      allocations: [{ serviceId: svc.serviceId, amount: ALLOC }],
    })
    // A genuine client's 10-day job worth 6,000: the vault backs it with 9,000 of collateral (150%).
    const job = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget: ether(100),
      value: ether(6000),
      vault,
      duration: 10 * DAY,
    })
    const { result: accepted } = await acceptOrder(w.clientFor(operator), job)
    assert.equal(accepted.collateral, ether(9000))
    // The sybil staker leaves at once; claims are no longer held by orders.
    const shares = await sharesOf(w, vault, sybilStaker.address)
    const id = (await requestWithdrawal(w.clientFor(sybilStaker), { vault, shares })).result
    await w.travel(DELAY)
    const claimed = (await claimWithdrawal(w.clientFor(sybilStaker), { vault, id })).result
    assert.ok(claimed >= POOL - 1n, 'the sybil got its whole pool back')
    // The operator never delivers; the job fails at its deadline.
    await travelTo(w, BigInt(job.params.deadline) + 1n)
    const failed = (await expireOrder(w.clientFor(keeper), job)).result
    // SAFE outcome: the client's collateral slash is what the order reserved. At review time: only the bond, 1,000.
    assert.equal(
      failed.slashAmount,
      accepted.collateral,
      `the client was promised ${accepted.collateral} of collateral and can be paid only ${failed.slashAmount}`,
    )
  })
})
