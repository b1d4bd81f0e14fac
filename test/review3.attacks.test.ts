/**
 * Third independent review: attacks on outcomes that sign the order's parameters hash (OrderOutcome(orderId,
 * paramsHash, milestone, success, classId)). Each test performs the attack and asserts the HONEST outcome.
 *
 * FINDING (review 3, the first test): the parameters hash does not pin who holds an intent. An intent's params carry
 * vault 0; the winning vault is chosen after opening (pickBid / accept) and is not in the hash, so a reorg that
 * re-orders the acceptance gives the same (id, params) order to another operator, and a quorum's failure outcome
 * for the first operator's tenure fails — and slashes — the second. That test FAILS against the current code on
 * purpose: it asserts the honest outcome (refused) until the outcome also names the order's vault.
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
  orderSignatures,
  pickBid,
  readOrder,
} from '../src/sdk/index.ts'
import { travelTo } from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import {
  openAcceptedJob,
  openTestOrder,
  orderBookRaw,
  requiredCollateral,
  setupOrders,
  signOutcome,
} from './support/orders.ts'
import { useWorld, type World } from './support/world.ts'

const { world, fixture } = useWorld(setupOrders)
const BUDGET = parseEther('100')
/** The requirement at score 0: enough for any reputation. */
const full = (price: bigint) => requiredCollateral(price, 15_000, 5_000, 0n)

const outcomeOf = (order: OrderRef, o: Partial<OrderOutcome> = {}): OrderOutcome => ({
  orderId: order.orderId,
  paramsHash: orderParamsHash(order.params),
  milestone: 0,
  success: true,
  classId: 0,
  ...o,
})

async function report(
  w: World,
  order: OrderRef,
  outcome: OrderOutcome,
  signed?: Awaited<ReturnType<typeof signOutcome>>,
) {
  const { svc, keeper } = fixture()
  const signatures = orderSignatures(signed ?? (await signOutcome(w, svc.attesters.slice(0, 3), outcome)))
  return orderBookRaw(w, keeper, 'reportOutcome', [order.orderId, order.params, outcome, signatures])
}

describe('review 3: outcomes bound to the parameters hash', () => {
  test('FINDING: a reorg that gives an intent to another bidder cannot carry a failure signed for the first one', async () => {
    const w = world()
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
    // the branch later orphaned: the client picks A, A fails, the quorum signs the failure of A's work
    const branch = await w.test.snapshot()
    await pickBid(w.clientFor(client), { ...order, vault: a.vault })
    assert.equal((await readOrder(w, order.orderId)).vault, a.vault)
    const failure = outcomeOf(order, { success: false, classId: 1 })
    const signed = await signOutcome(w, svc.attesters.slice(0, 3), failure)
    // the reorg: in the canonical chain the client's pick of B lands instead (same id, same params)
    await w.test.revert({ id: branch })
    await pickBid(w.clientFor(client), { ...order, vault: b.vault })
    const before = await readOrder(w, order.orderId)
    assert.equal(before.vault, b.vault, 'B holds the same order now')

    // HONEST outcome: the failure attested for A's tenure must not fail B's order and slash B's collateral.
    // Against the current code this report LANDS (the signed fields are all equal) — the finding.
    await assert.rejects(
      report(w, order, failure, signed),
      'a failure signed while A held the order must not fail B',
    )
    const after = await readOrder(w, order.orderId)
    assert.deepEqual([after.status, after.vault], ['Active', b.vault], 'B’s order untouched')
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
    const outcome = outcomeOf(job, { paramsHash: dirty })
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
    const forFirst = outcomeOf(first)
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
    const failure = outcomeOf(job, { success: false, classId: 1 })
    const signed = await signOutcome(w, svc.attesters.slice(0, 3), failure)
    await confirmMilestone(w.clientFor(client), job)
    await expectRevert(report(w, job, failure, signed), 'MilestoneMismatch', [job.orderId, 0n, 1n])
    const o = await readOrder(w, job.orderId)
    assert.deepEqual([o.status, o.settled], ['Active', 1], 'the order goes on')
  })
})
