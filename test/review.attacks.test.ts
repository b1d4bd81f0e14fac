/**
 * Independent review of the issue 9 change (economic security), written as the attacker would play it: the
 * operator with as many extra addresses as it likes (sybil clients, sybil stakers, its own service with itself as
 * resolver and an attester it controls). Each test performs an attack and asserts the SAFE outcome. A test named
 * `ATTACK SUCCEEDS: ...` is one where the attack worked at review time: it fails on purpose and shows the bug.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Account, type Address, maxUint256, parseEther } from 'viem'
import { toAssetsDown } from '../src/model/sharesMath.ts'
import {
  acceptOrder,
  agreeCancelOrder,
  allocate,
  applyAllocation,
  approveStake,
  claimWithdrawal,
  completeDeallocation,
  deposit,
  executeSlash,
  expireOrder,
  readAllocation,
  readVault,
  requestDeallocation,
  requestWithdrawal,
} from '../src/sdk/index.ts'
import { sharesOf, totalsOf, travelTo, txTime, vaultRead } from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import {
  DAY,
  DEFAULT_CLASSES,
  incident,
  reportSlash,
  setupService,
  setupVault,
  WRONG_OUTPUT,
} from './support/fixtures.ts'
import { ORDER_TERMS, openTestOrder, requiredCollateral } from './support/orders.ts'
import { useWorld, type World } from './support/world.ts'

const ether = (n: number | string) => parseEther(String(n))
const BOND = ether(1000)
const POOL = ether(9000)
const ALLOC = ether(10000)
const DELAY = 7 * DAY
/** The fixture service's pipeline: 2-day dispute window + 3-day resolution deadline (defaultServiceParams). */
const PIPELINE = 5 * DAY

type Fixture = {
  svc: Awaited<ReturnType<typeof setupService>>
  vault: Address
  operator: Account
  staker: Account
  /** The operator's second address: a client, a depositor or a reporter as the attack needs. */
  sybil: Account
  /** A genuine client of the service. */
  client: Account
  keeper: Account
}

const { world, fixture } = useWorld<Fixture>(async (w) => {
  const svc = await setupService(w, { params: ORDER_TERMS })
  const operator = w.accounts[4]!
  const staker = w.accounts[5]!
  const { vault } = await setupVault(w, operator, {
    bond: BOND,
    delegations: [{ staker, assets: POOL }],
    allocations: [{ serviceId: svc.serviceId, amount: ALLOC }],
  })
  const sybil = w.accounts[6]!
  const client = w.accounts[7]!
  for (const a of [sybil, client]) {
    await approveStake(w.clientFor(a), { spender: w.addresses.orders, amount: maxUint256 })
    await approveStake(w.clientFor(a), { spender: vault, amount: maxUint256 })
  }
  return { svc, vault, operator, staker, sybil, client, keeper: w.accounts[3]! }
})

/** A genuine WRONG_OUTPUT report (10% of the allocation) against the fixture vault, signed by 3 of 5 attesters. */
function genuineReport(w: World, label: string) {
  const { svc, vault, client, keeper } = fixture()
  return reportSlash(
    w,
    svc.attesters.slice(0, 3),
    {
      serviceId: svc.serviceId,
      vault,
      classId: DEFAULT_CLASSES.indexOf(WRONG_OUTPUT),
      incidentId: incident(label),
      client: client.address,
    },
    keeper,
  )
}

/** What the genuine report is worth without any shield: 10% of the 10,000 allocation (no correlation yet). */
const GENUINE_SLASH = (ALLOC * BigInt(WRONG_OUTPUT.basePenaltyBps)) / 10_000n

/**
 * The shield: the operator's sybil opens a job naming the vault, worth 1 wei but stating `value` (a floor of the
 * collateral base), and the operator accepts it. The requirement is reserved on the allocation, and reservations are
 * senior to every later report slash.
 */
async function shield(w: World, value: bigint) {
  const { svc, vault, sybil, operator } = fixture()
  const order = await openTestOrder(w, sybil, {
    serviceId: svc.serviceId,
    budget: 1n,
    value,
    vault,
    duration: 60 * DAY,
  })
  const { result } = await acceptOrder(w.clientFor(operator), order)
  return { order, collateral: result.collateral }
}

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

