import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Account, type Address, maxUint256, parseEther, zeroAddress } from 'viem'
import { BPS, min, mulDivUp } from '../src/model/sharesMath.ts'
import {
  type CorrelationWindowState,
  correlationPenaltyBps,
  recordInWindow,
  removeFromWindow,
  slashAmount,
  slashedInWindow,
  splitSlash,
  takeFromTranches,
  totalPenaltyBps,
} from '../src/model/slashMath.ts'
import {
  allocate,
  approveStake,
  deposit,
  depositBond,
  disputeSlash,
  executeSlash,
  lapseSlash,
  operatorVaultAbi,
  resolveSlash,
  type SlashDetails,
  serviceRegistryAbi,
  slashingCourtAbi,
  type ViolationClass,
} from '../src/sdk/index.ts'
import {
  allocationOf,
  balancesOf,
  courtRead,
  slashIdOf,
  statusOf,
  tamper,
  totalsOf,
  travelTo,
  txTime,
} from './support/court.ts'
import { eventsOf, expectRevert, readOrRevert } from './support/expectRevert.ts'
import {
  allocateNow,
  DAY,
  DOWNTIME,
  defaultServiceParams,
  FRAUD,
  incident,
  reportSlash,
  SINK,
  setupService,
  setupVault,
  WRONG_OUTPUT,
} from './support/fixtures.ts'
import { useWorld, type World } from './support/world.ts'

// Vault A: an odd allocation so that every rounding (slash up, payouts down) shows in the wei.
const ALLOC_A = 7_777_777_777_777_777_777_777n
const BOND_A = parseEther('500')
const POOL_A = parseEther('9500')
const ALLOC_B = parseEther('5000')
const BOND_B = parseEther('1000')
const POOL_B = parseEther('4000')
const ATTESTER_BOND = parseEther('1000') + 3n // odd, so the attester penalty's upward rounding shows
const P = defaultServiceParams(zeroAddress)
const WINDOW = BigInt(P.correlationWindow)
const EMPTY_WINDOW: CorrelationWindowState = { epoch: 0n, current: 0n, previous: 0n }

const { world, fixture } = useWorld(async (w) => {
  const svc = await setupService(w, { attesterBond: ATTESTER_BOND })
  const a = await setupVault(w, w.accounts[4]!, {
    bond: BOND_A,
    delegations: [{ staker: w.accounts[5]!, assets: POOL_A }],
    allocations: [{ serviceId: svc.serviceId, amount: ALLOC_A }],
  })
  const b = await setupVault(w, w.accounts[6]!, {
    bond: BOND_B,
    delegations: [{ staker: w.accounts[7]!, assets: POOL_B }],
    allocations: [{ serviceId: svc.serviceId, amount: ALLOC_B }],
  })
  // operators approve the court once, for dispute bonds
  for (const op of [a.operator, b.operator])
    await approveStake(w.clientFor(op), { spender: w.addresses.court, amount: maxUint256 })
  // start one hour into a correlation epoch (after the allocations' exposure delay), so no test crosses an epoch
  // boundary by accident
  const now = await w.now()
  await travelTo(w, (now / WINDOW + 1n) * WINDOW + 3600n)
  return { svc, vaultA: a.vault, opA: a.operator, vaultB: b.vault, opB: b.operator }
})

const reporter = () => world().accounts[3]!
const client = () => world().accounts[8]!
const anyone = () => world().accounts[9]!

/** A report on the fixture's service signed by the first three attesters (60% of the bond: exactly quorum). */
function report(
  vault: Address,
  label: string,
  classId = 0,
  opts: { client?: Address; serviceId?: bigint } = {},
) {
  const w = world()
  const { svc } = fixture()
  return reportSlash(
    w,
    svc.attesters.slice(0, 3),
    {
      serviceId: opts.serviceId ?? svc.serviceId,
      vault,
      classId,
      incidentId: incident(label),
      client: opts.client ?? client().address,
    },
    reporter(),
  )
}

/** The amount the formulas give for a vault with nothing pending, computed here, not read back. */
function expected(input: {
  allocated: bigint
  vaultAvailable: bigint
  basePenaltyBps: number
  inWindow?: bigint
  serviceAllocated?: bigint
  pendingOnService?: bigint
  operatorWindowSlashed?: bigint
  incidentCapBps?: number
  windowCapBps?: number
}) {
  const corr = correlationPenaltyBps(
    input.inWindow ?? 0n,
    input.serviceAllocated ?? ALLOC_A + ALLOC_B,
    BigInt(P.correlationMultiplierBps),
  )
  return slashAmount({
    allocated: input.allocated,
    pendingOnService: input.pendingOnService ?? 0n,
    operatorWindowSlashed: input.operatorWindowSlashed ?? 0n,
    vaultAvailable: input.vaultAvailable,
    penaltyBps: totalPenaltyBps(BigInt(input.basePenaltyBps), corr),
    incidentCapBps: BigInt(input.incidentCapBps ?? P.incidentCapBps),
    windowCapBps: BigInt(input.windowCapBps ?? P.windowCapBps),
  })
}

/**
 * A second service with a 90% base penalty under a 20% incident cap and a 30% window cap, to which vault A
 * allocates ALLOC_A; `send(label)` reports an incident of vault A on it.
 */
