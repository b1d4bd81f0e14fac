/**
 * Issue 9, the rest of the review: the optional first-loss bond (attack 3), a slash queue frozen by a payee the
 * token refuses (attack 8), reports re-bound to harsher terms (attack 9), and the smaller fixes (pro-rata dispute
 * bonds, truncated subsidy funding). Each attack is asserted to fail; amounts come from the reference formulas.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Account, getAddress, maxUint256 } from 'viem'
import { blacklistTokenAbi, blacklistTokenBytecode } from '../src/generated/contracts.ts'
import { splitSlash } from '../src/model/slashMath.ts'
import {
  applyServiceChange,
  approveStake,
  claimBondWithdrawal,
  confirmMilestone,
  disputeSlash,
  executeSlash,
  fundSubsidy,
  queueServiceChange,
  readCredit,
  readOrder,
  requestBondWithdrawal,
  requestSlash,
  resolveSlash,
  type SlashReport,
  sendTransaction,
  signReport,
  withdrawCredit,
  withdrawOwed,
} from '../src/sdk/index.ts'
import { totalsOf, travelTo, txTime } from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import {
  DAY,
  DEFAULT_CLASSES,
  DOWNTIME,
  defaultServiceParams,
  incident,
  reportSlash,
  setupService,
  setupVault,
  WRONG_OUTPUT,
} from './support/fixtures.ts'
import { ORDER_TERMS, openAcceptedJob, owedOf } from './support/orders.ts'
import { ALLOC, BOND, DELAY, ether, POOL } from './support/review.ts'
import { installToken } from './support/tokens.ts'
import { useWorld, type World } from './support/world.ts'

/** A vault of operator 4 (bond 1,000, staker 5 with 9,000) allocated 10,000 to a fresh service with order terms. */
async function standardSetup(w: World) {
  const svc = await setupService(w, { params: ORDER_TERMS })
  const operator = w.accounts[4]!
  const { vault } = await setupVault(w, operator, {
    bond: BOND,
    delegations: [{ staker: w.accounts[5]!, assets: POOL }],
    allocations: [{ serviceId: svc.serviceId, amount: ALLOC }],
  })
  await approveStake(w.clientFor(operator), { spender: w.addresses.court, amount: maxUint256 })
  return { svc, vault, operator }
}

/** The production default: the operator's bond stays at least 10% of its exposure. */
const strict = useWorld(standardSetup, { minBondBps: 1000 })

describe('attack 3: the first-loss bond is optional', () => {
  test('a matured bond withdrawal lapses after a day, and no request takes the bond below 10% of the exposure', async () => {
    const w = strict.world()
    const { svc, vault, operator } = strict.fixture()
    const op = w.clientFor(operator)
    // the whole bond is the minimum for 10,000 allocated: it cannot leave while the allocation stands
    const first = await requestBondWithdrawal(op, { vault, amount: BOND })
    const readyAt = (await txTime(w, first)) + BigInt(DELAY)
    // before: the request never expired, to be claimed the moment a report was seen coming
    await travelTo(w, readyAt + BigInt(DAY) + 1n)
    await expectRevert(claimBondWithdrawal(op, { vault }), 'BondWithdrawalExpired', [readyAt + BigInt(DAY)])
    await requestBondWithdrawal(op, { vault, amount: BOND })
    await w.travel(DELAY)
    assert.equal((await claimBondWithdrawal(op, { vault })).result, 0n)
    assert.equal((await totalsOf(w, vault)).bond, BOND)
    // so the next slash still falls on the bond first
    const { result } = await reportSlash(w, svc.attesters.slice(0, 3), {
      serviceId: svc.serviceId,
      vault,
      classId: 0,
      incidentId: incident('after the bond tried to leave'),
      client: w.accounts[8]!.address,
    })
    await travelTo(w, result.disputeEnd + 1n)
    const before = await totalsOf(w, vault)
    await executeSlash(w.clientFor(w.accounts[3]!), { details: result.details })
    const after = await totalsOf(w, vault)
    assert.deepEqual([before.bond - after.bond, before.pool - after.pool], [result.details.amount, 0n])
  })
})

describe('attack 9: reports re-bound to harsher terms', () => {
  test('a report held until a class change cannot become harsher: class ids only soften', async () => {
    const w = strict.world()
    const { svc, vault } = strict.fixture()
    const report: SlashReport = {
      serviceId: svc.serviceId,
      vault,
      classId: 0, // DOWNTIME: 1%, no jail
      incidentId: incident('held'),
      client: w.accounts[8]!.address,
    }
    const domain = { chainId: w.chainId, court: w.addresses.court }
    const signatures = await Promise.all(svc.attesters.slice(0, 3).map((a) => signReport(a, domain, report)))
    const owner = w.clientFor(svc.owner)
    const params = defaultServiceParams(svc.resolver.address, ORDER_TERMS)
    const harsh = { basePenaltyBps: 10_000, jailDuration: 0, permanentBan: true }
    await expectRevert(
      queueServiceChange(owner, {
        serviceId: svc.serviceId,
        params,
        classes: [harsh, ...DEFAULT_CLASSES.slice(1)],
      }),
      'ClassTermsHarsher',
      [0],
    )
    // the owner may add the harsh terms under a new id; the held report keeps its class's terms
    await queueServiceChange(owner, {
      serviceId: svc.serviceId,
      params,
      classes: [...DEFAULT_CLASSES, harsh],
    })
    await w.travel(14 * DAY)
    await applyServiceChange(owner, { serviceId: svc.serviceId })
    const { result } = await requestSlash(w.clientFor(w.accounts[3]!), { report, signatures })
    assert.equal(result.details.amount, (ALLOC * BigInt(DOWNTIME.basePenaltyBps) + 9_999n) / 10_000n)
    assert.equal(result.details.permanentBan, false)
  })
})

