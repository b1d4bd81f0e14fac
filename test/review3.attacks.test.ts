/**
 * Third independent review: attacks on outcomes that sign the order's parameters hash (OrderOutcome(orderId,
 * paramsHash, vault, milestone, success, classId)). Each test performs the attack and asserts the HONEST outcome.
 *
 * Review 3's first finding, now closed: the parameters hash does not pin who holds an intent (its params carry vault
 * 0; the winner is chosen after opening, by pickBid / accept), so the outcome also names the vault holding the order
 * (OrderOutcome.vault, checked against order(orderId).vault: OutcomeForOtherVault). A reorg that re-orders the
 * acceptance and gives the same (id, params) order to another operator cannot carry a quorum's verdict on the first
 * operator's tenure to the second, in either direction (a failure slashing B, a success paying B).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Hex, pad, parseEther } from 'viem'
import {
  bidOnOrder,
  confirmMilestone,
  type OrderOutcome,
  type OrderRef,
  orderBookAbi,
  orderParamsHash,
  pickBid,
  readOrder,
} from '../src/sdk/index.ts'
import { travelTo } from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import {
  openAcceptedJob,
  openTestOrder,
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

const report = (
  w: World,
  order: OrderRef,
  outcome: OrderOutcome,
  signed?: Awaited<ReturnType<typeof signOutcome>>,
) => reportOutcomeRaw(w, fixture(), order, outcome, signed)

describe('review 3: outcomes bound to the parameters hash and the vault', () => {
  /**
   * Both operators bid on one intent; in the branch later orphaned the client picks A and the quorum signs `verdict`
   * on A's tenure; the reorg lands the client's pick of B instead (same id, same params). Returns the signed outcome.
   */
  async function reorgToB(w: World, verdict: { success: boolean; classId: number }) {
    const { client, ops, svc } = fixture()
    const [a, b] = [ops[0]!, ops[1]!]
    const order = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: BUDGET })
    // both operators bid; A is the best bid, B a valid one the client may pick
    await bidOnOrder(w.clientFor(b.operator), {
      ...order,
      price: parseEther('95'),
      collateral: full(parseEther('95')),
    })
    await bidOnOrder(w.clientFor(a.operator), {
      ...order,
      price: parseEther('90'),
      collateral: full(parseEther('90')),
    })
    await travelTo(w, BigInt(order.params.biddingEnds) + 1n)
    const branch = await w.test.snapshot()
    await pickBid(w.clientFor(client), { ...order, vault: a.vault })
    assert.equal((await readOrder(w, order.orderId)).vault, a.vault)
    const outcome = outcomeOf(order, a.vault, verdict)
    const signed = await signOutcome(w, svc.attesters.slice(0, 3), outcome)
    // the reorg: in the canonical chain the client's pick of B lands instead (same id, same params)
    await w.test.revert({ id: branch })
    await pickBid(w.clientFor(client), { ...order, vault: b.vault })
    const before = await readOrder(w, order.orderId)
    assert.equal(before.vault, b.vault, 'B holds the same order now')
    return { order, outcome, signed, a, b }
  }

  test('a reorg that gives an intent to another bidder cannot carry a failure signed for the first one', async () => {
    const w = world()
    const { order, outcome, signed, a, b } = await reorgToB(w, { success: false, classId: 1 })
    // the failure attested for A's tenure names A's vault: refused for B's order
    await expectRevert(report(w, order, outcome, signed), 'OutcomeForOtherVault', [order.orderId, a.vault])
    // re-labelled with B's vault, A's quorum signatures recover to strangers (the vault is signed)
    await assert.rejects(report(w, order, { ...outcome, vault: b.vault }, signed))
    const after = await readOrder(w, order.orderId)
    assert.deepEqual(
      [after.status, after.vault, after.collateral > 0n],
      ['Active', b.vault, true],
      'B’s order untouched: not failed, its collateral still reserved',
    )
  })

  test('a reorg that gives an intent to another bidder cannot pay the second one with the first one’s success', async () => {
    const w = world()
    const { order, outcome, signed, a, b } = await reorgToB(w, { success: true, classId: 0 })
    await expectRevert(report(w, order, outcome, signed), 'OutcomeForOtherVault', [order.orderId, a.vault])
    await assert.rejects(report(w, order, { ...outcome, vault: b.vault }, signed))
    const after = await readOrder(w, order.orderId)
    assert.deepEqual(
      [after.status, after.vault, after.settled, after.paid],
      ['Active', b.vault, 0, 0n],
      'nothing paid to B for A’s work',
    )
  })

  test('an outcome carrying the full 256-bit keccak of the params (not the stored 160 bits) is refused', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const job = await openAcceptedJob(w, client, ops[0]!, { serviceId: svc.serviceId, budget: BUDGET })
    const [stored] = (await w.public.readContract({
      address: w.addresses.orders,
      abi: orderBookAbi,
      functionName: 'order',
      args: [job.orderId],
    })) as readonly [Hex, ...unknown[]]
    assert.equal(stored, orderParamsHash(job.params), 'the SDK computes the stored hash')
    assert.equal(BigInt(stored) >> 160n, 0n, 'the stored hash is 160 bits, zero-padded')
    // the same low 160 bits with junk in the upper 96: signed by the quorum, still not the order's hash
    const dirty = pad(`0x${'ff'.repeat(12)}${stored.slice(-40)}` as Hex, { size: 32 })
    const outcome = outcomeOf(job, (await readOrder(w, job.orderId)).vault, { paramsHash: dirty })
    await expectRevert(report(w, job, outcome), 'OutcomeForOtherParams', [job.orderId, dirty])
    const o = await readOrder(w, job.orderId)
    assert.deepEqual([o.status, o.settled, o.paid], ['Active', 0, 0n], 'nothing paid')
  })

  test('two orders with identical params (one client, one vault): an outcome for one is refused for the other', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const now = await w.now()
    const same = { serviceId: svc.serviceId, budget: BUDGET, biddingEnds: Number(now) + 3600 }
    const first = await openAcceptedJob(w, client, ops[0]!, same)
    const second = await openAcceptedJob(w, client, ops[0]!, same)
    assert.equal(orderParamsHash(first.params), orderParamsHash(second.params), 'the same params hash')
    assert.notEqual(first.orderId, second.orderId)
    const forFirst = outcomeOf(first, ops[0]!.vault)
    const signed = await signOutcome(w, svc.attesters.slice(0, 3), forFirst)
    // the first order's outcome presented for the second: the id is signed, so it is refused
    await expectRevert(report(w, second, forFirst, signed), 'OutcomeForOtherOrder', [
      second.orderId,
      first.orderId,
    ])
    // re-labelled with the second id, the signatures recover to strangers
    await assert.rejects(report(w, second, { ...forFirst, orderId: second.orderId }, signed))
    const o = await readOrder(w, second.orderId)
    assert.deepEqual([o.status, o.paid], ['Active', 0n], 'the second order untouched')
  })

  test('a failure signed for milestone 0 cannot land after the client confirmed milestone 0', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const job = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget: BUDGET,
      milestones: [5000, 5000],
    })
    const failure = outcomeOf(job, (await readOrder(w, job.orderId)).vault, { success: false, classId: 1 })
    const signed = await signOutcome(w, svc.attesters.slice(0, 3), failure)
    await confirmMilestone(w.clientFor(client), job)
    await expectRevert(report(w, job, failure, signed), 'MilestoneMismatch', [job.orderId, 0n, 1n])
    const o = await readOrder(w, job.orderId)
    assert.deepEqual([o.status, o.settled], ['Active', 1], 'the order goes on')
  })
})
