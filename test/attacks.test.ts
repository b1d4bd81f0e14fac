/**
 * Attacks on vaults and the slashing court, each asserted to fail. Expected amounts come from the pure formulas
 * in src/model (sharesMath, slashMath), never from the contracts themselves.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  type Account,
  type Address,
  getAddress,
  keccak256,
  maxUint256,
  parseEther,
  toHex,
  zeroAddress,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import {
  feeOnTransferTokenBytecode,
  returnsFalseTokenAbi,
  returnsFalseTokenBytecode,
} from '../src/generated/contracts.ts'
import { min, netPoolAssets, toAssetsDown, toSharesDown } from '../src/model/sharesMath.ts'
import {
  type CorrelationWindowState,
  correlationPenaltyBps,
  recordInWindow,
  slashAmount,
  slashedInWindow,
  totalPenaltyBps,
} from '../src/model/slashMath.ts'
import {
  approveAttester,
  approveStake,
  claimWithdrawal,
  completeDeallocation,
  createVault,
  deposit,
  depositBond,
  disputeSlash,
  executeSlash,
  joinCommittee,
  recoverReportSigner,
  requestDeallocation,
  requestSlash,
  requestWithdrawal,
  resolveSlash,
  type SignedReport,
  type SlashDetails,
  type SlashReport,
  sendTransaction,
  signReport,
  stakeTokenAbi,
} from '../src/sdk/index.ts'
import {
  allocationOf,
  byAddress,
  requestSlashRaw,
  sharesOf,
  slashIdOf,
  statusOf,
  supplyOf,
  totalsOf,
  travelTo,
  txTime,
  vaultRead,
} from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import {
  allocateNow,
  DAY,
  defaultServiceParams,
  incident,
  reportSlash,
  setupService,
  setupVault,
} from './support/fixtures.ts'
import { installToken } from './support/tokens.ts'
import { useWorld, type World } from './support/world.ts'

const P = defaultServiceParams(zeroAddress)
const WINDOW = BigInt(P.correlationWindow)
const WITHDRAWAL_DELAY = BigInt(7 * DAY) // setupVault's default
const BOND = parseEther('100')
const POOL = parseEther('9900')
const ALLOC = parseEther('10000')
const WRONG_OUTPUT = 1

const { world, fixture } = useWorld(async (w) => {
  // start one hour into a correlation epoch, so no test crosses an epoch boundary by accident
  await travelTo(w, ((await w.now()) / WINDOW + 1n) * WINDOW + 3600n)
  const svc = await setupService(w)
  const { vault, operator } = await setupVault(w, w.accounts[4]!, {
    bond: BOND,
    delegations: [{ staker: w.accounts[5]!, assets: POOL }],
    allocations: [{ serviceId: svc.serviceId, amount: ALLOC }],
  })
  await approveStake(w.clientFor(operator), { spender: w.addresses.court, amount: maxUint256 })
  return { svc, vault, operator, staker: w.accounts[5]! }
})

const submitter = () => world().accounts[3]!
const keeper = () => world().accounts[9]!
const domainOf = (w: World) => ({ chainId: w.chainId, court: w.addresses.court })

function reportOn(label: string, classId = 0, vault = fixture().vault): SlashReport {
  return {
    serviceId: fixture().svc.serviceId,
    vault,
    classId,
    incidentId: incident(label),
    client: zeroAddress,
  }
}
const report = (label: string, classId = 0, vault?: Address) =>
  reportSlash(world(), fixture().svc.attesters.slice(0, 3), reportOn(label, classId, vault), submitter())
const execute = (w: World, details: SlashDetails) => executeSlash(w.clientFor(keeper()), { details })

/** Shares minted for the fixture staker's deposit into a fresh vault (one dead share, no assets). */
const STAKER_SHARES = toSharesDown(POOL, 0n, 1n)
const SUPPLY = STAKER_SHARES + 1n

/** A first slash on the fixture vault, formula-computed: nothing pending, empty window. */
const firstSlash = (basePenaltyBps: number) =>
  slashAmount({
    allocated: ALLOC,
    pendingOnService: 0n,
    operatorWindowSlashed: 0n,
    vaultAvailable: BOND + POOL,
    penaltyBps: totalPenaltyBps(BigInt(basePenaltyBps), 0n),
    incidentCapBps: BigInt(P.incidentCapBps),
    windowCapBps: BigInt(P.windowCapBps),
  })