async function cappedService(w: World) {
  const { vaultA, opA } = fixture()
  const heavy: ViolationClass = { basePenaltyBps: 9000, jailDuration: 0, permanentBan: false }
  const svc = await setupService(w, {
    attesterBond: ATTESTER_BOND,
    params: { incidentCapBps: 2000, windowCapBps: 3000 },
    classes: [heavy],
  })
  await allocateNow(w, opA, vaultA, svc.serviceId, ALLOC_A)
  const send = (label: string) =>
    reportSlash(w, svc.attesters.slice(0, 3), {
      serviceId: svc.serviceId,
      vault: vaultA,
      classId: 0,
      incidentId: incident(label),
      client: zeroAddress,
    })
  return { svc, send }
}

const travelPast = async (w: World, deadline: bigint) => travelTo(w, deadline + 1n)
const disputeAs = (w: World, op: Account, details: SlashDetails) => disputeSlash(w.clientFor(op), { details })
const resolveAs = (w: World, details: SlashDetails, upheldAmount: bigint) =>
  resolveSlash(w.clientFor(fixture().svc.resolver), { details, upheldAmount })
const execute = (w: World, details: SlashDetails) => executeSlash(w.clientFor(anyone()), { details })
const attesterBond = async (w: World, who: Address) =>
  (
    await readOrRevert<readonly [boolean, number, bigint, number, number]>(w, {
      address: w.addresses.registry,
      abi: serviceRegistryAbi,
      functionName: 'attesterInfo',
      args: [fixture().svc.serviceId, who],
    })
  )[2]

