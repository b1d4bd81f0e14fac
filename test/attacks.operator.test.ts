/**
 * The operator as the attacker (issue 9). Each attack an independent review made work against the earlier
 * contracts is replayed here with the operator's own extra addresses — a sybil client, its own service with
 * itself as resolver and an attester it controls — and asserted to FAIL, with the honest path beside it.
 * Expected amounts come from the reference formulas (src/model), never from the contracts.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { maxUint256 } from 'viem'
import { toAssetsDown } from '../src/model/sharesMath.ts'
import {
  acceptOrder,
  addFee,
  allocate,
  applyAllocation,
  approveStake,
  bidOnOrder,
  claimWithdrawal,
  confirmMilestone,
  deposit,
  executeSlash,
  expireOrder,
  pickBid,
  previewWithdrawal,
  readAllocation,
  readClaimableRewards,
  readOrder,
  readReputation,
  readVault,
  requestWithdrawal,
  syncAllocation,
} from '../src/sdk/index.ts'
import { courtRead, sharesOf, totalsOf, travelTo, txTime } from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import {
  allocateNow,
  DAY,
  DEFAULT_CLASSES,
  FRAUD,
  incident,
  reportSlash,
  setupService,
  setupVault,
} from './support/fixtures.ts'
import { openTestOrder, requiredCollateral } from './support/orders.ts'
import {
  ALLOC,
  BOND,
  DELAY,
  ether,
  ownService as ownServiceOf,
  POOL,
  useReviewWorld,
} from './support/review.ts'
import type { World } from './support/world.ts'

const WINDOW_CAP_BPS = 8000n

const { world, fixture } = useReviewWorld()

/** What the honest staker's shares would pay if it left now (net of pending slashes). */
async function stakerValue(w: World) {
  const { vault, staker } = fixture()
  const v = await readVault(w, vault)
  return toAssetsDown(await sharesOf(w, vault, staker.address), v.netPoolAssets, v.totalSupply)
}

/** The sybil opens an intent, the operator bids `price` pledging `pledge`, the sybil picks it. */
async function selfDealtOrder(
  w: World,
  input: { budget: bigint; price: bigint; pledge: bigint; value?: bigint; duration?: number },
) {
  const { svc, operator, sybil, vault } = fixture()
  const order = await openTestOrder(w, sybil, {
    serviceId: svc.serviceId,
    budget: input.budget,
    value: input.value,
    duration: input.duration,
  })
  await bidOnOrder(w.clientFor(operator), { ...order, price: input.price, collateral: input.pledge })
  const picked = await pickBid(w.clientFor(sybil), { ...order, vault })
  return { order, collateral: picked.result.collateral }
}