describe('attack: first-depositor inflation', () => {
  test('an attacker who deposits 1 wei and donates to the vault loses the donation; the victim gets fair shares', async () => {
    const w = world()
    const attacker = w.accounts[16]!
    const victim = w.accounts[17]!
    const { result: vault } = await createVault(w.clientFor(w.accounts[15]!), {
      withdrawalDelay: 7 * DAY,
      commissionBps: 0,
      restakingCapBps: 10_000,
      name: 'Empty',
      symbol: 'E',
    })
    for (const a of [attacker, victim])
      await approveStake(w.clientFor(a), { spender: vault, amount: maxUint256 })
    const attackerStart = await w.balanceOf(attacker.address)
    const victimStart = await w.balanceOf(victim.address)

    const { result: attackerShares } = await deposit(w.clientFor(attacker), { vault, assets: 1n })
    assert.equal(attackerShares, toSharesDown(1n, 0n, 1n))
    const donation = parseEther('10000')
    await sendTransaction(w.clientFor(attacker), {
      address: w.addresses.stakeToken,
      abi: stakeTokenAbi,
      functionName: 'transfer',
      args: [vault, donation],
    })
    // the donation is not pool assets: the share price did not move
    assert.deepEqual(await totalsOf(w, vault), { bond: 0n, pool: 1n, pending: 0n, queuedShares: 0n })

    const deposited = parseEther('1000')
    const { result: victimShares } = await deposit(w.clientFor(victim), { vault, assets: deposited })
    let pool = 1n
    let supply = 1n + attackerShares
    assert.equal(victimShares, toSharesDown(deposited, pool, supply))
    pool += deposited
    supply += victimShares
    assert.ok(
      toAssetsDown(victimShares, pool, supply) >= deposited - 1n,
      'the victim’s shares are worth its deposit',
    )

    // both leave; the attacker gets back at most what it deposited, the victim its deposit less rounding
    const { result: idA } = await requestWithdrawal(w.clientFor(attacker), { vault, shares: attackerShares })
    const { result: idV } = await requestWithdrawal(w.clientFor(victim), { vault, shares: victimShares })
    const atRequestA = toAssetsDown(attackerShares, pool, supply)
    const atRequestV = toAssetsDown(victimShares, pool, supply)
    await travelTo(w, (await w.now()) + WITHDRAWAL_DELAY)
    const { result: paidA } = await claimWithdrawal(w.clientFor(attacker), { vault, id: idA })
    assert.equal(paidA, min(atRequestA, toAssetsDown(attackerShares, pool, supply)))
    pool -= paidA
    supply -= attackerShares
    const { result: paidV } = await claimWithdrawal(w.clientFor(victim), { vault, id: idV })
    assert.equal(paidV, min(atRequestV, toAssetsDown(victimShares, pool, supply)))
    assert.ok(paidA <= 1n)
    assert.ok(paidV >= deposited - 1n)
    assert.equal((await w.balanceOf(attacker.address)) - attackerStart, paidA - 1n - donation)
    assert.equal((await w.balanceOf(victim.address)) - victimStart, paidV - deposited)
  })
})