describe('SlashingCourt.requestSlash', () => {
  test('fixes the amount at request to the base penalty on the allocation, rounded up, and emits SlashRequested and SlashReserved', async () => {
    const w = world()
    const { svc, vaultA } = fixture()
    const tx = await report(vaultA, 'down-1')
    const now = await txTime(w, tx)
    const amount = expected({
      allocated: ALLOC_A,
      vaultAvailable: BOND_A + POOL_A,
      basePenaltyBps: DOWNTIME.basePenaltyBps,
    })
    assert.equal(amount, ALLOC_A / 100n + 1n) // 1% of an allocation that is not a multiple of 100: rounded up
    const slashId = slashIdOf(svc.serviceId, vaultA, incident('down-1'))
    const [ev] = await eventsOf(w, tx.hash, slashingCourtAbi, 'SlashRequested')
    assert.equal(ev!.args.slashId, slashId)
    assert.equal(ev!.args.vault.toLowerCase(), vaultA.toLowerCase())
    assert.equal(ev!.args.serviceId, svc.serviceId)
    assert.equal(ev!.args.disputeEnd, now + BigInt(P.disputeWindow))
    const d = ev!.args.details as SlashDetails
    assert.deepEqual(
      {
        ...d,
        vault: d.vault.toLowerCase(),
        client: d.client.toLowerCase(),
        reporter: d.reporter.toLowerCase(),
        sink: d.sink.toLowerCase(),
      },
      {
        serviceId: svc.serviceId,
        vault: vaultA.toLowerCase(),
        classId: 0,
        incidentId: incident('down-1'),
        client: client().address.toLowerCase(),
        reporter: reporter().address.toLowerCase(),
        sink: SINK.toLowerCase(),
        amount,
        disputeBond: P.disputeBond,
        clientShareBps: P.clientShareBps,
        reporterShareBps: P.reporterShareBps,
        jailDuration: DOWNTIME.jailDuration,
        permanentBan: DOWNTIME.permanentBan,
        resolutionDeadline: P.resolutionDeadline,
        seq: 1n,
        signers: 0b111n, // the first three attesters joined at indexes 0, 1, 2
        requestedAt: Number(now),
        // the resolution deadline joins the details fixed at request (a change in progress in the contracts)
        ...('resolutionDeadline' in d ? { resolutionDeadline: P.resolutionDeadline } : {}),
      },
    )
    const [reserved] = await eventsOf(w, tx.hash, operatorVaultAbi, 'SlashReserved')
    assert.deepEqual(
      [reserved!.args.serviceId, reserved!.args.amount, reserved!.args.pendingLiabilities],
      [svc.serviceId, amount, amount],
    )
    assert.equal((await totalsOf(w, vaultA)).pending, amount)
    assert.equal((await allocationOf(w, vaultA, svc.serviceId)).pending, amount)
    assert.deepEqual(await statusOf(w, slashId), {
      status: 'Pending',
      disputeEnd: now + BigInt(P.disputeWindow),
      resolveBy: 0n,
    })
  })

  test('raises the correlation term when a second operator is slashed in the same window', async () => {
    const w = world()
    const { vaultA, vaultB } = fixture()
    const first = await report(vaultA, 'down-a')
    const amountA = expected({
      allocated: ALLOC_A,
      vaultAvailable: BOND_A + POOL_A,
      basePenaltyBps: DOWNTIME.basePenaltyBps,
    })
    assert.equal(first.result.details.amount, amountA)
    const state = recordInWindow(EMPTY_WINDOW, await txTime(w, first), WINDOW, amountA)

    const second = await report(vaultB, 'down-b')
    const inWindow = slashedInWindow(state, await txTime(w, second), WINDOW)
    assert.equal(inWindow, amountA)
    const amountB = expected({
      allocated: ALLOC_B,
      vaultAvailable: BOND_B + POOL_B,
      basePenaltyBps: DOWNTIME.basePenaltyBps,
      inWindow,
    })
    const alone = expected({
      allocated: ALLOC_B,
      vaultAvailable: BOND_B + POOL_B,
      basePenaltyBps: DOWNTIME.basePenaltyBps,
    })
    assert.equal(second.result.details.amount, amountB)
    assert.ok(amountB > alone, 'the correlated slash costs more than the isolated one')
    // 1% base + ceil(3 × ceil(amountA / allocated, in bps)) = 100 + 3 × 61 = 283 bps of 5000
    assert.equal(amountB, mulDivUp(ALLOC_B, 283n, BPS))
    assert.equal(await courtRead<bigint>(w, 'slashedInWindow', [fixture().svc.serviceId]), amountA + amountB)
  })

  test('holds a slash to the per-incident cap, rounded down', async () => {
    const w = world()
    const { vaultA } = fixture()
    // WRONG_OUTPUT with a 9% cap: the 10% penalty is capped
    const svc = await setupService(w, {
      attesterBond: ATTESTER_BOND,
      params: { incidentCapBps: 900, windowCapBps: 900 },
    })
    await allocateNow(w, fixture().opA, vaultA, svc.serviceId, ALLOC_A)
    const tx = await reportSlash(w, svc.attesters.slice(0, 3), {
      serviceId: svc.serviceId,
      vault: vaultA,
      classId: 1,
      incidentId: incident('wrong-1'),
      client: zeroAddress,
    })
    const cap = (ALLOC_A * 900n) / BPS
    assert.equal(
      expected({
        allocated: ALLOC_A,
        vaultAvailable: BOND_A + POOL_A,
        basePenaltyBps: WRONG_OUTPUT.basePenaltyBps,
        serviceAllocated: ALLOC_A,
        incidentCapBps: 900,
        windowCapBps: 900,
      }),
      cap,
    )
    assert.equal(tx.result.details.amount, cap)
    assert.ok(cap < mulDivUp(ALLOC_A, 1000n, BPS))
  })

  test('holds one operator to the per-window cap across incidents, then reverts with NothingToSlash', async () => {
    const w = world()
    const { vaultA, opA } = fixture()
    const { svc, send } = await cappedService(w)
    const common = {
      allocated: ALLOC_A,
      basePenaltyBps: 9000,
      incidentCapBps: 2000,
      windowCapBps: 3000,
      serviceAllocated: ALLOC_A,
    }
    const first = await send('w-1')
    const amount1 = expected({ ...common, vaultAvailable: BOND_A + POOL_A })
    assert.equal(first.result.details.amount, amount1)
    assert.equal(amount1, (ALLOC_A * 2000n) / BPS) // the incident cap binds
    const second = await send('w-2')
    const amount2 = expected({
      ...common,
      vaultAvailable: BOND_A + POOL_A - amount1,
      pendingOnService: amount1,
      operatorWindowSlashed: amount1,
      inWindow: amount1,
    })
    assert.equal(amount2, (ALLOC_A * 3000n) / BPS - amount1) // only the window cap's room is left
    assert.equal(second.result.details.amount, amount2)
    await expectRevert(send('w-3'), 'NothingToSlash', [svc.serviceId])
  })

  test('gives a lapsed or partly upheld slash back to the per-window cap, so it never shields the operator from the next one', async () => {
    const w = world()
    const { vaultA, opA } = fixture()
    const { svc, send } = await cappedService(w)
    const incidentCap = (ALLOC_A * 2000n) / BPS
    const first = await send('r-1')
    assert.equal(first.result.details.amount, incidentCap)
    await disputeAs(w, opA, first.result.details)
    const { resolveBy } = await statusOf(w, first.result.slashId)
    await travelPast(w, resolveBy)
    await lapseSlash(w.clientFor(anyone()), { details: first.result.details })
    // with the lapsed amount still counted, only 30% - 20% of the allocation would be left
    const second = await send('r-2')
    assert.equal(second.result.details.amount, incidentCap)
    // a partial uphold gives back what the resolver struck off
    await disputeAs(w, opA, second.result.details)
    const kept = incidentCap / 4n
    await resolveAs(w, second.result.details, kept)
    const third = await send('r-3')
    assert.equal(third.result.details.amount, min(incidentCap, (ALLOC_A * 3000n) / BPS - kept))
  })

  test('reverts with NothingToSlash when the vault stake is already owed to slashes on another service', async () => {
    const w = world()
    const { vaultB, opB, svc } = fixture()
    const total: ViolationClass = { basePenaltyBps: 10_000, jailDuration: 0, permanentBan: false }
    const other = await setupService(w, {
      attesterBond: ATTESTER_BOND,
      params: { incidentCapBps: 10_000, windowCapBps: 10_000 },
      classes: [total],
    })
    await allocateNow(w, opB, vaultB, other.serviceId, BOND_B + POOL_B)
    const all = await reportSlash(w, other.attesters.slice(0, 3), {
      serviceId: other.serviceId,
      vault: vaultB,
      classId: 0,
      incidentId: incident('all'),
      client: zeroAddress,
    })
    assert.equal(all.result.details.amount, BOND_B + POOL_B)
    await expectRevert(report(vaultB, 'down-after'), 'NothingToSlash', [svc.serviceId])
  })

  test('reverts with NotAllocated for a vault that never allocated, and for one allocated only elsewhere', async () => {
    const w = world()
    const { svc } = fixture()
    const c = await setupVault(w, w.accounts[15]!, {
      bond: parseEther('100'),
      delegations: [{ staker: w.accounts[16]!, assets: parseEther('900') }],
    })
    await expectRevert(report(c.vault, 'never'), 'NotAllocated', [svc.serviceId, c.vault])
    await expectRevert(report(w.accounts[17]!.address, 'not-a-vault'), 'NotAllocated', [
      svc.serviceId,
      w.accounts[17]!.address,
    ])
    const other = await setupService(w, { attesterBond: ATTESTER_BOND })
    await allocateNow(w, c.operator, c.vault, other.serviceId, parseEther('500'))
    await expectRevert(report(c.vault, 'elsewhere'), 'NotAllocated', [svc.serviceId])
  })
})