describe('attack 1: a self-dealt order drains the pool', () => {
  test('a pledge of the whole vault reserves only the requirement: the bond pays the forfeit, the pool loses nothing', async () => {
    const w = world()
    const { vault, keeper } = fixture()
    const before = await stakerValue(w)
    const { order, collateral } = await selfDealtOrder(w, {
      budget: ether(1),
      price: ether(1),
      pledge: BOND + POOL,
    })
    assert.equal(collateral, requiredCollateral(ether(1), 15_000, 5_000, 0n))
    await travelTo(w, BigInt(order.params.deadline) + 1n)
    const failed = await expireOrder(w.clientFor(keeper), order)
    assert.equal(
      failed.result.slashAmount,
      collateral,
      'the slash is the reserved requirement, not the pledge',
    )
    assert.equal(await stakerValue(w), before, 'the bond covers it: the pool is untouched')
    const t = await totalsOf(w, vault)
    assert.equal(t.pending, collateral)
  })

  test('a stated value big enough to need the whole allocation takes the bond, then at most the window cap of the pool', async () => {
    const w = world()
    const { vault, keeper, staker } = fixture()
    const shares = await sharesOf(w, vault, staker.address)
    // a value floor that makes the requirement the whole allocation (1.5 × 2/3 of it)
    const value = (ALLOC * 2n) / 3n
    const { order, collateral } = await selfDealtOrder(w, {
      budget: ether(1),
      price: ether(1),
      pledge: ALLOC,
      value,
    })
    assert.equal(collateral, requiredCollateral(value, 15_000, 5_000, 0n))
    await travelTo(w, BigInt(order.params.deadline) + 1n)
    const expired = (await expireOrder(w.clientFor(keeper), order)).result
    const { slashAmount } = expired
    const windowCap = (ALLOC * WINDOW_CAP_BPS) / 10_000n
    // before: bond + pool, 10,000. Now: the bond's 1,000 and 8,000 of the pool (80% of the allocation, the most
    // any slash may take from it in one correlation window)
    assert.equal(slashAmount, BOND + windowCap)
    // while that slash is pending it holds its stake like collateral: no second self-dealt order fits
    const { svc, operator, sybil } = fixture()
    const next = await openTestOrder(w, sybil, {
      serviceId: svc.serviceId,
      budget: ether(1),
      value: ether(100),
    })
    await expectRevert(
      bidOnOrder(w.clientFor(operator), { ...next, price: ether(1), collateral: ALLOC }),
      'CollateralUnavailable',
      [requiredCollateral(ether(100), 15_000, 5_000, 0n), 0n],
    )
    // once it executed, a second one in the same window finds the bond gone and the window used up: its failure
    // takes nothing more from the pool
    await travelTo(w, expired.slash!.disputeEnd + 1n)
    await executeSlash(w.clientFor(keeper), { details: expired.slash!.details })
    const again = await selfDealtOrder(w, {
      budget: ether(1),
      price: ether(1),
      pledge: ALLOC,
      value: ether(100),
    })
    await travelTo(w, BigInt(again.order.params.deadline) + 1n)
    assert.equal((await expireOrder(w.clientFor(keeper), again.order)).result.slashAmount, 0n)
    // the honest staker keeps at least what the window cap leaves it
    const v = await readVault(w, vault)
    assert.ok(toAssetsDown(shares, v.netPoolAssets, v.totalSupply) >= POOL - windowCap - 1n)
  })
})

describe('attack 2: an operator-owned service', () => {
  const ownService = (w: World) => ownServiceOf(w, fixture().operator)
  const selfReport = (w: World, own: Awaited<ReturnType<typeof ownService>>, label: string) =>
    reportSlash(w, [own.puppet], {
      serviceId: own.serviceId,
      vault: fixture().vault,
      classId: 0,
      incidentId: incident(label),
      client: fixture().sybil.address,
    })

  test('the new exposure waits twice the withdrawal delay: a staker who leaves on seeing it queued loses nothing', async () => {
    const w = world()
    const { vault, operator, staker } = fixture()
    const own = await ownService(w)
    const queued = await allocate(w.clientFor(operator), {
      vault,
      serviceId: own.serviceId,
      increase: BOND + POOL,
    })
    const appliesAt = (await txTime(w, queued)) + 2n * BigInt(DELAY)
    // nothing to slash yet: the allocation is only queued
    await expectRevert(selfReport(w, own, 'early'), 'NothingToSlash', [own.serviceId])
    // the staker sees AllocationQueued and leaves at once
    const shares = await sharesOf(w, vault, staker.address)
    const id = (await requestWithdrawal(w.clientFor(staker), { vault, shares })).result
    const owed = (await previewWithdrawal(w, vault, staker.address, id)).assetsAtRequest
    await w.travel(DELAY)
    const before = await w.balanceOf(staker.address)
    assert.equal((await claimWithdrawal(w.clientFor(staker), { vault, id })).result, owed)
    assert.ok(owed >= POOL - 1n, 'the whole deposit, to rounding')
    assert.equal(await w.balanceOf(staker.address), before + owed)
    // the exposure the stakers refused by leaving never applies: the vault no longer holds it
    await travelTo(w, appliesAt)
    const v = await readVault(w, vault)
    await expectRevert(
      applyAllocation(w.clientFor(operator), { vault, serviceId: own.serviceId }),
      'RestakingCapExceeded',
      [ALLOC + BOND + POOL, ((v.bondAssets + v.poolAssets) * 30_000n) / 10_000n],
    )
  })

  test('nobody can buy the pool at the price a self-report crushes it to, and profit from the overturn', async () => {
    const w = world()
    const { vault, operator, sybil } = fixture()
    const own = await ownService(w)
    await allocateNow(w, operator, vault, own.serviceId, BOND + POOL)
    const { result } = await selfReport(w, own, 'crush')
    assert.ok(result.details.amount > BOND)
    // before: the sybil deposited at ~0.1% of the value and the overturn handed it the pool
    await expectRevert(deposit(w.clientFor(sybil), { vault, assets: ether(1000) }), 'PoolSlashPending', [
      result.details.amount - BOND,
    ])
  })
})