describe('attack: withdrawing to escape a reported incident', () => {
  test('a withdrawal requested after the report still bears it: valued before it, paid net of it at claim', async () => {
    const w = world()
    const { vault, staker } = fixture()
    const { result } = await report('escape-1', WRONG_OUTPUT)
    const amount = firstSlash(1000)
    assert.equal(result.details.amount, amount)
    const net = netPoolAssets(POOL, BOND, amount)
    assert.equal(net, POOL - (amount - BOND)) // the bond absorbs its part first
    const { result: id } = await requestWithdrawal(w.clientFor(staker), { vault, shares: STAKER_SHARES })
    // recorded before the pending slash (an overturn must not cost the leaver), but never paid above the value at
    // claim, which is net of every slash still pending or executed: the slash cannot be escaped
    const atRequest = toAssetsDown(STAKER_SHARES, POOL, SUPPLY)
    const [, assets] = await vaultRead<readonly [bigint, bigint, bigint]>(w, vault, 'withdrawal', [
      staker.address,
      id,
    ])
    assert.equal(assets, atRequest)
    assert.ok(toAssetsDown(STAKER_SHARES, net, SUPPLY) < atRequest, 'the claim would be net of the slash')

    await travelTo(w, result.disputeEnd + 1n)
    await execute(w, result.details)
    const poolAfterSlash = POOL - (amount - BOND)
    await travelTo(w, BigInt(result.details.requestedAt) + WITHDRAWAL_DELAY + 60n)
    const before = await w.balanceOf(staker.address)
    const { result: paid } = await claimWithdrawal(w.clientFor(staker), { vault, id })
    assert.equal(paid, min(atRequest, toAssetsDown(STAKER_SHARES, poolAfterSlash, SUPPLY)))
    assert.equal((await w.balanceOf(staker.address)) - before, paid)
    assert.ok(paid <= POOL - (amount - BOND))
    assert.deepEqual(await totalsOf(w, vault), {
      bond: 0n,
      pool: poolAfterSlash - paid,
      pending: 0n,
      queuedShares: 0n,
    })
  })

  test('a withdrawal requested before the report but claimed after the slash bears the loss: min(rate at request, rate at claim)', async () => {
    const w = world()
    const { vault, staker } = fixture()
    const { result: id } = await requestWithdrawal(w.clientFor(staker), { vault, shares: STAKER_SHARES })
    const atRequest = toAssetsDown(STAKER_SHARES, POOL, SUPPLY)
    const { result } = await report('escape-2', WRONG_OUTPUT)
    const amount = firstSlash(1000)
    assert.equal(result.details.amount, amount)
    await travelTo(w, result.disputeEnd + 1n)
    await execute(w, result.details)
    const poolAfterSlash = POOL - (amount - BOND)
    const { readyAt } = await vaultRead<readonly [bigint, bigint, bigint]>(w, vault, 'withdrawal', [
      staker.address,
      id,
    ]).then(([, , r]) => ({ readyAt: r }))
    await travelTo(w, readyAt)
    const { result: paid } = await claimWithdrawal(w.clientFor(staker), { vault, id })
    const atClaim = toAssetsDown(STAKER_SHARES, poolAfterSlash, SUPPLY)
    assert.ok(atClaim < atRequest)
    assert.equal(paid, atClaim)
  })

  test('a withdrawal claimed while the slash is still pending is paid net of it, and the slash later executes in full', async () => {
    const w = world()
    const { vault, staker } = fixture()
    const { result: id } = await requestWithdrawal(w.clientFor(staker), { vault, shares: STAKER_SHARES })
    const atRequest = toAssetsDown(STAKER_SHARES, POOL, SUPPLY)
    const [, , readyAt] = await vaultRead<readonly [bigint, bigint, bigint]>(w, vault, 'withdrawal', [
      staker.address,
      id,
    ])
    await travelTo(w, readyAt - BigInt(DAY)) // the incident is reported a day before the claim matures
    const { result } = await report('escape-3', WRONG_OUTPUT)
    const amount = firstSlash(1000)
    await travelTo(w, readyAt)
    const { result: paid } = await claimWithdrawal(w.clientFor(staker), { vault, id })
    assert.equal(paid, min(atRequest, toAssetsDown(STAKER_SHARES, netPoolAssets(POOL, BOND, amount), SUPPLY)))
    assert.ok(paid < atRequest)
    assert.equal((await statusOf(w, result.slashId)).status, 'Pending')

    await travelTo(w, result.disputeEnd + 1n)
    const before = await w.balanceOf(vault)
    await execute(w, result.details)
    assert.equal(before - (await w.balanceOf(vault)), amount, 'the slash takes its full amount')
    const left = await totalsOf(w, vault)
    assert.deepEqual(left, { bond: 0n, pool: POOL - paid - (amount - BOND), pending: 0n, queuedShares: 0n })
    assert.equal(await w.balanceOf(vault), left.bond + left.pool)
  })
})