describe('SlashingCourt.dispute', () => {
  test('reverts with NotOperator for anyone but the vault operator', async () => {
    const w = world()
    const { result } = await report(fixture().vaultA, 'd-1')
    await expectRevert(disputeAs(w, fixture().opB, result.details), 'NotOperator', [fixture().opB.address])
    await expectRevert(disputeAs(w, anyone(), result.details), 'NotOperator', [anyone().address])
  })

  test('reverts with DisputeWindowClosed once the dispute window has closed', async () => {
    const w = world()
    const { result } = await report(fixture().vaultA, 'd-2')
    assert.equal(result.disputeEnd, BigInt(result.details.requestedAt) + BigInt(P.disputeWindow))
    await travelPast(w, result.disputeEnd)
    await expectRevert(disputeAs(w, fixture().opA, result.details), 'DisputeWindowClosed', [
      result.slashId,
      result.disputeEnd,
    ])
  })

  test('posts the dispute bond from the operator to the court and opens the resolution deadline', async () => {
    const w = world()
    const { vaultA, opA } = fixture()
    const { result } = await report(vaultA, 'd-3')
    const before = await balancesOf(w, [opA.address, w.addresses.court])
    const tx = await disputeAs(w, opA, result.details)
    const after = await balancesOf(w, [opA.address, w.addresses.court])
    assert.equal(before[0]! - after[0]!, P.disputeBond)
    assert.equal(after[1]! - before[1]!, P.disputeBond)
    const resolveBy = (await txTime(w, tx)) + BigInt(P.resolutionDeadline)
    assert.deepEqual(await statusOf(w, result.slashId), {
      status: 'Disputed',
      disputeEnd: result.disputeEnd,
      resolveBy,
    })
    const [ev] = await eventsOf(w, tx.hash, slashingCourtAbi, 'SlashDisputed')
    assert.deepEqual(
      [ev!.args.slashId, ev!.args.operator.toLowerCase(), ev!.args.bond, ev!.args.resolveBy],
      [result.slashId, opA.address.toLowerCase(), P.disputeBond, resolveBy],
    )
    await expectRevert(disputeAs(w, opA, result.details), 'WrongStatus', [result.slashId, 2])
  })
})