describe('review: allocation queue games', () => {
  test('increases queued on several services each within the cap cannot all apply past the restaking cap', async () => {
    const w = world()
    const { vault, operator, keeper } = fixture()
    const services: bigint[] = []
    for (let i = 0; i < 3; i++) services.push((await setupService(w)).serviceId)
    // stake 10,000, cap 300%, 10,000 allocated: each 10,000 increase alone fits (20,000 ≤ 30,000)
    for (const serviceId of services) {
      await allocate(w.clientFor(operator), { vault, serviceId, increase: ALLOC })
    }
    await w.travel(2 * DELAY)
    await applyAllocation(w.clientFor(keeper), { vault, serviceId: services[0]! })
    await applyAllocation(w.clientFor(keeper), { vault, serviceId: services[1]! })
    // the third would make 40,000 on a stake of 10,000: the cap is checked again when it applies
    await expectRevert(
      applyAllocation(w.clientFor(keeper), { vault, serviceId: services[2]! }),
      'RestakingCapExceeded',
      [4n * ALLOC, 3n * ALLOC],
    )
    assert.equal(await vaultRead<bigint>(w, vault, 'totalAllocated'), 3n * ALLOC)
  })

  test('replacing a nearly matured small increase by a large one restarts the whole exposure delay', async () => {
    const w = world()
    const { vault, operator, keeper } = fixture()
    const other = (await setupService(w)).serviceId
    await allocate(w.clientFor(operator), { vault, serviceId: other, increase: 1n })
    await w.travel(2 * DELAY - 60)
    const replaced = await allocate(w.clientFor(operator), { vault, serviceId: other, increase: ALLOC })
    const readyAt = (await txTime(w, replaced)) + 2n * BigInt(DELAY)
    // when the small one would have matured, the large one is not ready; and the small one is gone
    await w.travel(120)
    await expectRevert(
      applyAllocation(w.clientFor(keeper), { vault, serviceId: other }),
      'AllocationNotReady',
      [other, readyAt],
    )
    assert.equal((await readAllocation(w, vault, other)).amount, 0n)
  })

  test('ATTACK SUCCEEDS: a matured increase left unapplied is an exposure a later depositor gets with no notice at all', async () => {
    const w = world()
    const { vault, operator, sybil } = fixture()
    const puppet = w.accounts[12]!
    // The operator's own service: itself the resolver, one attester it controls, a 99.9% class, no caps.
    const own = await setupService(w, {
      owner: operator,
      resolver: operator,
      attesters: [puppet],
      params: { incidentCapBps: 10_000, windowCapBps: 10_000, disputeWindow: 60, resolutionDeadline: 60 },
      classes: [{ basePenaltyBps: 9990, jailDuration: 0, permanentBan: false }],
    })
    // Queued long ago; it matured and the operator left it unapplied (stakers then could leave, and did not care).
    await allocate(w.clientFor(operator), { vault, serviceId: own.serviceId, increase: ether(5000) })
    await w.travel(2 * DELAY + 60 * DAY)
    // A newcomer deposits 10,000. Nothing is allocated to the operator's service.
    const newcomer = w.accounts[9]!
    await approveStake(w.clientFor(newcomer), { spender: vault, amount: maxUint256 })
    const assets = ether(10000)
    await deposit(w.clientFor(newcomer), { vault, assets })
    assert.equal((await readAllocation(w, vault, own.serviceId)).amount, 0n)
    // The operator applies it and self-reports in the next transactions (same block with a contract).
    await applyAllocation(w.clientFor(operator), { vault, serviceId: own.serviceId })
    const { result } = await reportSlash(
      w,
      [puppet],
      { serviceId: own.serviceId, vault, classId: 0, incidentId: incident('latent'), client: sybil.address },
      sybil,
    )
    // The newcomer reacts in the very next block: it asks to leave.
    const shares = await sharesOf(w, vault, newcomer.address)
    const id = (await requestWithdrawal(w.clientFor(newcomer), { vault, shares })).result
    await travelTo(w, result.disputeEnd + 1n)
    await executeSlash(w.clientFor(sybil), { details: result.details })
    await w.travel(DELAY)
    const claimed = (await claimWithdrawal(w.clientFor(newcomer), { vault, id })).result
    // SAFE outcome: an exposure that applies with no notice to the newcomer costs it nothing.
    assert.ok(
      claimed >= assets - 1n,
      `the newcomer deposited ${assets} and left at once, but was paid ${claimed} (the slash took ${result.details.amount})`,
    )
  })
})

