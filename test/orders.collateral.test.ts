/**
 * Order collateral in the vault on the real chain: reserved collateral blocks a deallocation below it, a stake
 * withdrawal that would leave it unbacked, and the bond beyond what pending slashes and reservations need; stake
 * already queued to leave backs no new order.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseEther } from 'viem'
import {
  acceptOrder,
  bidOnOrder,
  claimBondWithdrawal,
  claimWithdrawal,
  completeDeallocation,
  confirmMilestone,
  expireOrder,
  type OrderRef,
  previewWithdrawal,
  readOrder,
  readReputation,
  readVault,
  requestBondWithdrawal,
  requestDeallocation,
  requestWithdrawal,
} from '../src/sdk/index.ts'
import { sharesOf, totalsOf, travelTo } from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import { DAY } from './support/fixtures.ts'
import { openAcceptedJob, openTestOrder, setupOrders } from './support/orders.ts'
import { useWorld, type World } from './support/world.ts'

const { world, fixture } = useWorld(setupOrders)
const ALLOCATED = parseEther('20000')

/** An intent won by operator 0 with `collateral` (a bid may post more than the requirement), accepted. */
async function _bigOrder(w: World, collateral: bigint): Promise<OrderRef> {
  const { client, ops, svc, keeper } = fixture()
  const order = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: parseEther('100') })
  await bidOnOrder(w.clientFor(ops[0]!.operator), { ...order, price: parseEther('100'), collateral })
  await travelTo(w, BigInt(order.params.biddingEnds))
  await acceptOrder(w.clientFor(keeper), order)
  return order
}

describe('OrderBook collateral in the vault', () => {
  test('reserved collateral blocks a deallocation below it', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const op = ops[0]!
    const job = await openAcceptedJob(w, client, op, { serviceId: svc.serviceId, budget: parseEther('100') })
    const reserved = job.acceptance.collateral
    const c = w.clientFor(op.operator)
    await requestDeallocation(c, { vault: op.vault, serviceId: svc.serviceId, decrease: ALLOCATED })
    await travelTo(w, (await w.now()) + BigInt(5 * DAY))
    await expectRevert(
      completeDeallocation(c, { vault: op.vault, serviceId: svc.serviceId }),
      'AllocationHeldByOrders',
      [svc.serviceId, 0n, reserved],
    )
    // down to exactly the reservation is fine
    await requestDeallocation(c, {
      vault: op.vault,
      serviceId: svc.serviceId,
      decrease: ALLOCATED - reserved,
    })
    await travelTo(w, (await w.now()) + BigInt(5 * DAY))
    await completeDeallocation(c, { vault: op.vault, serviceId: svc.serviceId })
    const rep = await readReputation(w, op.vault, svc.serviceId)
    assert.deepEqual([rep.reserved, rep.room], [reserved, 0n])
    // once the order settles the rest may leave too
    await confirmMilestone(w.clientFor(client), job)
    await requestDeallocation(c, { vault: op.vault, serviceId: svc.serviceId, decrease: reserved })
    await travelTo(w, (await w.now()) + BigInt(5 * DAY))
    await completeDeallocation(c, { vault: op.vault, serviceId: svc.serviceId })
  })

  test('no order can keep a staker who asked to leave from being paid after the withdrawal delay', async () => {
    const w = world()
    const { client, ops, staker, svc } = fixture()
    const op = ops[0]!
    // the whole allocation reserved by an order the client stated to be worth 20,000 / 1.5 (attack: a year-long
    // self-dealt order that would otherwise hold every claim hostage)
    const valued = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget: parseEther('100'),
      value: (ALLOCATED * 2n) / 3n,
    })
    await bidOnOrder(w.clientFor(op.operator), { ...valued, price: parseEther('100'), collateral: ALLOCATED })
    await travelTo(w, BigInt(valued.params.biddingEnds))
    await acceptOrder(w.clientFor(fixture().keeper), valued)
    assert.equal((await readReputation(w, op.vault, svc.serviceId)).reserved, ALLOCATED)
    const shares = await sharesOf(w, op.vault, staker.address)
    const c = w.clientFor(staker)
    const id = (await requestWithdrawal(c, { vault: op.vault, shares })).result
    await travelTo(w, (await w.now()) + BigInt(7 * DAY))
    const due = (await previewWithdrawal(w, op.vault, staker.address, id)).claimableNow
    const before = await w.balanceOf(staker.address)
    assert.equal((await claimWithdrawal(c, { vault: op.vault, id })).result, due)
    assert.equal(await w.balanceOf(staker.address), before + due)
    // what is left (the bond) still backs the order as far as it goes; the order settles normally
    const t = await totalsOf(w, op.vault)
    assert.ok(t.bond + t.pool < ALLOCATED)
    await confirmMilestone(w.clientFor(client), valued)
    assert.equal((await readReputation(w, op.vault, svc.serviceId)).reserved, 0n)
  })

  test('stake queued to leave backs no new order', async () => {
    const w = world()
    const { client, ops, svc, staker, keeper } = fixture()
    const op = ops[0]!
    // valued so that it needs the whole allocation as collateral (1.5 × 2/3 of it)
    const order = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget: parseEther('100'),
      value: (ALLOCATED * 2n) / 3n,
    })
    // the bid only checks the allocation's room; the staker then queues all of its stake to leave
    await bidOnOrder(w.clientFor(op.operator), { ...order, price: parseEther('100'), collateral: ALLOCATED })
    const shares = await sharesOf(w, op.vault, staker.address)
    const id = (await requestWithdrawal(w.clientFor(staker), { vault: op.vault, shares })).result
    const queued = (await previewWithdrawal(w, op.vault, staker.address, id)).assetsAtRequest
    await travelTo(w, BigInt(order.params.biddingEnds))
    const v = await readVault(w, op.vault)
    const room = v.bondAssets + v.poolAssets - queued
    assert.equal((await readReputation(w, op.vault, svc.serviceId)).room, room)
    await expectRevert(acceptOrder(w.clientFor(keeper), order), 'CollateralUnavailable', [
      svc.serviceId,
      ALLOCATED,
      room,
    ])
  })

  test('a bond withdrawal pays only the bond above pending slashes and reserved collateral', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const op = ops[0]!
    const active = await openAcceptedJob(w, client, op, {
      serviceId: svc.serviceId,
      budget: parseEther('1000'),
    })
    const failing = await openAcceptedJob(w, client, op, {
      serviceId: svc.serviceId,
      budget: parseEther('2000') + 1n,
    })
    await travelTo(w, BigInt(failing.params.deadline) + 1n)
    const pending = (await expireOrder(w.clientFor(keeper), failing)).result.slashAmount
    assert.equal(pending, failing.acceptance.collateral)
    const reserved = (await readOrder(w, active.orderId)).collateral
    const bond = parseEther('10000')
    const c = w.clientFor(op.operator)
    await requestBondWithdrawal(c, { vault: op.vault, amount: bond })
    await travelTo(w, (await w.now()) + BigInt(7 * DAY))
    const before = await w.balanceOf(op.operator.address)
    const paid = (await claimBondWithdrawal(c, { vault: op.vault })).result
    // an order's pending slash is held both as a liability and as reserved collateral (senior to reports) until it
    // settles: the bond's free part counts it twice, which errs on the stakers' side
    assert.equal(paid, bond - 2n * pending - reserved)
    assert.equal(await w.balanceOf(op.operator.address), before + paid)
    assert.equal((await readVault(w, op.vault)).bondAssets, 2n * pending + reserved)
  })
})