describe('SlashingCourt.resolve', () => {
  test('reverts with NotResolver for anyone but the service resolver', async () => {
    const w = world()
    const { result } = await report(fixture().vaultA, 'r-1')
    await disputeAs(w, fixture().opA, result.details)
    await expectRevert(
      resolveSlash(w.clientFor(fixture().opA), { details: result.details, upheldAmount: 0n }),
      'NotResolver',
      [fixture().opA.address],
    )
    await expectRevert(
      resolveSlash(w.clientFor(fixture().svc.owner), { details: result.details, upheldAmount: 0n }),
      'NotResolver',
      [fixture().svc.owner.address],
    )
  })

  test('reverts with WrongStatus for a slash nobody disputed', async () => {
    const { result } = await report(fixture().vaultA, 'r-2')
    await expectRevert(resolveAs(world(), result.details, result.details.amount), 'WrongStatus', [
      result.slashId,
      1,
    ])
  })

  test('upholding in full keeps the liability and pays the dispute bond to the reporter', async () => {
    const w = world()
    const { vaultA, opA } = fixture()
    const { result } = await report(vaultA, 'r-3')
    await disputeAs(w, opA, result.details)
    const before = await balancesOf(w, [reporter().address, w.addresses.court, opA.address])
    const tx = await resolveAs(w, result.details, result.details.amount)
    const after = await balancesOf(w, [reporter().address, w.addresses.court, opA.address])
    assert.deepEqual(
      [after[0]! - before[0]!, before[1]! - after[1]!, after[2]! - before[2]!],
      [P.disputeBond, P.disputeBond, 0n],
    )
    assert.equal((await statusOf(w, result.slashId)).status, 'Upheld')
    assert.equal((await totalsOf(w, vaultA)).pending, result.details.amount)
    const [ev] = await eventsOf(w, tx.hash, slashingCourtAbi, 'SlashUpheld')
    assert.equal(ev!.args.details.amount, result.details.amount)
    assert.equal(ev!.args.details.requestedAt, result.details.requestedAt)
  })

  test('upholding partially releases the difference and publishes the reduced details in SlashUpheld', async () => {
    const w = world()
    const { vaultA, opA, svc } = fixture()
    const { result } = await report(vaultA, 'r-4')
    const amount = result.details.amount
    const upheld = amount / 3n
    await disputeAs(w, opA, result.details)
    const tx = await resolveAs(w, result.details, upheld)
    assert.equal((await totalsOf(w, vaultA)).pending, upheld)
    assert.equal((await allocationOf(w, vaultA, svc.serviceId)).pending, upheld)
    const [ev] = await eventsOf(w, tx.hash, slashingCourtAbi, 'SlashUpheld')
    const reduced = ev!.args.details as SlashDetails
    assert.deepEqual(reduced, { ...result.details, amount: upheld })
    // the released part leaves the correlation window too
    const state = removeFromWindow(
      recordInWindow(EMPTY_WINDOW, BigInt(result.details.requestedAt), WINDOW, amount),
      BigInt(result.details.requestedAt),
      WINDOW,
      amount - upheld,
    )
    assert.equal(
      await courtRead<bigint>(w, 'slashedInWindow', [svc.serviceId]),
      slashedInWindow(state, await w.now(), WINDOW),
    )
    // only the new details act on the slash now
    await expectRevert(execute(w, result.details), 'DetailsMismatch', [result.slashId])
  })

  test('overturning releases the liability, returns the bond and pays the signers’ slashed bonds (rounded up) to the operator', async () => {
    const w = world()
    const { vaultA, opA, svc } = fixture()
    const { result } = await report(vaultA, 'r-5')
    await disputeAs(w, opA, result.details)
    const signers = svc.attesters.slice(0, 3).map((a) => a.address)
    const bystanders = svc.attesters.slice(3).map((a) => a.address)
    const before = await balancesOf(w, [opA.address, w.addresses.court, w.addresses.registry])
    const tx = await resolveAs(w, result.details, 0n)
    const after = await balancesOf(w, [opA.address, w.addresses.court, w.addresses.registry])
    const penalty = mulDivUp(ATTESTER_BOND, BigInt(P.attesterPenaltyBps), BPS)
    assert.equal(penalty, (ATTESTER_BOND * BigInt(P.attesterPenaltyBps)) / BPS + 1n)
    assert.equal(after[0]! - before[0]!, P.disputeBond + 3n * penalty)
    assert.equal(before[1]! - after[1]!, P.disputeBond)
    assert.equal(before[2]! - after[2]!, 3n * penalty)
    for (const s of signers) assert.equal(await attesterBond(w, s), ATTESTER_BOND - penalty)
    for (const s of bystanders) assert.equal(await attesterBond(w, s), ATTESTER_BOND)
    const [ev] = await eventsOf(w, tx.hash, slashingCourtAbi, 'SlashOverturned')
    assert.deepEqual([ev!.args.slashId, ev!.args.attestersSlashed], [result.slashId, 3n * penalty])
    assert.equal((await totalsOf(w, vaultA)).pending, 0n)
    assert.equal((await allocationOf(w, vaultA, svc.serviceId)).pending, 0n)
    assert.equal(await courtRead<bigint>(w, 'slashedInWindow', [svc.serviceId]), 0n)
    assert.equal((await statusOf(w, result.slashId)).status, 'Overturned')
    await travelPast(w, result.disputeEnd)
    await expectRevert(execute(w, result.details), 'WrongStatus', [result.slashId, 5])
  })

  test('reverts with ResolutionDeadlinePassed after the resolution deadline', async () => {
    const w = world()
    const { result } = await report(fixture().vaultA, 'r-6')
    await disputeAs(w, fixture().opA, result.details)
    const { resolveBy } = await statusOf(w, result.slashId)
    await travelPast(w, resolveBy)
    await expectRevert(resolveAs(w, result.details, 0n), 'ResolutionDeadlinePassed', [
      result.slashId,
      resolveBy,
    ])
  })
})

describe('SlashingCourt.lapse', () => {
  test('reverts with ResolutionDeadlineNotPassed before the deadline and WrongStatus for an undisputed slash', async () => {
    const w = world()
    const { result } = await report(fixture().vaultA, 'l-1')
    await expectRevert(lapseSlash(w.clientFor(anyone()), { details: result.details }), 'WrongStatus', [
      result.slashId,
      1,
    ])
    await disputeAs(w, fixture().opA, result.details)
    const { resolveBy } = await statusOf(w, result.slashId)
    await travelTo(w, resolveBy - 60n)
    await expectRevert(
      lapseSlash(w.clientFor(anyone()), { details: result.details }),
      'ResolutionDeadlineNotPassed',
      [result.slashId, resolveBy],
    )
  })

  test('after the deadline anyone lapses the slash: the bond goes back and the liability is released', async () => {
    const w = world()
    const { vaultA, opA, svc } = fixture()
    const { result } = await report(vaultA, 'l-2')
    await disputeAs(w, opA, result.details)
    await travelPast(w, (await statusOf(w, result.slashId)).resolveBy)
    const before = await balancesOf(w, [opA.address, w.addresses.court, anyone().address])
    const tx = await lapseSlash(w.clientFor(anyone()), { details: result.details })
    const after = await balancesOf(w, [opA.address, w.addresses.court, anyone().address])
    assert.deepEqual(
      [after[0]! - before[0]!, before[1]! - after[1]!, after[2]! - before[2]!],
      [P.disputeBond, P.disputeBond, 0n],
    )
    assert.equal((await totalsOf(w, vaultA)).pending, 0n)
    assert.equal((await allocationOf(w, vaultA, svc.serviceId)).pending, 0n)
    assert.equal((await statusOf(w, result.slashId)).status, 'Lapsed')
    assert.equal(
      (await eventsOf(w, tx.hash, slashingCourtAbi, 'SlashLapsed'))[0]!.args.slashId,
      result.slashId,
    )
    await expectRevert(execute(w, result.details), 'WrongStatus', [result.slashId, 6])
  })
})