describe('attack: deallocating to escape a reported incident', () => {
  test('completeDeallocation reverts with AllocationHeldBySlash while the slash is pending, and succeeds once it executed', async () => {
    const w = world()
    const { vault, operator, svc } = fixture()
    await requestDeallocation(w.clientFor(operator), { vault, serviceId: svc.serviceId, decrease: ALLOC })
    const { decreaseReadyAt } = await allocationOf(w, vault, svc.serviceId)
    const { result } = await report('dealloc-1', WRONG_OUTPUT)
    const amount = firstSlash(1000)
    await travelTo(w, decreaseReadyAt)
    await expectRevert(
      completeDeallocation(w.clientFor(keeper()), { vault, serviceId: svc.serviceId }),
      'AllocationHeldBySlash',
      [svc.serviceId, 0n, amount],
    )
    assert.equal((await allocationOf(w, vault, svc.serviceId)).amount, ALLOC)
    await execute(w, result.details)
    await completeDeallocation(w.clientFor(keeper()), { vault, serviceId: svc.serviceId })
    assert.deepEqual(await allocationOf(w, vault, svc.serviceId), {
      amount: 0n,
      pending: 0n,
      decrease: 0n,
      decreaseReadyAt: 0n,
    })
    assert.equal((await totalsOf(w, vault)).pool, POOL - (amount - BOND))
  })

  test('a partial deallocation that leaves the pending slash covered goes through', async () => {
    const w = world()
    const { vault, operator, svc } = fixture()
    const { result } = await report('dealloc-2', WRONG_OUTPUT)
    const amount = result.details.amount
    await requestDeallocation(w.clientFor(operator), {
      vault,
      serviceId: svc.serviceId,
      decrease: ALLOC - amount,
    })
    const { decreaseReadyAt } = await allocationOf(w, vault, svc.serviceId)
    await travelTo(w, decreaseReadyAt)
    await completeDeallocation(w.clientFor(keeper()), { vault, serviceId: svc.serviceId })
    assert.deepEqual(await allocationOf(w, vault, svc.serviceId), {
      amount,
      pending: amount,
      decrease: 0n,
      decreaseReadyAt: 0n,
    })
  })
})

