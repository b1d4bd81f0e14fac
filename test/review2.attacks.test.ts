/**
 * Second independent review: attacks on the three fixes of the first review (reports wait for orders at execution
 * and order slashes execute out of the queue; allocations keep their share of the stake; matured increases lapse).
 * Each test performs the attack and asserts the SAFE outcome. The three that succeeded at review time (a waiting
 * report outrun by later-window order slashes, a year-long hold, a 1-wei increase re-inflating a shrunken share)
 * were fixed after it: pending reports count in every window, MAX_ORDER_WAIT, the limit cut to what is in effect.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Account } from 'viem'
import {
  acceptOrder,
  agreeCancelOrder,
  allocate,
  applyAllocation,
  claimWithdrawal,
  completeDeallocation,
  deposit,
  executeSlash,
  expireOrder,
  requestDeallocation,
  requestWithdrawal,
} from '../src/sdk/index.ts'
import { courtRead, sharesOf, totalsOf, travelTo, vaultRead } from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import { DAY, FRAUD, incident, reportSlash } from './support/fixtures.ts'
import { openTestOrder } from './support/orders.ts'
import { ALLOC, BOND, DELAY, ether, ownService, useReviewWorld } from './support/review.ts'
import type { World } from './support/world.ts'

const { world, fixture, genuineReport } = useReviewWorld()

const WINDOW = 30n * BigInt(DAY) // the fixture service's correlation window

/** A self-dealt job: `client` opens it naming the vault (1 wei budget, stated `value`), the operator accepts. */
async function selfDealt(w: World, client: Account, value: bigint, durationDays: number) {
  const { svc, vault, operator } = fixture()
  const order = await openTestOrder(w, client, {
    serviceId: svc.serviceId,
    budget: 1n,
    value,
    vault,
    duration: durationDays * DAY,
  })
  const { result } = await acceptOrder(w.clientFor(operator), order)
  return { order, collateral: result.collateral }
}

/** Moves to just after the start of the next correlation epoch. */
async function nextEpoch(w: World) {
  const now = BigInt(await w.now())
  await travelTo(w, (now / WINDOW + 1n) * WINDOW + 10n)
}

const fraudReport = (w: World, label: string) => genuineReport(w, label, FRAUD)