describe('SlashingCourt.executeSlash', () => {
  test('reverts with DisputeWindowOpen while the dispute window is open', async () => {
    const w = world()
    const { result } = await report(fixture().vaultA, 'e-1')
    await travelTo(w, result.disputeEnd - 60n)
    await expectRevert(execute(w, result.details), 'DisputeWindowOpen', [result.slashId, result.disputeEnd])
  })

  test('after the window anyone executes: bond first, then pool, and every recipient is paid to the wei', async () => {
    const w = world()
    const { vaultA, svc } = fixture()
    const { result } = await report(vaultA, 'e-2', 1) // WRONG_OUTPUT: 10%, larger than the bond
    const amount = expected({
      allocated: ALLOC_A,
      vaultAvailable: BOND_A + POOL_A,
      basePenaltyBps: WRONG_OUTPUT.basePenaltyBps,
    })
    assert.equal(result.details.amount, amount)
    // the slash exceeds the bond: the pool takes no deposit at the price it implies until it settles
    await expectRevert(
      deposit(w.clientFor(w.accounts[5]!), { vault: vaultA, assets: parseEther('1234') }),
      'PoolSlashPending',
      [amount - BOND_A],
    )
    await travelPast(w, result.disputeEnd)
    const who = [vaultA, client().address, reporter().address, SINK, anyone().address]
    const before = await balancesOf(w, who)
    const tx = await execute(w, result.details)
    const after = await balancesOf(w, who)
    const { fromBond, fromPool } = takeFromTranches(BOND_A, POOL_A, amount)
    assert.deepEqual([fromBond, fromPool], [BOND_A, amount - BOND_A])
    const split = splitSlash(amount, BigInt(P.clientShareBps), BigInt(P.reporterShareBps), true)
    assert.equal(split.client, (amount * 5000n) / BPS) // rounded down
    assert.deepEqual(
      after.map((a, i) => a - before[i]!),
      [-amount, split.client, split.reporter, split.sink, 0n],
    )
    assert.deepEqual(await totalsOf(w, vaultA), {
      bond: 0n,
      pool: POOL_A - fromPool,
      pending: 0n,
      queuedShares: 0n,
    })
    // allocations are limits: execution does not rewrite them
    assert.equal((await allocationOf(w, vaultA, svc.serviceId)).amount, ALLOC_A)
    const [ev] = await eventsOf(w, tx.hash, slashingCourtAbi, 'SlashExecuted')
    assert.deepEqual(
      [
        ev!.args.slashId,
        ev!.args.fromBond,
        ev!.args.fromPool,
        ev!.args.toClient,
        ev!.args.toReporter,
        ev!.args.toSink,
      ],
      [result.slashId, fromBond, fromPool, split.client, split.reporter, split.sink],
    )
    assert.equal((await statusOf(w, result.slashId)).status, 'Executed')
    await expectRevert(execute(w, result.details), 'WrongStatus', [result.slashId, 4])
  })

  test('without a harmed client, the client share goes to the sink', async () => {
    const w = world()
    const { vaultB } = fixture()
    const { result } = await report(vaultB, 'e-3', 0, { client: zeroAddress })
    await travelPast(w, result.disputeEnd)
    const who = [vaultB, reporter().address, SINK]
    const before = await balancesOf(w, who)
    await execute(w, result.details)
    const after = await balancesOf(w, who)
    const amount = result.details.amount
    const split = splitSlash(amount, BigInt(P.clientShareBps), BigInt(P.reporterShareBps), false)
    assert.equal(split.client, 0n)
    assert.deepEqual(
      after.map((a, i) => a - before[i]!),
      [-amount, split.reporter, split.sink],
    )
    assert.deepEqual(await totalsOf(w, vaultB), {
      bond: BOND_B - amount,
      pool: POOL_B,
      pending: 0n,
      queuedShares: 0n,
    })
  })

  test('an upheld slash executes at once, before its dispute window would have closed', async () => {
    const w = world()
    const { vaultA, opA } = fixture()
    const { result } = await report(vaultA, 'e-4')
    await disputeAs(w, opA, result.details)
    const tx = await resolveAs(w, result.details, result.details.amount - 1n)
    const [ev] = await eventsOf(w, tx.hash, slashingCourtAbi, 'SlashUpheld')
    assert.ok((await w.now()) < result.disputeEnd)
    const before = await w.balanceOf(vaultA)
    await execute(w, ev!.args.details as SlashDetails)
    assert.equal(before - (await w.balanceOf(vaultA)), result.details.amount - 1n)
    assert.equal((await totalsOf(w, vaultA)).pending, 0n)
  })

  test('enforces request order per vault with SlashNotNextInQueue, and not across vaults', async () => {
    const w = world()
    const { vaultA, vaultB } = fixture()
    const first = await report(vaultA, 'q-1')
    const second = await report(vaultA, 'q-2')
    const otherVault = await report(vaultB, 'q-b')
    assert.deepEqual(
      [first.result.details.seq, second.result.details.seq, otherVault.result.details.seq],
      [1n, 2n, 1n],
    )
    // past the last of the three windows (requested in successive blocks, they may end in different seconds)
    await travelPast(w, otherVault.result.disputeEnd)
    await expectRevert(execute(w, second.result.details), 'SlashNotNextInQueue', [second.result.slashId, 1n])
    await execute(w, otherVault.result.details)
    await execute(w, first.result.details)
    await execute(w, second.result.details)
    assert.equal((await totalsOf(w, vaultA)).pending, 0n)
  })

  test('an overturned or lapsed earlier slash no longer blocks the ones after it', async () => {
    const w = world()
    const { vaultA, opA } = fixture()
    const first = await report(vaultA, 'o-1')
    const second = await report(vaultA, 'o-2')
    const third = await report(vaultA, 'o-3')
    await disputeAs(w, opA, first.result.details)
    await disputeAs(w, opA, second.result.details)
    await resolveAs(w, first.result.details, 0n)
    await travelPast(w, third.result.disputeEnd)
    await expectRevert(execute(w, third.result.details), 'SlashNotNextInQueue', [third.result.slashId, 2n])
    await travelPast(w, (await statusOf(w, second.result.slashId)).resolveBy)
    await lapseSlash(w.clientFor(anyone()), { details: second.result.details })
    await execute(w, third.result.details)
    assert.equal((await statusOf(w, third.result.slashId)).status, 'Executed')
  })

  test('reverts with DetailsMismatch for tampered details and SlashNotFound for an unknown slash', async () => {
    const w = world()
    const { result } = await report(fixture().vaultA, 't-1')
    await travelPast(w, result.disputeEnd)
    const d = result.details
    for (const change of [
      { amount: d.amount + 1n },
      { reporter: anyone().address },
      { sink: anyone().address },
      { clientShareBps: 9000 },
      { permanentBan: true },
      { seq: 2n },
      { signers: 0b11000n },
    ] satisfies Partial<SlashDetails>[]) {
      await expectRevert(execute(w, tamper(d, change)), 'DetailsMismatch', [result.slashId])
    }
    await expectRevert(disputeAs(w, fixture().opA, tamper(d, { disputeBond: 0n })), 'DetailsMismatch', [
      result.slashId,
    ])
    const unknown = tamper(d, { incidentId: incident('never-reported') })
    await expectRevert(execute(w, unknown), 'SlashNotFound', [
      slashIdOf(d.serviceId, d.vault, unknown.incidentId),
    ])
  })
})