describe('attack: report replay and forged quorums', () => {
  /** The address the court recovers for the first signature it checks (lowest claimed signer first). */
  async function firstRecovered(w: World, reportSubmitted: SlashReport, signed: SignedReport[]) {
    const first = [...signed].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : 1))[0]!
    return recoverReportSigner(domainOf(w), reportSubmitted, first.signature)
  }
  const signers = () => fixture().svc.attesters.slice(0, 3)

  for (const [what, mutate] of [
    ['another chain id', (w: World) => ({ domain: { ...domainOf(w), chainId: 1 } })],
    ['another court address', (w: World) => ({ domain: { ...domainOf(w), court: w.addresses.registry } })],
  ] as const) {
    test(`a report signed for ${what} recovers other signers: AttesterNotActive`, async () => {
      const w = world()
      const r = reportOn(`replay-${what}`)
      const signed = await Promise.all(signers().map((a) => signReport(a, mutate(w).domain, r)))
      const recovered = await firstRecovered(w, r, signed)
      assert.ok(!signers().some((a) => a.address.toLowerCase() === recovered.toLowerCase()))
      await expectRevert(
        requestSlash(w.clientFor(submitter()), { report: r, signatures: signed }),
        'AttesterNotActive',
        [r.serviceId, recovered],
      )
    })
  }

  test('a report signed for one service or vault cannot be replayed on another: AttesterNotActive', async () => {
    const w = world()
    const other = await setupService(w) // the same five attesters, on a second service
    await allocateNow(w, fixture().operator, fixture().vault, other.serviceId, ALLOC)
    const b = await setupVault(w, w.accounts[15]!, {
      bond: BOND,
      delegations: [{ staker: w.accounts[16]!, assets: POOL }],
      allocations: [{ serviceId: fixture().svc.serviceId, amount: ALLOC }],
    })
    const signedFor = reportOn('replay-service')
    const signed = await Promise.all(signers().map((a) => signReport(a, domainOf(w), signedFor)))
    for (const replayed of [
      { ...signedFor, serviceId: other.serviceId },
      { ...signedFor, vault: b.vault },
    ]) {
      await expectRevert(
        requestSlash(w.clientFor(submitter()), { report: replayed, signatures: signed }),
        'AttesterNotActive',
        [replayed.serviceId, await firstRecovered(w, replayed, signed)],
      )
    }
  })

  test('the same incident is accepted once: ReportAlreadyUsed, also after the first was executed or overturned', async () => {
    const w = world()
    const { vault, operator, svc } = fixture()
    const executed = await report('twice-1')
    const id1 = slashIdOf(svc.serviceId, vault, incident('twice-1'))
    await expectRevert(report('twice-1'), 'ReportAlreadyUsed', [id1])
    // another class or client for the same incident is the same slash
    await expectRevert(
      reportSlash(
        w,
        signers(),
        { ...reportOn('twice-1', WRONG_OUTPUT), client: w.accounts[8]!.address },
        w.accounts[8]!,
      ),
      'ReportAlreadyUsed',
      [id1],
    )
    const overturned = await report('twice-2')
    await disputeSlash(w.clientFor(operator), { details: overturned.result.details })
    await resolveSlash(w.clientFor(svc.resolver), { details: overturned.result.details, upheldAmount: 0n })
    await travelTo(w, executed.result.disputeEnd + 1n)
    await execute(w, executed.result.details)
    // the overturn deactivated the three signers: the other two now form a full quorum
    const rest = svc.attesters.slice(3)
    await expectRevert(reportSlash(w, rest, reportOn('twice-1'), submitter()), 'ReportAlreadyUsed', [id1])
    await expectRevert(reportSlash(w, rest, reportOn('twice-2'), submitter()), 'ReportAlreadyUsed', [
      overturned.result.slashId,
    ])
  })

  test('signatures from keys outside the committee are rejected: AttesterNotActive', async () => {
    const w = world()
    const forgers = [0, 1, 2].map((i) => privateKeyToAccount(keccak256(toHex(`forger-${i}`))))
    const r = reportOn('forged')
    const forged = await Promise.all(forgers.map((a) => signReport(a, domainOf(w), r)))
    const lowest = byAddress(forgers)[0]!
    await expectRevert(
      requestSlash(w.clientFor(submitter()), { report: r, signatures: forged }),
      'AttesterNotActive',
      [r.serviceId, lowest.address],
    )
    // two real signatures and a forged third do not make a quorum either
    const mixed = [
      ...(await Promise.all(
        signers()
          .slice(0, 2)
          .map((a) => signReport(a, domainOf(w), r)),
      )),
      forged[0]!,
    ]
    await expectRevert(
      requestSlash(w.clientFor(submitter()), { report: r, signatures: mixed }),
      'AttesterNotActive',
      [r.serviceId, forgers[0]!.address],
    )
  })

  test('the same attester signing twice, or signers out of order, revert with SignersNotSorted', async () => {
    const w = world()
    const r = reportOn('dup')
    const [a, b, c] = byAddress(signers())
    const [sa, sb, sc] = await Promise.all([a!, b!, c!].map((x) => signReport(x, domainOf(w), r)))
    await expectRevert(requestSlashRaw(w, submitter(), r, [sa!, sa!, sa!]), 'SignersNotSorted', [1n])
    await expectRevert(requestSlashRaw(w, submitter(), r, [sa!, sb!, sb!]), 'SignersNotSorted', [2n])
    await expectRevert(requestSlashRaw(w, submitter(), r, [sb!, sa!, sc!]), 'SignersNotSorted', [1n])
    // the same three in ascending order are a valid quorum
    await requestSlashRaw(w, submitter(), r, [sa!, sb!, sc!])
    assert.equal((await statusOf(w, slashIdOf(r.serviceId, r.vault, r.incidentId))).status, 'Pending')
  })

  test('two of five equal bonds are below a 60% quorum: QuorumNotReached', async () => {
    const w = world()
    const bond = parseEther('1000')
    await expectRevert(
      reportSlash(w, signers().slice(0, 2), reportOn('sub-quorum'), submitter()),
      'QuorumNotReached',
      [2n * bond, 5n * bond, P.quorumBps],
    )
    await expectRevert(requestSlashRaw(w, submitter(), reportOn('no-signatures'), []), 'QuorumNotReached', [
      0n,
      5n * bond,
      P.quorumBps,
    ])
  })

  test('a resolver cannot uphold more than the slash: ResolutionExceedsSlash', async () => {
    const w = world()
    const { operator, svc } = fixture()
    const { result } = await report('resolver-cap')
    await disputeSlash(w.clientFor(operator), { details: result.details })
    const amount = result.details.amount
    await expectRevert(
      resolveSlash(w.clientFor(svc.resolver), { details: result.details, upheldAmount: amount + 1n }),
      'ResolutionExceedsSlash',
      [amount + 1n, amount],
    )
    // nor raise it by passing inflated details
    await expectRevert(
      resolveSlash(w.clientFor(svc.resolver), {
        details: { ...result.details, amount: amount * 2n },
        upheldAmount: amount * 2n,
      }),
      'DetailsMismatch',
      [result.slashId],
    )
  })
})