describe('review 2: reports that wait for orders', () => {
  test('a waiting report cannot be outrun by self-dealt order slashes of a later window: pending reports count in every window', async () => {
    const w = world()
    const { vault, sybil, client } = fixture()
    await nextEpoch(w)
    // Seeing a fraud report coming, the operator accepts two self-dealt jobs from its sybil: A (6,000 of collateral,
    // runs 40 days: into the next correlation epoch) and B (3,000, due in a day).
    const a = await selfDealt(w, sybil, ether(4000), 40)
    const b = await selfDealt(w, sybil, ether(2000), 1)
    assert.equal(a.collateral, ether(6000))
    assert.equal(b.collateral, ether(3000))
    // The genuine FRAUD report: 50% of the 10,000 allocation, sized whatever the orders reserve.
    const report = (await fraudReport(w, 'fraud-drained')).result
    assert.equal(report.details.amount, ether(5000))
    // B misses its deadline (anyone may expire it): its slash ignores the pending report (only reservations count).
    await w.travel(2 * DAY)
    const bFail = (await expireOrder(w.clientFor(sybil), b.order)).result
    assert.equal(bFail.slashAmount, ether(3000))
    // The report is due but waits: stake 10,000 < 5,000 + 9,000 reserved (A and B's slash).
    await travelTo(w, report.disputeEnd + 1n)
    await expectRevert(executeSlash(w.clientFor(client), { details: report.details }), 'SlashWaitsForOrders')
    // B's slash is senior and out of the queue: paid to the sybil.
    await travelTo(w, bFail.slash!.disputeEnd + 1n)
    const sybilBefore = await w.balanceOf(sybil.address)
    await executeSlash(w.clientFor(sybil), { details: bFail.slash!.details })
    // Still waiting: stake 7,000 < 5,000 + 6,000 (A). In the next epoch the window cap is fresh: A fails.
    await expectRevert(executeSlash(w.clientFor(client), { details: report.details }), 'SlashWaitsForOrders')
    await nextEpoch(w)
    await w.travel(12 * DAY)
    const aFail = (await expireOrder(w.clientFor(sybil), a.order)).result
    await travelTo(w, aFail.slash!.disputeEnd + 1n)
    await executeSlash(w.clientFor(sybil), { details: aFail.slash!.details })
    const toSybil = (await w.balanceOf(sybil.address)) - sybilBefore
    // Only now may the genuine report execute, on what is left.
    const clientBefore = await w.balanceOf(client.address)
    await executeSlash(w.clientFor(client), { details: report.details })
    const toClient = (await w.balanceOf(client.address)) - clientBefore
    const t = await totalsOf(w, vault)
    // SAFE outcome: the report takes the 5,000 it was sized on (the client's half is 2,500)
    assert.equal(
      toClient,
      ether(2500),
      `the genuine client got ${toClient} instead of ${ether(2500)}; the operator's sybil got ${toSybil}; ` +
        `the vault keeps bond ${t.bond}, pool ${t.pool}`,
    )
  })

  test('a self-dealt year-long order holds a genuine report (and its jail) at most MAX_ORDER_WAIT past its window', async () => {
    const w = world()
    const { svc, vault, sybil, client } = fixture()
    // Reserve just over what the report leaves (10,000 − 1,000), on a job that runs 360 days.
    const shield = await selfDealt(w, sybil, ether(6001), 360)
    assert.ok(shield.collateral > ALLOC - BOND)
    const report = (await genuineReport(w, 'held-a-year')).result
    // At review time the report waited as long as the order ran (350+ days, jail and payment with it). Orders are
    // still senior for a week after the report's window...
    await travelTo(w, report.disputeEnd + 1n)
    await expectRevert(executeSlash(w.clientFor(client), { details: report.details }), 'SlashWaitsForOrders')
    const wait = await courtRead<bigint>(w, 'MAX_ORDER_WAIT')
    assert.equal(wait, 7n * BigInt(DAY))
    await travelTo(w, report.disputeEnd + wait)
    await expectRevert(executeSlash(w.clientFor(client), { details: report.details }), 'SlashWaitsForOrders')
    // ...then the report executes, whatever orders reserve: the client is paid and the jail applies
    await travelTo(w, report.disputeEnd + wait + 1n)
    const before = await w.balanceOf(client.address)
    const tx = await executeSlash(w.clientFor(client), { details: report.details })
    assert.equal((await w.balanceOf(client.address)) - before, report.details.amount / 2n)
    const jailed = await vaultRead<bigint>(w, vault, 'jailedUntil', [svc.serviceId])
    assert.ok(jailed > (await w.public.getBlock({ blockNumber: tx.blockNumber })).timestamp, 'jailed')
  })

  test('a report waiting for orders keeps holding the bond, the allocation and leaving stakers', async () => {
    const w = world()
    const { svc, vault, operator, sybil, staker } = fixture()
    await selfDealt(w, sybil, ether(6001), 60)
    const report = (await fraudReport(w, 'fraud-held')).result
    // the operator's use of the delay: bond out, deallocation, its stakers out at the pre-slash price
    const shares = await sharesOf(w, vault, staker.address)
    const id = (await requestWithdrawal(w.clientFor(staker), { vault, shares })).result
    await requestDeallocation(w.clientFor(operator), { vault, serviceId: svc.serviceId, decrease: ALLOC })
    await travelTo(w, report.disputeEnd + 1n)
    await w.travel(DELAY)
    await expectRevert(
      completeDeallocation(w.clientFor(operator), { vault, serviceId: svc.serviceId }),
      'AllocationHeldBySlash',
    )
    const claimed = (await claimWithdrawal(w.clientFor(staker), { vault, id })).result
    // the staker bears the part of the pending slash beyond the bond (5,000 − 1,000 of its 9,000)
    assert.ok(claimed <= ether(9000) - (report.details.amount - BOND) + 1n, `claimed ${claimed}`)
  })
})