describe('SlashingCourt jail and ban', () => {
  test('an executed WRONG_OUTPUT slash jails the operator: allocate reverts with OperatorJailed until the jail ends', async () => {
    const w = world()
    const { vaultA, opA, svc } = fixture()
    const { result } = await report(vaultA, 'j-1', 1)
    await travelPast(w, result.disputeEnd)
    const tx = await execute(w, result.details)
    const until = (await txTime(w, tx)) + BigInt(WRONG_OUTPUT.jailDuration)
    assert.equal(await courtRead<bigint>(w, 'jailedUntil', [svc.serviceId, vaultA]), until)
    const [ev] = await eventsOf(w, tx.hash, slashingCourtAbi, 'OperatorJailed')
    assert.deepEqual(
      [ev!.args.serviceId, ev!.args.vault.toLowerCase(), ev!.args.until],
      [svc.serviceId, vaultA.toLowerCase(), until],
    )
    await expectRevert(
      allocate(w.clientFor(opA), { vault: vaultA, serviceId: svc.serviceId, increase: 1n }),
      'OperatorJailed',
      [svc.serviceId, until],
    )
    await travelTo(w, until - 60n)
    await expectRevert(
      allocate(w.clientFor(opA), { vault: vaultA, serviceId: svc.serviceId, increase: 1n }),
      'OperatorJailed',
      [svc.serviceId, until],
    )
    await travelTo(w, until)
    // the slash took the bond: the operator restores its minimum bond before it may raise the allocation again
    await depositBond(w.clientFor(opA), { vault: vaultA, amount: BOND_A })
    // the slash shrank the stake, and the allocation with it (it keeps its share of the stake): the increase is
    // added to what is in effect, not to the old limit
    const effective = await readOrRevert<bigint>(w, {
      address: vaultA,
      abi: operatorVaultAbi,
      functionName: 'slashableStake',
      args: [svc.serviceId],
    })
    assert.ok(effective < ALLOC_A)
    await allocateNow(w, opA, vaultA, svc.serviceId, 1n)
    assert.equal((await allocationOf(w, vaultA, svc.serviceId)).amount, effective + 1n)
  })

  test('a DOWNTIME slash does not jail', async () => {
    const w = world()
    const { vaultA, opA, svc } = fixture()
    const { result } = await report(vaultA, 'j-2', 0)
    await travelPast(w, result.disputeEnd)
    await execute(w, result.details)
    assert.equal(await courtRead<bigint>(w, 'jailedUntil', [svc.serviceId, vaultA]), 0n)
    await allocateNow(w, opA, vaultA, svc.serviceId, 1n)
  })

  test('an executed FRAUD slash bans the operator from the service for good', async () => {
    const w = world()
    const { vaultB, opB, svc } = fixture()
    const { result } = await report(vaultB, 'f-1', 2)
    assert.equal(
      result.details.amount,
      expected({ allocated: ALLOC_B, vaultAvailable: BOND_B + POOL_B, basePenaltyBps: FRAUD.basePenaltyBps }),
    )
    assert.equal(await courtRead<boolean>(w, 'isBanned', [svc.serviceId, vaultB]), false)
    await travelPast(w, result.disputeEnd)
    const tx = await execute(w, result.details)
    const [ev] = await eventsOf(w, tx.hash, slashingCourtAbi, 'OperatorBannedForever')
    assert.deepEqual(
      [ev!.args.serviceId, ev!.args.vault.toLowerCase()],
      [svc.serviceId, vaultB.toLowerCase()],
    )
    assert.equal(await courtRead<boolean>(w, 'isBanned', [svc.serviceId, vaultB]), true)
    await expectRevert(report(vaultB, 'f-2'), 'OperatorBanned', [svc.serviceId])
    await expectRevert(
      allocate(w.clientFor(opB), { vault: vaultB, serviceId: svc.serviceId, increase: 1n }),
      'OperatorBanned',
      [svc.serviceId],
    )
    await travelTo(w, (await w.now()) + BigInt(365 * DAY))
    await expectRevert(
      allocate(w.clientFor(opB), { vault: vaultB, serviceId: svc.serviceId, increase: 1n }),
      'OperatorBanned',
      [svc.serviceId],
    )
  })
})