describe('attack: griefing and ordering', () => {
  test('many tiny pending slashes do not block a withdrawal claim, and every one of them still executes', async () => {
    const w = world()
    const { svc } = fixture()
    const staker = w.accounts[16]!
    const deposited = parseEther('1000')
    const tinyAlloc = 100n
    const g = await setupVault(w, w.accounts[15]!, {
      bond: 1n, // the minimum for a 100-wei allocation (1%, rounded up)
      delegations: [{ staker, assets: deposited }],
      allocations: [{ serviceId: svc.serviceId, amount: tinyAlloc }],
    })
    const shares = toSharesDown(deposited, 0n, 1n)
    const supply = shares + 1n
    const { result: id } = await requestWithdrawal(w.clientFor(staker), { vault: g.vault, shares })
    const atRequest = toAssetsDown(shares, deposited, supply)
    const [, , readyAt] = await vaultRead<readonly [bigint, bigint, bigint]>(w, g.vault, 'withdrawal', [
      staker.address,
      id,
    ])
    await travelTo(w, readyAt - BigInt(DAY))

    let state: CorrelationWindowState = { epoch: 0n, current: 0n, previous: 0n }
    let pending = 0n
    const slashes: SlashDetails[] = []
    for (let i = 0; i < 10; i++) {
      const tx = await report(`tiny-${i}`, 0, g.vault)
      const now = await txTime(w, tx)
      const corr = correlationPenaltyBps(
        slashedInWindow(state, now, WINDOW),
        ALLOC + tinyAlloc,
        BigInt(P.correlationMultiplierBps),
      )
      const amount = slashAmount({
        allocated: tinyAlloc,
        pendingOnService: pending,
        operatorWindowSlashed: pending,
        vaultAvailable: deposited + 1n - pending,
        penaltyBps: totalPenaltyBps(100n, corr),
        incidentCapBps: BigInt(P.incidentCapBps),
        windowCapBps: BigInt(P.windowCapBps),
      })
      assert.equal(tx.result.details.amount, amount, `tiny slash ${i}`)
      state = recordInWindow(state, now, WINDOW, amount)
      pending += amount
      slashes.push(tx.result.details)
    }
    assert.ok(pending > 0n && pending < 100n)

    await travelTo(w, readyAt)
    const { result: paid } = await claimWithdrawal(w.clientFor(staker), { vault: g.vault, id })
    assert.equal(paid, min(atRequest, toAssetsDown(shares, netPoolAssets(deposited, 1n, pending), supply)))
    await travelTo(w, BigInt(slashes.at(-1)!.requestedAt) + BigInt(P.disputeWindow) + 1n)
    for (const d of slashes) await execute(w, d)
    const left = await totalsOf(w, g.vault)
    // the 1-wei bond takes the first loss
    assert.deepEqual(left, {
      bond: 0n,
      pool: deposited - paid - (pending - 1n),
      pending: 0n,
      queuedShares: 0n,
    })
    assert.equal(await w.balanceOf(g.vault), left.pool, 'nothing stuck, nothing missing')
    assert.equal(await supplyOf(w, g.vault), 1n)
  })

  test('executing a later slash before an earlier one reverts with SlashNotNextInQueue, even when the earlier one is disputed', async () => {
    const w = world()
    const { operator } = fixture()
    const first = await report('order-1')
    const second = await report('order-2')
    await disputeSlash(w.clientFor(operator), { details: first.result.details })
    await travelTo(w, second.result.disputeEnd + 1n)
    await expectRevert(execute(w, second.result.details), 'SlashNotNextInQueue', [second.result.slashId, 1n])
    await resolveSlash(w.clientFor(fixture().svc.resolver), {
      details: first.result.details,
      upheldAmount: first.result.details.amount,
    })
    await expectRevert(execute(w, second.result.details), 'SlashNotNextInQueue', [second.result.slashId, 1n])
    await execute(w, first.result.details)
    await execute(w, second.result.details)
  })

  test('after a 100% slash empties the vault, deposits wait until the worthless shares are redeemed, then a newcomer gets fair shares and its whole deposit back', async () => {
    const w = world()
    const total = { basePenaltyBps: 10_000, jailDuration: 0, permanentBan: false }
    const svc = await setupService(w, {
      params: { incidentCapBps: 10_000, windowCapBps: 10_000 },
      classes: [total],
    })
    const bond = parseEther('100')
    const staked = parseEther('900')
    const staker = w.accounts[16]!
    const v = await setupVault(w, w.accounts[15]!, {
      bond,
      delegations: [{ staker, assets: staked }],
      allocations: [{ serviceId: svc.serviceId, amount: bond + staked }],
    })
    const oldShares = toSharesDown(staked, 0n, 1n)
    const { result: oldId } = await requestWithdrawal(w.clientFor(staker), {
      vault: v.vault,
      shares: oldShares,
    })
    const { result } = await reportSlash(w, svc.attesters.slice(0, 3), {
      serviceId: svc.serviceId,
      vault: v.vault,
      classId: 0,
      incidentId: incident('total'),
      client: zeroAddress,
    })
    assert.equal(result.details.amount, bond + staked)
    await travelTo(w, result.disputeEnd + 1n)
    await execute(w, result.details)
    assert.deepEqual(await totalsOf(w, v.vault), { bond: 0n, pool: 0n, pending: 0n, queuedShares: oldShares })
    assert.equal(await w.balanceOf(v.vault), 0n)

    // shares are outstanding over an empty pool: a deposit would mint ~10^44 shares, so it is refused cleanly
    const newcomer = w.accounts[17]!
    const fresh = parseEther('500')
    await approveStake(w.clientFor(newcomer), { spender: v.vault, amount: maxUint256 })
    const before = await w.balanceOf(newcomer.address)
    await expectRevert(deposit(w.clientFor(newcomer), { vault: v.vault, assets: fresh }), 'VaultWipedOut')
    assert.equal(await w.balanceOf(newcomer.address), before)

    // the old staker's queued withdrawal bore the whole loss: it pays nothing and burns the worthless shares
    const [, , readyAt] = await vaultRead<readonly [bigint, bigint, bigint]>(w, v.vault, 'withdrawal', [
      staker.address,
      oldId,
    ])
    await travelTo(w, readyAt)
    const { result: paidOld } = await claimWithdrawal(w.clientFor(staker), { vault: v.vault, id: oldId })
    assert.equal(paidOld, 0n)
    assert.equal(await vaultRead<bigint>(w, v.vault, 'totalSupply'), 1n)

    // the vault is fresh again: the newcomer gets first-depositor shares and can take its whole deposit back
    const { result: newShares } = await deposit(w.clientFor(newcomer), { vault: v.vault, assets: fresh })
    assert.equal(newShares, toSharesDown(fresh, 0n, 1n))
    assert.equal(
      await vaultRead<bigint>(w, v.vault, 'previewRedeem', [newShares]),
      toAssetsDown(newShares, fresh, 1n + newShares),
    )
    const { result: newId } = await requestWithdrawal(w.clientFor(newcomer), {
      vault: v.vault,
      shares: newShares,
    })
    const [, , newReady] = await vaultRead<readonly [bigint, bigint, bigint]>(w, v.vault, 'withdrawal', [
      newcomer.address,
      newId,
    ])
    await travelTo(w, newReady)
    const { result: paidNew } = await claimWithdrawal(w.clientFor(newcomer), { vault: v.vault, id: newId })
    // rounding down leaves at most a wei behind the one dead share, never more
    assert.ok(paidNew >= fresh - 1n && paidNew <= fresh, `paid ${paidNew} of ${fresh}`)
  })
})