describe('review 2: the queue with order slashes out of order', () => {
  test('an order slash executed ahead of a waiting report leaves the queue consistent: no skip, no double execution', async () => {
    const w = world()
    const { vault, operator, sybil, client, keeper, svc } = fixture()
    const shield = await selfDealt(w, sybil, ether(5001), 60) // 7,501.5 reserved
    const small = await selfDealt(w, sybil, ether(1000), 1) // 1,500
    const r1 = (await genuineReport(w, 'q-1')).result // 1,000: 10,000 < 1,000 + 9,000 waits
    await w.travel(2 * DAY)
    const o = (await expireOrder(w.clientFor(sybil), small.order)).result
    const r3 = (
      await reportSlash(
        w,
        svc.attesters.slice(0, 3),
        {
          serviceId: svc.serviceId,
          vault,
          classId: 0,
          incidentId: incident('q-3'),
          client: client.address,
        },
        keeper,
      )
    ).result
    assert.ok(r1.details.seq < o.slash!.details.seq && o.slash!.details.seq < r3.details.seq)
    await travelTo(w, r3.disputeEnd + 1n)
    // the order slash executes out of the queue (the head is r1, which waits)
    await expectRevert(executeSlash(w.clientFor(client), { details: r1.details }), 'SlashWaitsForOrders')
    await executeSlash(w.clientFor(sybil), { details: o.slash!.details })
    await expectRevert(executeSlash(w.clientFor(sybil), { details: o.slash!.details }), 'WrongStatus')
    // r3 may not skip r1
    await expectRevert(executeSlash(w.clientFor(client), { details: r3.details }), 'SlashNotNextInQueue')
    assert.equal(await courtRead<bigint>(w, 'nextToExecute', [vault]), r1.details.seq)
    // the shield ends by consent: r1 then r3 execute, and the queue is empty
    await agreeCancelOrder(w.clientFor(sybil), shield.order)
    await agreeCancelOrder(w.clientFor(operator), shield.order)
    await executeSlash(w.clientFor(client), { details: r1.details })
    await executeSlash(w.clientFor(client), { details: r3.details })
    await expectRevert(executeSlash(w.clientFor(client), { details: r1.details }), 'WrongStatus')
    const [, tail] = await courtRead<readonly [bigint, bigint]>(w, 'queueLength', [vault])
    assert.equal(await courtRead<bigint>(w, 'nextToExecute', [vault]), tail)
    const t = await totalsOf(w, vault)
    assert.equal(t.pending, 0n)
    assert.equal(await vaultRead<bigint>(w, vault, 'totalReserved'), 0n)
  })

  test("an order slash counted as pending and reserved does not hold the allocation's free part once it settles", async () => {
    const w = world()
    const { vault, operator, sybil, svc } = fixture()
    const o = await selfDealt(w, sybil, ether(4000), 1) // 6,000 of collateral
    await w.travel(2 * DAY)
    const failed = (await expireOrder(w.clientFor(sybil), o.order)).result
    assert.equal(failed.slashAmount, ether(6000))
    // the operator leaves the 4,000 the slash does not need
    await requestDeallocation(w.clientFor(operator), {
      vault,
      serviceId: svc.serviceId,
      decrease: ether(4000),
    })
    await w.travel(6 * DAY)
    await executeSlash(w.clientFor(sybil), { details: failed.slash!.details })
    await completeDeallocation(w.clientFor(operator), { vault, serviceId: svc.serviceId })
    assert.equal(await vaultRead<bigint>(w, vault, 'totalReserved'), 0n)
  })
})

describe('review 2: shares of the stake', () => {
  test('a 1-wei increase after a deallocation adds 1 wei: a shrunken limit is cut to what is in effect first', async () => {
    const w = world()
    const { vault, operator, sybil } = fixture()
    // the operator's own service: itself the resolver, one attester it controls, a 99.9% class, no caps
    const own = await ownService(w, operator)
    const _puppet = own.puppet
    // The first review's set-up: a sybil deposit makes 20,000 a 20% share; the sybil leaves; the allocation
    // shrinks with the stake to 2,000 of the 10,000 left (the honest staker's accepted exposure).
    await deposit(w.clientFor(sybil), { vault, assets: ether(90000) })
    await allocate(w.clientFor(operator), { vault, serviceId: own.serviceId, increase: ether(20000) })
    await w.travel(2 * DELAY)
    await applyAllocation(w.clientFor(operator), { vault, serviceId: own.serviceId })
    const sybilShares = await sharesOf(w, vault, sybil.address)
    const id = (await requestWithdrawal(w.clientFor(sybil), { vault, shares: sybilShares })).result
    await w.travel(DELAY)
    await claimWithdrawal(w.clientFor(sybil), { vault, id })
    const slashable = () => vaultRead<bigint>(w, vault, 'slashableStake', [own.serviceId])
    const before = await slashable()
    assert.equal(before, ether(2000))
    // The operator lowers the limit just under the stake (a decrease: immediate after the 120 s pipeline) and
    // queues an increase of 1 wei: the announcement stakers see is `AllocationQueued(increase = 1)`.
    await requestDeallocation(w.clientFor(operator), {
      vault,
      serviceId: own.serviceId,
      decrease: ether(20000) - ether(10000) + 1n,
    })
    await w.travel(200)
    await completeDeallocation(w.clientFor(operator), { vault, serviceId: own.serviceId })
    await allocate(w.clientFor(operator), { vault, serviceId: own.serviceId, increase: 1n })
    await w.travel(2 * DELAY)
    await applyAllocation(w.clientFor(operator), { vault, serviceId: own.serviceId })
    const after = await slashable()
    // SAFE outcome: a 1-wei increase adds at most 1 wei of exposure
    assert.ok(after <= before + 1n, `a 1-wei increase took the slashable stake from ${before} to ${after}`)
  })
})