describe('attack 4: reward weight without stake', () => {
  test('weight = min(limit, stake), brought down by anyone; a banned vault stops counting at once', async () => {
    const w = world()
    const { svc, vault, staker, keeper } = fixture()
    // a second operator, equal in every way, shares the service's rewards
    const other = await setupVault(w, w.accounts[8]!, {
      bond: BOND,
      delegations: [{ staker: w.accounts[9]!, assets: POOL }],
      allocations: [{ serviceId: svc.serviceId, amount: ALLOC }],
    })
    assert.equal(await courtRead<bigint>(w, 'serviceAllocated', [svc.serviceId]), 2n * ALLOC)
    // the first vault's stakers leave: its allocation limit stays 10,000 but its stake is the bond's 1,000
    const shares = await sharesOf(w, vault, staker.address)
    const id = (await requestWithdrawal(w.clientFor(staker), { vault, shares })).result
    await w.travel(DELAY)
    await claimWithdrawal(w.clientFor(staker), { vault, id })
    const stake = (await readVault(w, vault)).bondAssets + (await readVault(w, vault)).poolAssets
    assert.ok(stake < ALLOC / 9n)
    await syncAllocation(w.clientFor(keeper), { vault, serviceId: svc.serviceId })
    assert.equal((await readAllocation(w, vault, svc.serviceId)).weight, stake)
    assert.equal(await courtRead<bigint>(w, 'serviceAllocated', [svc.serviceId]), ALLOC + stake)
    // a fee now splits by real stake
    await approveStake(w.clientFor(keeper), { spender: w.addresses.rewards, amount: maxUint256 })
    const fee = ether(110)
    void staker
    const before = await readClaimableRewards(w, svc.serviceId, other.vault)
    await addFee(w.clientFor(keeper), { serviceId: svc.serviceId, amount: fee })
    const gained = (await readClaimableRewards(w, svc.serviceId, other.vault)) - before
    const expected = (fee * ALLOC) / (ALLOC + stake)
    assert.ok(gained <= expected && expected - gained <= 1n, `${gained} vs ${expected}`)

    // a FRAUD class bans: the execution itself takes the banned vault out of the weights
    const fraud = DEFAULT_CLASSES.indexOf(FRAUD)
    const { result } = await reportSlash(w, svc.attesters.slice(0, 3), {
      serviceId: svc.serviceId,
      vault: other.vault,
      classId: fraud,
      incidentId: incident('fraud'),
      client: keeper.address,
    })
    await travelTo(w, result.disputeEnd + 1n)
    await executeSlash(w.clientFor(keeper), { details: result.details })
    assert.equal((await readAllocation(w, other.vault, svc.serviceId)).weight, 0n)
    assert.equal(await courtRead<bigint>(w, 'serviceAllocated', [svc.serviceId]), stake)
  })
})

describe('attack 5: a self-dealt order holds withdrawals for ransom', () => {
  test('a year-long order reserving the whole allocation cannot stop a staker from being paid after the delay', async () => {
    const w = world()
    const { vault, staker } = fixture()
    const { collateral } = await selfDealtOrder(w, {
      budget: ether(1),
      price: ether(1),
      pledge: ALLOC,
      value: (ALLOC * 2n) / 3n,
      duration: 364 * DAY,
    })
    assert.equal(collateral, requiredCollateral((ALLOC * 2n) / 3n, 15_000, 5_000, 0n))
    assert.ok(collateral >= ALLOC - 1n, 'the whole allocation, to rounding')
    const shares = await sharesOf(w, vault, staker.address)
    const id = (await requestWithdrawal(w.clientFor(staker), { vault, shares })).result
    await w.travel(DELAY)
    const due = (await previewWithdrawal(w, vault, staker.address, id)).claimableNow
    assert.ok(due >= POOL - 1n)
    assert.equal((await claimWithdrawal(w.clientFor(staker), { vault, id })).result, due)
  })
})

