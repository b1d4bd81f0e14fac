/**
 * OPEN FINDINGS of the independent review of issue 9 (economic security): attacks that still work. Each test
 * performs the attack and asserts the SAFE outcome, so it FAILS until the finding is fixed. These files are not
 * part of `npm test` (a red suite would stop every other change from landing); run them with
 * `npm run test:findings`, and move a test into test/ once it passes. docs/protocol.md §14 describes each one and
 * the fix proposed for it.
 *
 * (Finding 1, the self-dealt reservation shield, is fixed: reports are sized whatever orders reserve and wait at
 *  execution instead; its tests are in test/review.attacks.test.ts.)
 * 2. Withdrawals are never held by orders: stakers (or the operator's sybil stakers) who leave after an order was
 *    accepted take the pool part of its collateral with them; only the bond part is certain.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { acceptOrder, claimWithdrawal, expireOrder, requestWithdrawal } from '../../src/sdk/index.ts'
import { sharesOf, travelTo } from '../support/court.ts'
import { DAY, setupVault } from '../support/fixtures.ts'
import { openTestOrder } from '../support/orders.ts'
import { ALLOC, BOND, DELAY, ether, POOL, useReviewWorld } from '../support/review.ts'

const { world, fixture, genuineReport, shield } = useReviewWorld()

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