describe('attack: a stake token that returns false instead of reverting', () => {
  const TOKEN = getAddress('0x00000000000000000000000000000000005afe01')
  const weird = useWorld(
    async (w) => {
      await installToken(w, TOKEN, returnsFalseTokenBytecode)
      const operator = w.accounts[4]!
      const staker = w.accounts[5]!
      for (const a of [operator, staker]) await w.mint(a.address, parseEther('1000'))
      const { result: vault } = await createVault(w.clientFor(operator), {
        withdrawalDelay: 7 * DAY,
        commissionBps: 0,
        restakingCapBps: 10_000,
        name: 'Weird',
        symbol: 'W',
      })
      for (const a of [operator, staker])
        await approveStake(w.clientFor(a), { spender: vault, amount: maxUint256 })
      return { vault, operator, staker }
    },
    { stakeToken: TOKEN },
  )
  const setFail = (w: World, fail: boolean) =>
    sendTransaction(w.clientFor(w.deployer), {
      address: TOKEN,
      abi: returnsFalseTokenAbi,
      functionName: 'setFailTransfers',
      args: [fail],
    })
  const snapshot = async (w: World, vault: Address, who: Account) => ({
    totals: await totalsOf(w, vault),
    supply: await supplyOf(w, vault),
    shares: await sharesOf(w, vault, who.address),
    balances: [await w.balanceOf(who.address), await w.balanceOf(vault)],
  })

  test('a deposit or bond whose transferFrom returns false reverts with SafeERC20FailedOperation and changes nothing', async () => {
    const w = weird.world()
    const { vault, operator, staker } = weird.fixture()
    await setFail(w, true)
    const before = await snapshot(w, vault, staker)
    await expectRevert(
      deposit(w.clientFor(staker), { vault, assets: parseEther('10') }),
      'SafeERC20FailedOperation',
      [TOKEN],
    )
    await expectRevert(
      depositBond(w.clientFor(operator), { vault, amount: parseEther('10') }),
      'SafeERC20FailedOperation',
      [TOKEN],
    )
    assert.deepEqual(await snapshot(w, vault, staker), before)
    // more than the balance: the token returns false even when transfers are enabled
    await setFail(w, false)
    await expectRevert(
      deposit(w.clientFor(staker), { vault, assets: parseEther('1001') }),
      'SafeERC20FailedOperation',
      [TOKEN],
    )
    assert.deepEqual(await snapshot(w, vault, staker), before)
    const { result: shares } = await deposit(w.clientFor(staker), { vault, assets: parseEther('10') })
    assert.equal(shares, toSharesDown(parseEther('10'), 0n, 1n))
  })

  test('a claim whose transfer returns false reverts and the withdrawal stays claimable', async () => {
    const w = weird.world()
    const { vault, staker } = weird.fixture()
    const { result: shares } = await deposit(w.clientFor(staker), { vault, assets: parseEther('10') })
    const { result: id } = await requestWithdrawal(w.clientFor(staker), { vault, shares })
    await travelTo(w, (await w.now()) + WITHDRAWAL_DELAY)
    await setFail(w, true)
    const before = await snapshot(w, vault, staker)
    await expectRevert(claimWithdrawal(w.clientFor(staker), { vault, id }), 'SafeERC20FailedOperation', [
      TOKEN,
    ])
    assert.deepEqual(await snapshot(w, vault, staker), before)
    await setFail(w, false)
    const { result: paid } = await claimWithdrawal(w.clientFor(staker), { vault, id })
    assert.equal(paid, toAssetsDown(shares, parseEther('10'), shares + 1n))
  })
})