describe('review: leaving during a pending slash', () => {
  test('a withdrawal requested while a slash above the bond is pending still bears it when it executes', async () => {
    const w = world()
    const { svc, vault, staker, keeper } = fixture()
    // FRAUD: 50% of the allocation, 5,000, far above the 1,000 bond
    const { result } = await reportSlash(
      w,
      svc.attesters.slice(0, 3),
      {
        serviceId: svc.serviceId,
        vault,
        classId: DEFAULT_CLASSES.findIndex((c) => c.permanentBan),
        incidentId: incident('fraud'),
        client: keeper.address,
      },
      keeper,
    )
    assert.ok(result.details.amount > BOND)
    const shares = await sharesOf(w, vault, staker.address)
    const id = (await requestWithdrawal(w.clientFor(staker), { vault, shares })).result
    await travelTo(w, result.disputeEnd + 1n)
    await executeSlash(w.clientFor(keeper), { details: result.details })
    await w.travel(DELAY)
    // what its shares are worth after the slash (pool − (slash − bond)), to rounding
    const v = await readVault(w, vault)
    const fair = toAssetsDown(shares, v.netPoolAssets, v.totalSupply)
    const claimed = (await claimWithdrawal(w.clientFor(staker), { vault, id })).result
    assert.equal(claimed, fair, 'the request valued before the pending slash does not escape it')
    assert.ok(claimed <= POOL - (result.details.amount - BOND) + 1n)
    const t = await totalsOf(w, vault)
    assert.equal(t.pending, 0n)
  })
})

describe('review: absolute allocation limits and co-stakers who leave first', () => {
  test('ATTACK SUCCEEDS: a sybil deposit makes an allocation look small; when the sybil leaves it covers the whole honest stake at once', async () => {
    const w = world()
    const { vault, operator, staker, sybil } = fixture()
    const puppet = w.accounts[12]!
    const own = await setupService(w, {
      owner: operator,
      resolver: operator,
      attesters: [puppet],
      params: { incidentCapBps: 10_000, windowCapBps: 10_000, disputeWindow: 60, resolutionDeadline: 60 },
      classes: [{ basePenaltyBps: 9990, jailDuration: 0, permanentBan: false }],
    })
    // The sybil deposits 90,000: the vault's stake is 100,000.
    await deposit(w.clientFor(sybil), { vault, assets: ether(90000) })
    // The operator queues 20,000 on its own service: 20% of the vault. The honest staker (9,000) reads it as
    // "at most a fifth of my stake, after the bond" and accepts it by staying through the exposure delay.
    await allocate(w.clientFor(operator), { vault, serviceId: own.serviceId, increase: ether(20000) })
    await w.travel(2 * DELAY)
    await applyAllocation(w.clientFor(operator), { vault, serviceId: own.serviceId })
    const honestBefore = toAssetsDown(
      await sharesOf(w, vault, staker.address),
      (await readVault(w, vault)).netPoolAssets,
      (await readVault(w, vault)).totalSupply,
    )
    // The sybil leaves (a withdrawal delay, like anyone). The honest staker, seeing the request, asks to leave a
    // minute later: the soonest it can react.
    const sybilShares = await sharesOf(w, vault, sybil.address)
    const sybilId = (await requestWithdrawal(w.clientFor(sybil), { vault, shares: sybilShares })).result
    await w.travel(60)
    const honestShares = await sharesOf(w, vault, staker.address)
    const honestId = (await requestWithdrawal(w.clientFor(staker), { vault, shares: honestShares })).result
    await w.travel(DELAY - 60)
    await claimWithdrawal(w.clientFor(sybil), { vault, id: sybilId })
    // The 20,000 limit now covers all of the 10,000 left: the self-report takes 99.9% of it.
    const { result } = await reportSlash(
      w,
      [puppet],
      {
        serviceId: own.serviceId,
        vault,
        classId: 0,
        incidentId: incident('costaker'),
        client: sybil.address,
      },
      sybil,
    )
    await travelTo(w, result.disputeEnd + 1n)
    await executeSlash(w.clientFor(sybil), { details: result.details })
    const claimed = (await claimWithdrawal(w.clientFor(staker), { vault, id: honestId })).result
    // The exposure the honest staker accepted: 20% of the vault, less the bond that pays first. SAFE outcome: it
    // loses at most its pro-rata share of that.
    const acceptedLoss = ((ether(20000) - BOND) * honestBefore) / (POOL + ether(90000))
    assert.ok(
      claimed + acceptedLoss + 1n >= honestBefore,
      `the honest staker had ${honestBefore}, accepted a loss of at most ${acceptedLoss}, and was paid ${claimed}`,
    )
  })
})