describe('dispute bonds and subsidies', () => {
  test('an uphold of 1 wei pays the reporter its share of the bond pro rata, not all of it', async () => {
    const w = strict.world()
    const { svc, vault, operator } = strict.fixture()
    const reporter = w.accounts[3]!
    const { result } = await reportSlash(
      w,
      svc.attesters.slice(0, 3),
      {
        serviceId: svc.serviceId,
        vault,
        classId: DEFAULT_CLASSES.indexOf(WRONG_OUTPUT),
        incidentId: incident('disputed'),
        client: w.accounts[8]!.address,
      },
      reporter,
    )
    await disputeSlash(w.clientFor(operator), { details: result.details })
    const bond = result.details.disputeBond
    const before = [await w.balanceOf(reporter.address), await w.balanceOf(operator.address)]
    await resolveSlash(w.clientFor(svc.resolver), { details: result.details, upheldAmount: 1n })
    const toReporter = (bond * 1n) / result.details.amount // rounded down
    assert.deepEqual(
      [
        (await w.balanceOf(reporter.address)) - before[0]!,
        (await w.balanceOf(operator.address)) - before[1]!,
      ],
      [toReporter, bond - toReporter],
    )
  })

  test('a subsidy funding above 2^96 reverts instead of being truncated and lost', async () => {
    const w = strict.world()
    const { svc } = strict.fixture()
    const funder = w.accounts[9]!
    const amount = 2n ** 96n
    await w.mint(funder.address, amount)
    await approveStake(w.clientFor(funder), { spender: w.addresses.rewards, amount: maxUint256 })
    await expectRevert(
      fundSubsidy(w.clientFor(funder), { serviceId: svc.serviceId, amount }),
      'SafeCastOverflowedUintDowncast',
      [96, amount],
    )
  })
})

describe('attack 8: a payee the token refuses', () => {
  const TOKEN = getAddress('0x00000000000000000000000000000000b10c4ed1')
  const blocked = useWorld(
    async (w) => {
      await installToken(w, TOKEN, blacklistTokenBytecode)
      for (const a of w.accounts.slice(1, 17)) await w.mint(a.address, ether(1_000_000))
      return standardSetup(w)
    },
    { stakeToken: TOKEN },
  )
  const block = (w: World, who: Account, value = true) =>
    sendTransaction(w.clientFor(w.deployer), {
      address: TOKEN,
      abi: blacklistTokenAbi,
      functionName: 'setBlocked',
      args: [who.address, value],
    })
  const report = (w: World, label: string, reporter: Account) => {
    const { svc, vault } = blocked.fixture()
    return reportSlash(
      w,
      svc.attesters.slice(0, 3),
      {
        serviceId: svc.serviceId,
        vault,
        classId: 0,
        incidentId: incident(label),
        client: w.accounts[8]!.address,
      },
      reporter,
    )
  }

  test('a blacklisted reporter cannot freeze the slash it reported nor every later slash of the vault', async () => {
    const w = blocked.world()
    const { vault } = blocked.fixture()
    const villain = w.accounts[15]!
    const first = await report(w, 'blocked reporter', villain)
    const second = await report(w, 'after it', w.accounts[3]!)
    await block(w, villain)
    await travelTo(w, second.result.disputeEnd + 1n)
    const client = w.accounts[8]!.address
    const before = await w.balanceOf(client)
    await executeSlash(w.clientFor(w.accounts[3]!), { details: first.result.details })
    const split = splitSlash(first.result.details.amount, 5000n, 500n, true)
    assert.equal((await w.balanceOf(client)) - before, split.client, 'the client is paid')
    assert.equal(
      await readCredit(w.clientFor(villain), { from: vault, account: villain.address }),
      split.reporter,
    )
    await executeSlash(w.clientFor(w.accounts[3]!), { details: second.result.details })
    assert.equal((await totalsOf(w, vault)).pending, 0n, 'the queue moved on')
    // the credit waits for its owner, who may name another receiver
    const elsewhere = w.accounts[16]!.address
    const at = await w.balanceOf(elsewhere)
    await withdrawCredit(w.clientFor(villain), { from: vault, receiver: elsewhere })
    assert.equal((await w.balanceOf(elsewhere)) - at, split.reporter)
  })

  test('an operator the token refuses is credited its payment: delivered work never turns into a failure', async () => {
    const w = blocked.world()
    const { svc, vault, operator } = blocked.fixture()
    const client = w.accounts[7]!
    await approveStake(w.clientFor(client), { spender: w.addresses.orders, amount: maxUint256 })
    const job = await openAcceptedJob(
      w,
      client,
      { vault, operator },
      { serviceId: svc.serviceId, budget: ether(100) },
    )
    await block(w, operator)
    const paid = await confirmMilestone(w.clientFor(client), job)
    assert.equal(paid.result.completed, true)
    assert.equal((await readOrder(w, job.orderId)).status, 'Completed')
    const owed = ether(100) - paid.result.fee
    assert.equal(await owedOf(w, operator.address, TOKEN), owed)
    await block(w, operator, false)
    assert.equal((await withdrawOwed(w.clientFor(operator), { token: TOKEN })).result.amount, owed)
  })
})