describe('attack 6: reputation for free', () => {
  test('twenty 1-wei self-dealt orders earn nothing; one real order with a real fee earns its step', async () => {
    const w = world()
    const { svc, vault, sybil } = fixture()
    for (let i = 0; i < 20; i++) {
      const { order } = await selfDealtOrder(w, { budget: 1n, price: 1n, pledge: ALLOC })
      await confirmMilestone(w.clientFor(sybil), order)
    }
    const rep = await readReputation(w, vault, svc.serviceId)
    assert.equal(rep.successes, 20n)
    // before: ~8,800 (collateral pledged for seconds counted in full); a 1-wei fee is worth nothing
    assert.equal(rep.score, 0n)
    // the honest path: an order paying 2 of fee (0.01% of the allocation) with 1% of it as collateral
    const { client, operator } = fixture()
    const real = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: ether(200), vault })
    await acceptOrder(w.clientFor(operator), real)
    await confirmMilestone(w.clientFor(client), real)
    assert.equal((await readReputation(w, vault, svc.serviceId)).score, 1000n, 'a full 10% step')
  })
})

describe('attack 7: dust bids win intents', () => {
  test('a client that states its order value makes every bid back it in full, whatever the price', async () => {
    const w = world()
    const { svc, client, operator, vault, keeper } = fixture()
    const budget = ether(100)
    const order = await openTestOrder(w, client, { serviceId: svc.serviceId, budget, value: budget })
    const required = requiredCollateral(budget, 15_000, 5_000, 0n)
    // a 1-wei bid with dust collateral is refused
    await expectRevert(
      bidOnOrder(w.clientFor(operator), { ...order, price: 1n, collateral: 2n }),
      'CollateralBelowRequirement',
      [2n, required],
    )
    // with real collateral it may win, and walking away then costs it what the order is worth
    await bidOnOrder(w.clientFor(operator), { ...order, price: 1n, collateral: required })
    await travelTo(w, BigInt(order.params.biddingEnds))
    await acceptOrder(w.clientFor(keeper), order)
    assert.equal((await readOrder(w, order.orderId)).collateral, required)
    await travelTo(w, BigInt(order.params.deadline) + 1n)
    const { result } = await expireOrder(w.clientFor(keeper), order)
    assert.equal(result.slashAmount, required)
    assert.equal((await readReputation(w, vault, svc.serviceId)).failures, 1n)
  })
})

describe('attack 10: reservations are senior to later slashes', () => {
  test("another service's slash cannot take the collateral an earlier order reserved: the client is paid it in full", async () => {
    const w = world()
    const { svc, client, operator, vault, keeper } = fixture()
    // a second service the vault backs with its whole stake, whose one class takes everything
    const total = await setupService(w, {
      attesters: w.accounts.slice(10, 15),
      params: { incidentCapBps: 10_000, windowCapBps: 10_000 },
      classes: [{ basePenaltyBps: 10_000, jailDuration: 0, permanentBan: false }],
    })
    await allocateNow(w, operator, vault, total.serviceId, BOND + POOL)
    const job = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: ether(1000), vault })
    const { result: accepted } = await acceptOrder(w.clientFor(operator), job)
    const reserved = accepted.collateral
    const { result } = await reportSlash(
      w,
      total.attesters.slice(0, 3),
      {
        serviceId: total.serviceId,
        vault,
        classId: 0,
        incidentId: incident('everything'),
        client: keeper.address,
      },
      keeper,
    )
    // sized on the whole stake (a reservation never shrinks a report: see the shield below), but it cannot execute
    // while it would leave the order's collateral unbacked
    assert.equal(result.details.amount, BOND + POOL)
    // the order fails: its client's slash is the whole collateral, whatever the report already claims
    await travelTo(w, BigInt(job.params.deadline) + 1n)
    const failed = await expireOrder(w.clientFor(keeper), job)
    assert.equal(failed.result.slashAmount, reserved, "the order's client is owed its collateral first")
    await travelTo(w, result.disputeEnd + 1n)
    await expectRevert(
      executeSlash(w.clientFor(keeper), { details: result.details }),
      'SlashWaitsForOrders',
      [BOND + POOL, BOND + POOL + reserved],
    )
    // the order's slash executes first, out of the queue
    await travelTo(w, failed.result.slash!.disputeEnd + 1n)
    const before = await w.balanceOf(client.address)
    await executeSlash(w.clientFor(keeper), { details: failed.result.slash!.details })
    assert.equal((await w.balanceOf(client.address)) - before, reserved)
    // then the report takes what is left
    await executeSlash(w.clientFor(keeper), { details: result.details })
    assert.equal((await totalsOf(w, vault)).bond + (await totalsOf(w, vault)).pool, 0n)
  })
})