describe('SlashingCourt views', () => {
  test('slashStatus, serviceAllocated, slashedInWindow, nextToExecute and queueLength follow the slashes', async () => {
    const w = world()
    const { vaultA, vaultB, opA, svc } = fixture()
    const unknown = slashIdOf(svc.serviceId, vaultA, incident('none'))
    assert.deepEqual(await statusOf(w, unknown), { status: 'None', disputeEnd: 0n, resolveBy: 0n })
    assert.equal(await courtRead<bigint>(w, 'serviceAllocated', [svc.serviceId]), ALLOC_A + ALLOC_B)
    await allocateNow(w, opA, vaultA, svc.serviceId, 5n)
    assert.equal(await courtRead<bigint>(w, 'serviceAllocated', [svc.serviceId]), ALLOC_A + ALLOC_B + 5n)
    assert.deepEqual(await courtRead(w, 'queueLength', [vaultA]), [1n, 1n]) // set at first allocation
    assert.equal(await courtRead<bigint>(w, 'nextToExecute', [vaultA]), 1n)
    assert.deepEqual(await courtRead(w, 'queueLength', [w.accounts[17]!.address]), [0n, 0n])

    const s1 = await report(vaultA, 'v-1')
    let state = recordInWindow(
      EMPTY_WINDOW,
      BigInt(s1.result.details.requestedAt),
      WINDOW,
      s1.result.details.amount,
    )
    const s2 = await report(vaultA, 'v-2')
    state = recordInWindow(state, BigInt(s2.result.details.requestedAt), WINDOW, s2.result.details.amount)
    const s3 = await report(vaultB, 'v-3')
    state = recordInWindow(state, BigInt(s3.result.details.requestedAt), WINDOW, s3.result.details.amount)
    assert.equal(
      await courtRead<bigint>(w, 'slashedInWindow', [svc.serviceId]),
      slashedInWindow(state, await w.now(), WINDOW),
    )
    assert.equal(
      state.current,
      s1.result.details.amount + s2.result.details.amount + s3.result.details.amount,
    )
    assert.deepEqual(await courtRead(w, 'queueLength', [vaultA]), [1n, 3n])
    assert.deepEqual(await courtRead(w, 'queueLength', [vaultB]), [1n, 2n])

    // overturning the first moves nextToExecute past it; the head moves only with an execution
    await disputeAs(w, opA, s1.result.details)
    await resolveAs(w, s1.result.details, 0n)
    state = removeFromWindow(state, BigInt(s1.result.details.requestedAt), WINDOW, s1.result.details.amount)
    assert.equal(
      await courtRead<bigint>(w, 'slashedInWindow', [svc.serviceId]),
      slashedInWindow(state, await w.now(), WINDOW),
    )
    assert.equal(await courtRead<bigint>(w, 'nextToExecute', [vaultA]), 2n)
    assert.deepEqual(await courtRead(w, 'queueLength', [vaultA]), [1n, 3n])
    await travelPast(w, s2.result.disputeEnd)
    await execute(w, s2.result.details)
    assert.deepEqual(await courtRead(w, 'queueLength', [vaultA]), [3n, 3n])
    assert.equal(await courtRead<bigint>(w, 'nextToExecute', [vaultA]), 3n)
    assert.equal((await statusOf(w, s2.result.slashId)).status, 'Executed')
    // an executed slash stays in the window: it was slashed
    assert.equal(
      await courtRead<bigint>(w, 'slashedInWindow', [svc.serviceId]),
      slashedInWindow(state, await w.now(), WINDOW),
    )
    // the window forgets slashes linearly over the next epoch, then entirely
    const nextEpoch = (BigInt(s3.result.details.requestedAt) / WINDOW + 1n) * WINDOW
    await travelTo(w, nextEpoch + WINDOW / 2n)
    assert.equal(
      await courtRead<bigint>(w, 'slashedInWindow', [svc.serviceId]),
      slashedInWindow(state, await w.now(), WINDOW),
    )
    assert.equal(
      slashedInWindow(state, await w.now(), WINDOW),
      mulDivUp(state.current, WINDOW - ((await w.now()) % WINDOW), WINDOW),
    )
    await travelTo(w, nextEpoch + WINDOW)
    assert.equal(await courtRead<bigint>(w, 'slashedInWindow', [svc.serviceId]), 0n)
  })
})