describe('attack: a fee-on-transfer stake token', () => {
  const TOKEN = getAddress('0x00000000000000000000000000000000005afe02')
  const fee = useWorld(
    async (w) => {
      await installToken(w, TOKEN, feeOnTransferTokenBytecode)
      const operator = w.accounts[4]!
      const staker = w.accounts[5]!
      const attester = w.accounts[10]!
      for (const a of [operator, staker, attester]) await w.mint(a.address, parseEther('10000'))
      const { result: vault } = await createVault(w.clientFor(operator), {
        withdrawalDelay: 7 * DAY,
        commissionBps: 0,
        restakingCapBps: 10_000,
        name: 'Fee',
        symbol: 'F',
      })
      for (const a of [operator, staker])
        await approveStake(w.clientFor(a), { spender: vault, amount: maxUint256 })
      return { vault, operator, staker, attester }
    },
    { stakeToken: TOKEN },
  )

  test('deposits, bonds and attester bonds revert with ReceivedLessThanSent and change nothing', async () => {
    const w = fee.world()
    const { vault, operator, staker, attester } = fee.fixture()
    const amount = parseEther('100')
    const received = amount - amount / 100n
    const before = [
      await totalsOf(w, vault),
      await supplyOf(w, vault),
      await w.balanceOf(staker.address),
      await w.balanceOf(operator.address),
    ]
    await expectRevert(deposit(w.clientFor(staker), { vault, assets: amount }), 'ReceivedLessThanSent', [
      amount,
      received,
    ])
    await expectRevert(depositBond(w.clientFor(operator), { vault, amount }), 'ReceivedLessThanSent', [
      amount,
      received,
    ])
    assert.deepEqual(
      [
        await totalsOf(w, vault),
        await supplyOf(w, vault),
        await w.balanceOf(staker.address),
        await w.balanceOf(operator.address),
      ],
      before,
    )
    const svc = await setupService(w, { attesters: [], params: { minAttesterBond: 1n } })
    await approveAttester(w.clientFor(svc.owner), { serviceId: svc.serviceId, attester: attester.address })
    await travelTo(w, (await w.now()) + 15n * BigInt(DAY))
    await approveStake(w.clientFor(attester), { spender: w.addresses.registry, amount: maxUint256 })
    await expectRevert(
      joinCommittee(w.clientFor(attester), { serviceId: svc.serviceId, bond: amount }),
      'ReceivedLessThanSent',
      [amount, received],
    )
    assert.equal(await w.balanceOf(w.addresses.registry), 0n)
  })
})
