import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Account, type Address, maxUint256, parseEther } from 'viem'
import { min, netPoolAssets, toAssetsDown, toSharesDown, VIRTUAL_SHARES } from '../src/model/sharesMath.ts'
import { slashAmount } from '../src/model/slashMath.ts'
import {
  allocate,
  applyAllocation,
  applyVaultTerms,
  approveStake,
  claimBondWithdrawal,
  claimWithdrawal,
  completeDeallocation,
  deposit,
  depositBond,
  disputeSlash,
  executeSlash,
  operatorVaultAbi,
  requestBondWithdrawal,
  requestDeallocation,
  requestWithdrawal,
  resolveSlash,
  type SlashDetails,
  sendTransaction,
  setVaultTerms,
  slashingCourtAbi,
} from '../src/sdk/index.ts'
import { eventsOf, expectRevert, readOrRevert } from './support/expectRevert.ts'
import {
  allocateNow,
  DAY,
  HOUR,
  incident,
  reportSlash,
  type ServiceFixture,
  setupService,
  setupVault,
} from './support/fixtures.ts'
import { useWorld, type World } from './support/world.ts'

/** Class 0 takes 33.33% of the allocation (under the 50% incident cap), so amounts are not round. */
const PENALTY_BPS = 3333n
const CLASSES = [
  { basePenaltyBps: Number(PENALTY_BPS), jailDuration: 0, permanentBan: false },
  { basePenaltyBps: 100, jailDuration: 0, permanentBan: false },
]
const INCIDENT_CAP_BPS = 5000n
const WINDOW_CAP_BPS = 8000n
const DISPUTE_WINDOW = 2 * DAY
const PIPELINE = 5n * BigInt(DAY) // default dispute window + resolution deadline
const DELAY = 7 * DAY // default vault withdrawal delay
const DEAD_SHARES = 1n
const E = 10n ** 18n

const { world, fixture } = useWorld(async (w) => ({
  svc: await setupService(w, { classes: CLASSES }),
  other: await setupService(w, { classes: CLASSES }),
}))

// ---------------------------------------------------------------------------------------------------------------
// helpers

const read = <T>(w: World, vault: Address, functionName: string, args: readonly unknown[] = []) =>
  readOrRevert<T>(w, { address: vault, abi: operatorVaultAbi, functionName, args })
async function totals(w: World, vault: Address) {
  const [bond, pool, pending, queued] = await read<readonly bigint[]>(w, vault, 'totals')
  return {
    bond: bond!,
    pool: pool!,
    pending: pending!,
    queued: queued!,
    supply: await read<bigint>(w, vault, 'totalSupply'),
  }
}
const sharesOf = (w: World, vault: Address, who: Address) => read<bigint>(w, vault, 'balanceOf', [who])
const allocationOf = async (w: World, vault: Address, serviceId: bigint) => {
  const [amount, pending, decrease, readyAt] = await read<readonly bigint[]>(w, vault, 'allocation', [
    serviceId,
  ])
  return { amount: amount!, pending: pending!, decrease: decrease!, readyAt: readyAt! }
}
const serviceAllocated = (w: World, serviceId: bigint) =>
  readOrRevert<bigint>(w, {
    address: w.addresses.court,
    abi: slashingCourtAbi,
    functionName: 'serviceAllocated',
    args: [serviceId],
  })
const txTime = async (w: World, tx: { blockNumber: bigint }) =>
  (await w.public.getBlock({ blockNumber: tx.blockNumber })).timestamp
/** Mines a block stamped exactly `timestamp`; later calls and their simulations see that time. */
const travelTo = async (w: World, timestamp: bigint) => {
  await w.test.setNextBlockTimestamp({ timestamp })
  await w.test.mine({ blocks: 1 })
}

const operatorOf = (w: World) => w.accounts[4]!
const stakerA = (w: World) => w.accounts[5]!
const stakerB = (w: World) => w.accounts[6]!
const stranger = (w: World) => w.accounts[9]!

async function approveVault(w: World, who: Account, vault: Address) {
  await approveStake(w.clientFor(who), { spender: vault, amount: maxUint256 })
}

/** Reports a class-0 slash of `vault` on the main service, signed by 3 of the 5 attesters. */
async function report(
  w: World,
  svc: ServiceFixture,
  vault: Address,
  label: string,
  classId = 0,
): Promise<SlashDetails> {
  const { result } = await reportSlash(w, svc.attesters.slice(0, 3), {
    serviceId: svc.serviceId,
    vault,
    classId,
    incidentId: incident(label),
    client: w.accounts[8]!.address,
  })
  return result.details
}
async function executeAfterWindow(w: World, details: SlashDetails) {
  await w.travel(DISPUTE_WINDOW + 1)
  await executeSlash(w.clientFor(w.accounts[3]!), { details })
}
/** The amount the court fixes for the first slash on a service (no correlation term yet). */
const firstSlash = (allocated: bigint, stake: bigint, pendingInVault = 0n) =>
  slashAmount({
    allocated: min(allocated, stake),
    pendingOnService: 0n,
    operatorWindowSlashed: 0n,
    vaultAvailable: stake - pendingInVault,
    penaltyBps: PENALTY_BPS,
    incidentCapBps: INCIDENT_CAP_BPS,
    windowCapBps: WINDOW_CAP_BPS,
  })

// ---------------------------------------------------------------------------------------------------------------

describe('OperatorVault.deposit', () => {
  test('mints shares at the virtual-share rate to the receiver and pulls exactly the assets', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w))
    const a = stakerA(w)
    await approveVault(w, a, vault)
    const assets = parseEther('1234.5') + 3n
    const expected = toSharesDown(assets, 0n, DEAD_SHARES) // (assets * (1 + 1000)) / 1
    assert.equal(expected, assets * (DEAD_SHARES + VIRTUAL_SHARES))
    const before = await w.balanceOf(a.address)
    const tx = await deposit(w.clientFor(a), { vault, assets })
    assert.equal(tx.result, expected)
    assert.equal(await sharesOf(w, vault, a.address), expected)
    assert.equal(before - (await w.balanceOf(a.address)), assets)
    assert.equal(await w.balanceOf(vault), assets)
    assert.deepEqual(await totals(w, vault), {
      bond: 0n,
      pool: assets,
      pending: 0n,
      queued: 0n,
      supply: DEAD_SHARES + expected,
    })
    const [event] = await eventsOf(w, tx.hash, operatorVaultAbi, 'Deposited')
    assert.deepEqual(
      [
        event!.args.sender.toLowerCase(),
        event!.args.receiver.toLowerCase(),
        event!.args.assets,
        event!.args.shares,
      ],
      [a.address.toLowerCase(), a.address.toLowerCase(), assets, expected],
    )
  })

  test('mints the shares to another receiver when one is named', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w))
    await approveVault(w, stakerA(w), vault)
    const assets = parseEther('10')
    await deposit(w.clientFor(stakerA(w)), { vault, assets, receiver: stakerB(w).address })
    assert.equal(await sharesOf(w, vault, stakerA(w).address), 0n)
    assert.equal(await sharesOf(w, vault, stakerB(w).address), toSharesDown(assets, 0n, DEAD_SHARES))
  })

  test('rounds the shares down when the rate is not an integer', async () => {
    const w = world()
    const { svc } = fixture()
    const bond = parseEther('10')
    const pool = parseEther('900') + 7n
    const alloc = parseEther('777') + 777n
    const { vault } = await setupVault(w, operatorOf(w), {
      bond,
      delegations: [{ staker: stakerA(w), assets: pool }],
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const x = firstSlash(alloc, bond + pool)
    await executeAfterWindow(w, await report(w, svc, vault, 'rate'))
    const poolAfter = pool - (x - bond)
    const supply = DEAD_SHARES + toSharesDown(pool, 0n, DEAD_SHARES)
    assert.deepEqual(await totals(w, vault), { bond: 0n, pool: poolAfter, pending: 0n, queued: 0n, supply })

    const assets = parseEther('3') + 1n
    assert.notEqual(
      (assets * (supply + VIRTUAL_SHARES)) % (poolAfter + 1n),
      0n,
      'the exact rate has a fraction to round',
    )
    const expected = toSharesDown(assets, poolAfter, supply)
    await approveVault(w, stakerB(w), vault)
    assert.equal(await read<bigint>(w, vault, 'previewDeposit', [assets]), expected)
    const { result } = await deposit(w.clientFor(stakerB(w)), { vault, assets })
    assert.equal(result, expected)
    assert.equal(await sharesOf(w, vault, stakerB(w).address), expected)
  })

  test('reverts with ZeroAmount for a deposit of nothing', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w))
    await approveVault(w, stakerA(w), vault)
    await expectRevert(deposit(w.clientFor(stakerA(w)), { vault, assets: 0n }), 'ZeroAmount', [])
  })
})

describe('OperatorVault share token', () => {
  test('shares move like any ERC-20 and the new holder can queue them for withdrawal', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w), {
      delegations: [{ staker: stakerA(w), assets: parseEther('100') }],
    })
    const minted = toSharesDown(parseEther('100'), 0n, DEAD_SHARES)
    const part = minted / 3n
    await sendTransaction(w.clientFor(stakerA(w)), {
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'transfer',
      args: [stakerB(w).address, part],
    })
    assert.equal(await sharesOf(w, vault, stakerA(w).address), minted - part)
    assert.equal(await sharesOf(w, vault, stakerB(w).address), part)
    // approve + transferFrom moves them on to a third holder
    await sendTransaction(w.clientFor(stakerB(w)), {
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'approve',
      args: [stranger(w).address, part],
    })
    await sendTransaction(w.clientFor(stranger(w)), {
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'transferFrom',
      args: [stakerB(w).address, stranger(w).address, part],
    })
    assert.equal(await sharesOf(w, vault, stranger(w).address), part)
    const { result: id } = await requestWithdrawal(w.clientFor(stranger(w)), { vault, shares: part })
    const [shares, assets] = await read<readonly bigint[]>(w, vault, 'withdrawal', [stranger(w).address, id])
    assert.equal(shares, part)
    assert.equal(assets, toAssetsDown(part, parseEther('100'), DEAD_SHARES + minted))
    await expectRevert(
      requestWithdrawal(w.clientFor(stakerB(w)), { vault, shares: 1n }),
      'ERC20InsufficientBalance',
      [stakerB(w).address, 0n, 1n],
    )
  })

  test('shares cannot be sent to the vault itself, where they would be lost and look queued', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w), {
      delegations: [{ staker: stakerA(w), assets: parseEther('100') }],
    })
    const held = await sharesOf(w, vault, stakerA(w).address)
    const send = { address: vault, abi: operatorVaultAbi } as const
    await expectRevert(
      sendTransaction(w.clientFor(stakerA(w)), { ...send, functionName: 'transfer', args: [vault, 1n] }),
      'SharesToVault',
    )
    await sendTransaction(w.clientFor(stakerA(w)), {
      ...send,
      functionName: 'approve',
      args: [stakerB(w).address, 1n],
    })
    await expectRevert(
      sendTransaction(w.clientFor(stakerB(w)), {
        ...send,
        functionName: 'transferFrom',
        args: [stakerA(w).address, vault, 1n],
      }),
      'SharesToVault',
    )
    assert.equal(await sharesOf(w, vault, stakerA(w).address), held)
    assert.equal((await totals(w, vault)).queued, 0n)
  })
})

describe('OperatorVault.requestWithdrawal', () => {
  test('moves the shares out of the holder into the queue and records their value at request', async () => {
    const w = world()
    const deposited = parseEther('500') + 11n
    const { vault } = await setupVault(w, operatorOf(w), {
      delegations: [{ staker: stakerA(w), assets: deposited }],
    })
    const minted = toSharesDown(deposited, 0n, DEAD_SHARES)
    const supply = DEAD_SHARES + minted
    const first = minted / 7n
    const tx = await requestWithdrawal(w.clientFor(stakerA(w)), { vault, shares: first })
    const readyAt = (await txTime(w, tx)) + BigInt(DELAY)
    const assets = toAssetsDown(first, deposited, supply)
    assert.equal(tx.result, 0n)
    assert.equal(await sharesOf(w, vault, stakerA(w).address), minted - first)
    // queued shares stay in the share base: the supply and the price do not move
    assert.deepEqual(await totals(w, vault), {
      bond: 0n,
      pool: deposited,
      pending: 0n,
      queued: first,
      supply,
    })
    assert.deepEqual(await read<readonly bigint[]>(w, vault, 'withdrawal', [stakerA(w).address, 0n]), [
      first,
      assets,
      readyAt,
    ])
    const [event] = await eventsOf(w, tx.hash, operatorVaultAbi, 'WithdrawalRequested')
    assert.deepEqual(
      [
        event!.args.owner.toLowerCase(),
        event!.args.id,
        event!.args.shares,
        event!.args.assets,
        event!.args.readyAt,
      ],
      [stakerA(w).address.toLowerCase(), 0n, first, assets, readyAt],
    )
    const second = await requestWithdrawal(w.clientFor(stakerA(w)), { vault, shares: 5n })
    assert.equal(second.result, 1n)
    assert.equal((await totals(w, vault)).queued, first + 5n)
  })

  test('reverts with ZeroShares for a request of nothing', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w), {
      delegations: [{ staker: stakerA(w), assets: parseEther('1') }],
    })
    await expectRevert(requestWithdrawal(w.clientFor(stakerA(w)), { vault, shares: 0n }), 'ZeroShares', [])
  })
})

describe('OperatorVault.claimWithdrawal', () => {
  test('pays nothing before the delay, then exactly the value at request to the receiver, once', async () => {
    const w = world()
    const deposited = parseEther('300') + 1n
    const { vault } = await setupVault(w, operatorOf(w), {
      delegations: [{ staker: stakerA(w), assets: deposited }],
    })
    const minted = toSharesDown(deposited, 0n, DEAD_SHARES)
    const shares = minted / 3n
    const tx = await requestWithdrawal(w.clientFor(stakerA(w)), { vault, shares })
    const readyAt = (await txTime(w, tx)) + BigInt(DELAY)
    const assets = toAssetsDown(shares, deposited, DEAD_SHARES + minted)
    const client = w.clientFor(stakerA(w))
    await travelTo(w, readyAt - 1n)
    await expectRevert(claimWithdrawal(client, { vault, id: 0n }), 'WithdrawalNotReady', [0n, readyAt])
    await travelTo(w, readyAt)
    // the id belongs to its owner: nobody else can claim it
    await expectRevert(claimWithdrawal(w.clientFor(stakerB(w)), { vault, id: 0n }), 'WithdrawalNotFound', [
      stakerB(w).address,
      0n,
    ])
    const receiver = w.accounts[7]!.address
    const before = await w.balanceOf(receiver)
    const claim = await claimWithdrawal(client, { vault, id: 0n, receiver })
    assert.equal(claim.result, assets)
    assert.equal((await w.balanceOf(receiver)) - before, assets)
    assert.deepEqual(await totals(w, vault), {
      bond: 0n,
      pool: deposited - assets,
      pending: 0n,
      queued: 0n,
      supply: DEAD_SHARES + minted - shares,
    })
    const [event] = await eventsOf(w, claim.hash, operatorVaultAbi, 'WithdrawalClaimed')
    assert.deepEqual(
      [
        event!.args.owner.toLowerCase(),
        event!.args.id,
        event!.args.receiver.toLowerCase(),
        event!.args.shares,
        event!.args.assets,
      ],
      [stakerA(w).address.toLowerCase(), 0n, receiver.toLowerCase(), shares, assets],
    )
    await expectRevert(claimWithdrawal(client, { vault, id: 0n }), 'WithdrawalNotFound', [
      stakerA(w).address,
      0n,
    ])
    await expectRevert(claimWithdrawal(client, { vault, id: 9n }), 'WithdrawalNotFound', [
      stakerA(w).address,
      9n,
    ])
  })

  test('a withdrawal requested before a report still bears the loss: it pays the lower rate at claim', async () => {
    const w = world()
    const { svc } = fixture()
    const bond = parseEther('100')
    const pool = parseEther('9900') + 7n
    const alloc = parseEther('7777') + 777n
    const { vault } = await setupVault(w, operatorOf(w), {
      bond,
      delegations: [{ staker: stakerA(w), assets: pool }],
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const minted = toSharesDown(pool, 0n, DEAD_SHARES)
    const supply = DEAD_SHARES + minted
    const half = minted / 2n
    const tx = await requestWithdrawal(w.clientFor(stakerA(w)), { vault, shares: half })
    const readyAt = (await txTime(w, tx)) + BigInt(DELAY)
    const atRequest = toAssetsDown(half, pool, supply)

    const x = firstSlash(alloc, bond + pool)
    const details = await report(w, svc, vault, 'after-request')
    assert.equal(details.amount, x)
    await executeAfterWindow(w, details)
    const poolLoss = x - bond
    const atClaim = toAssetsDown(half, pool - poolLoss, supply)
    assert.ok(atClaim < atRequest)

    await travelTo(w, readyAt)
    const before = await w.balanceOf(stakerA(w).address)
    const { result } = await claimWithdrawal(w.clientFor(stakerA(w)), { vault, id: 0n })
    assert.equal(result, atClaim)
    assert.equal((await w.balanceOf(stakerA(w).address)) - before, atClaim)
  })

  test('a withdrawal requested during a pending slash is valued before it: it bears the slash only if it executes', async () => {
    const w = world()
    const { svc } = fixture()
    const bond = parseEther('10')
    const pool = parseEther('1000')
    const alloc = parseEther('1000')
    const operator = operatorOf(w)
    const { vault } = await setupVault(w, operator, {
      bond,
      delegations: [{ staker: stakerA(w), assets: pool }],
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const minted = toSharesDown(pool, 0n, DEAD_SHARES)
    const supply = DEAD_SHARES + minted
    const details = await report(w, svc, vault, 'overturned')
    const x = firstSlash(alloc, bond + pool)
    assert.equal(details.amount, x)
    // recorded at the pool's rate before the pending slash: were it net, an overturn would hand the difference to
    // whoever stayed (the operator's own shares, in the attack of a self-reported slash that panics stakers)
    const atRequest = toAssetsDown(minted, pool, supply)
    await requestWithdrawal(w.clientFor(stakerA(w)), { vault, shares: minted })
    assert.deepEqual(
      (await read<readonly bigint[]>(w, vault, 'withdrawal', [stakerA(w).address, 0n])).slice(0, 2),
      [minted, atRequest],
    )
    // while the slash is pending, the claim would pay the value net of it (previewWithdrawal's claimableNow)
    assert.equal(
      await read<bigint>(w, vault, 'previewRedeem', [minted]),
      toAssetsDown(minted, pool - (x - bond), supply),
    )

    await approveStake(w.clientFor(operator), { spender: w.addresses.court, amount: maxUint256 })
    await disputeSlash(w.clientFor(operator), { details })
    await resolveSlash(w.clientFor(svc.resolver), { details, upheldAmount: 0n })
    assert.equal((await totals(w, vault)).pending, 0n)
    await w.travel(DELAY)
    const { result } = await claimWithdrawal(w.clientFor(stakerA(w)), { vault, id: 0n })
    // overturned: the staker is paid its whole value, the pool keeps only the dead share's dust
    assert.equal(result, atRequest)
    assert.deepEqual(await totals(w, vault), {
      bond,
      pool: pool - atRequest,
      pending: 0n,
      queued: 0n,
      supply: DEAD_SHARES,
    })
  })
})

describe('OperatorVault pricing while a slash is pending', () => {
  test('deposits wait while a pending slash exceeds the bond, then buy at the price after it settled', async () => {
    const w = world()
    const { svc } = fixture()
    const bond = parseEther('100')
    const pool = parseEther('9900') + 7n
    const alloc = parseEther('7777') + 777n
    const { vault } = await setupVault(w, operatorOf(w), {
      bond,
      delegations: [{ staker: stakerA(w), assets: pool }],
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const supply = DEAD_SHARES + toSharesDown(pool, 0n, DEAD_SHARES)
    const details = await report(w, svc, vault, 'pending-deposit')
    const x = firstSlash(alloc, bond + pool)
    assert.equal(details.amount, x)
    const poolLoss = x - bond
    assert.equal(await read<bigint>(w, vault, 'netPoolAssets'), pool - poolLoss)

    // a deposit at the crushed price would take the pool's value from its holders if the slash were overturned
    const d = parseEther('5000') + 13n
    await approveVault(w, stakerB(w), vault)
    await expectRevert(deposit(w.clientFor(stakerB(w)), { vault, assets: d }), 'PoolSlashPending', [poolLoss])

    await executeAfterWindow(w, details)
    const poolAfter = pool - poolLoss
    const expectedShares = toSharesDown(d, poolAfter, supply)
    const { result: shares } = await deposit(w.clientFor(stakerB(w)), { vault, assets: d })
    assert.equal(shares, expectedShares)
    assert.deepEqual(await totals(w, vault), {
      bond: 0n,
      pool: poolAfter + d,
      pending: 0n,
      queued: 0n,
      supply: supply + shares,
    })
    const value = toAssetsDown(shares, poolAfter + d, supply + shares)
    // only rounding (at most 2 wei) separates the depositor from what it paid
    assert.ok(value <= d && d - value <= 2n, `value ${value} vs deposit ${d}`)
  })

  test('a pending slash the bond covers leaves the share price unchanged', async () => {
    const w = world()
    const { svc } = fixture()
    const bond = parseEther('5000')
    const pool = parseEther('5000')
    const alloc = parseEther('3000')
    const { vault } = await setupVault(w, operatorOf(w), {
      bond,
      delegations: [{ staker: stakerA(w), assets: pool }],
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const supply = DEAD_SHARES + toSharesDown(pool, 0n, DEAD_SHARES)
    const d = parseEther('1') + 1n
    const before = await read<bigint>(w, vault, 'previewDeposit', [d])
    const details = await report(w, svc, vault, 'covered')
    assert.equal(details.amount, firstSlash(alloc, bond + pool))
    assert.ok(details.amount < bond)
    assert.equal(await read<bigint>(w, vault, 'previewDeposit', [d]), before)
    assert.equal(before, toSharesDown(d, pool, supply))
  })
})

describe('OperatorVault operator bond', () => {
  test('the operator adds to its first-loss bond without moving the share price', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w), {
      bond: parseEther('10'),
      delegations: [{ staker: stakerA(w), assets: parseEther('50') }],
    })
    const priceBefore = await read<bigint>(w, vault, 'previewRedeem', [E])
    const amount = parseEther('2.5') + 1n
    const tx = await depositBond(w.clientFor(operatorOf(w)), { vault, amount })
    const [event] = await eventsOf(w, tx.hash, operatorVaultAbi, 'BondDeposited')
    assert.deepEqual([event!.args.amount, event!.args.bond], [amount, parseEther('10') + amount])
    assert.equal((await totals(w, vault)).bond, parseEther('10') + amount)
    assert.equal(await read<bigint>(w, vault, 'previewRedeem', [E]), priceBefore)
  })

  test('depositBond reverts with NotOperator for anyone else and ZeroAmount for nothing', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w))
    await approveVault(w, stakerA(w), vault)
    await expectRevert(depositBond(w.clientFor(stakerA(w)), { vault, amount: 1n }), 'NotOperator', [
      stakerA(w).address,
    ])
    await expectRevert(depositBond(w.clientFor(operatorOf(w)), { vault, amount: 0n }), 'ZeroAmount', [])
  })

  test('a bond withdrawal pays the operator only after the delay', async () => {
    const w = world()
    const bond = parseEther('40')
    const { vault } = await setupVault(w, operatorOf(w), { bond })
    const op = w.clientFor(operatorOf(w))
    await expectRevert(claimBondWithdrawal(op, { vault }), 'NoBondWithdrawal', [])
    await expectRevert(requestBondWithdrawal(op, { vault, amount: 0n }), 'ZeroAmount', [])
    await expectRevert(
      requestBondWithdrawal(w.clientFor(stranger(w)), { vault, amount: 1n }),
      'NotOperator',
      [stranger(w).address],
    )
    const amount = parseEther('15') + 9n
    const tx = await requestBondWithdrawal(op, { vault, amount })
    const readyAt = (await txTime(w, tx)) + BigInt(DELAY)
    const [requested] = await eventsOf(w, tx.hash, operatorVaultAbi, 'BondWithdrawalRequested')
    assert.deepEqual([requested!.args.amount, requested!.args.readyAt], [amount, readyAt])
    await travelTo(w, readyAt - 1n)
    await expectRevert(claimBondWithdrawal(op, { vault }), 'BondWithdrawalNotReady', [readyAt])
    await travelTo(w, readyAt)
    await expectRevert(claimBondWithdrawal(w.clientFor(stranger(w)), { vault }), 'NotOperator', [
      stranger(w).address,
    ])
    const before = await w.balanceOf(operatorOf(w).address)
    const claim = await claimBondWithdrawal(op, { vault })
    assert.equal(claim.result, amount)
    assert.equal((await w.balanceOf(operatorOf(w).address)) - before, amount)
    assert.equal((await totals(w, vault)).bond, bond - amount)
    const [event] = await eventsOf(w, claim.hash, operatorVaultAbi, 'BondWithdrawn')
    assert.deepEqual(
      [event!.args.requested, event!.args.paid, event!.args.bond],
      [amount, amount, bond - amount],
    )
    await expectRevert(claimBondWithdrawal(op, { vault }), 'NoBondWithdrawal', [])
  })

  test('a bond withdrawal pays only the bond net of pending slashes', async () => {
    const w = world()
    const { svc } = fixture()
    const bond = parseEther('1000')
    const alloc = parseEther('1500') + 3n
    const { vault } = await setupVault(w, operatorOf(w), {
      bond,
      delegations: [{ staker: stakerA(w), assets: parseEther('2000') }],
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const op = w.clientFor(operatorOf(w))
    await requestBondWithdrawal(op, { vault, amount: bond })
    const details = await report(w, svc, vault, 'bond-held')
    const x = firstSlash(alloc, bond + parseEther('2000'))
    assert.equal(details.amount, x)
    await w.travel(DELAY)
    const { result } = await claimBondWithdrawal(op, { vault })
    assert.equal(result, bond - x)
    const supply = DEAD_SHARES + toSharesDown(parseEther('2000'), 0n, DEAD_SHARES)
    assert.deepEqual(await totals(w, vault), {
      bond: x,
      pool: parseEther('2000'),
      pending: x,
      queued: 0n,
      supply,
    })
  })
  test('a matured bond withdrawal must be claimed within a day, or it lapses and must be requested again', async () => {
    const w = world()
    const bond = parseEther('40')
    const { vault } = await setupVault(w, operatorOf(w), { bond })
    const op = w.clientFor(operatorOf(w))
    const tx = await requestBondWithdrawal(op, { vault, amount: bond })
    const readyAt = (await txTime(w, tx)) + BigInt(DELAY)
    const window = await read<bigint>(w, vault, 'BOND_CLAIM_WINDOW')
    assert.equal(window, BigInt(DAY))
    await travelTo(w, readyAt + window + 1n)
    await expectRevert(claimBondWithdrawal(op, { vault }), 'BondWithdrawalExpired', [readyAt + window])
    assert.equal((await totals(w, vault)).bond, bond)
    // the last second of the window still pays
    const again = await requestBondWithdrawal(op, { vault, amount: bond })
    await travelTo(w, (await txTime(w, again)) + BigInt(DELAY) + window)
    assert.equal((await claimBondWithdrawal(op, { vault })).result, bond)
  })

  test('while allocated, the bond stays at least the minimum share of the exposure', async () => {
    const w = world()
    const { svc } = fixture()
    const bond = parseEther('1000')
    const alloc = parseEther('30000')
    const { vault } = await setupVault(w, operatorOf(w), {
      bond,
      delegations: [{ staker: stakerA(w), assets: parseEther('39000') }],
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const minBps = await read<bigint>(w, vault, 'MIN_BOND_BPS')
    const minimum = (alloc * minBps + 9_999n) / 10_000n // rounded up
    assert.equal(await read<bigint>(w, vault, 'minimumBond'), minimum)
    const op = w.clientFor(operatorOf(w))
    await requestBondWithdrawal(op, { vault, amount: bond })
    await w.travel(DELAY)
    const { result } = await claimBondWithdrawal(op, { vault })
    assert.equal(result, bond - minimum)
    assert.equal((await totals(w, vault)).bond, minimum)
  })
})

describe('OperatorVault.allocate', () => {
  test('queues an increase for twice the withdrawal delay; then anyone applies it and the court total follows', async () => {
    const w = world()
    const { svc, other } = fixture()
    const { vault } = await setupVault(w, operatorOf(w), {
      bond: parseEther('1000'),
      delegations: [{ staker: stakerA(w), assets: parseEther('1000') }],
    })
    const op = w.clientFor(operatorOf(w))
    const anyone = w.clientFor(stranger(w))
    assert.equal(await read<bigint>(w, vault, 'EXPOSURE_DELAY'), 2n * BigInt(DELAY))
    const queued = await allocate(op, { vault, serviceId: svc.serviceId, increase: parseEther('700') })
    const readyAt = (await txTime(w, queued)) + 2n * BigInt(DELAY)
    const [q] = await eventsOf(w, queued.hash, operatorVaultAbi, 'AllocationQueued')
    assert.deepEqual(
      [q!.args.serviceId, q!.args.increase, q!.args.readyAt],
      [svc.serviceId, parseEther('700'), readyAt],
    )
    // nothing is exposed yet: no allocation, no weight, nothing the court counts
    assert.equal((await allocationOf(w, vault, svc.serviceId)).amount, 0n)
    assert.equal(await serviceAllocated(w, svc.serviceId), 0n)
    assert.deepEqual(await read<readonly bigint[]>(w, vault, 'exposure', [svc.serviceId]), [
      parseEther('700'),
      readyAt,
      0n,
    ])
    await travelTo(w, readyAt - 1n)
    await expectRevert(applyAllocation(anyone, { vault, serviceId: svc.serviceId }), 'AllocationNotReady', [
      svc.serviceId,
      readyAt,
    ])
    await travelTo(w, readyAt)
    const tx = await applyAllocation(anyone, { vault, serviceId: svc.serviceId })
    const [event] = await eventsOf(w, tx.hash, operatorVaultAbi, 'Allocated')
    assert.deepEqual(
      [event!.args.serviceId, event!.args.amount, event!.args.totalAllocated],
      [svc.serviceId, parseEther('700'), parseEther('700')],
    )
    await expectRevert(applyAllocation(anyone, { vault, serviceId: svc.serviceId }), 'NoAllocationQueued', [
      svc.serviceId,
    ])
    await allocateNow(w, operatorOf(w), vault, svc.serviceId, 5n)
    // restaked: the same 2000 of stake backs both services in full
    await allocateNow(w, operatorOf(w), vault, other.serviceId, parseEther('2000'))
    assert.deepEqual(await allocationOf(w, vault, svc.serviceId), {
      amount: parseEther('700') + 5n,
      pending: 0n,
      decrease: 0n,
      readyAt: 0n,
    })
    assert.equal(await read<bigint>(w, vault, 'totalAllocated'), parseEther('2700') + 5n)
    // a second operator's allocation adds to the court's per-service total
    const { vault: second } = await setupVault(w, w.accounts[15]!, { bond: parseEther('100') })
    await allocateNow(w, w.accounts[15]!, second, svc.serviceId, parseEther('42'))
    assert.equal(await serviceAllocated(w, svc.serviceId), parseEther('742') + 5n)
    assert.equal(await serviceAllocated(w, other.serviceId), parseEther('2000'))
  })

  test('a new request replaces the queued increase and waits the whole delay again', async () => {
    const w = world()
    const { svc } = fixture()
    const { vault } = await setupVault(w, operatorOf(w), { bond: parseEther('1000') })
    const op = w.clientFor(operatorOf(w))
    await allocate(op, { vault, serviceId: svc.serviceId, increase: parseEther('900') })
    await w.travel(DELAY)
    const second = await allocate(op, { vault, serviceId: svc.serviceId, increase: parseEther('100') })
    const readyAt = (await txTime(w, second)) + 2n * BigInt(DELAY)
    await travelTo(w, readyAt - 1n)
    await expectRevert(applyAllocation(op, { vault, serviceId: svc.serviceId }), 'AllocationNotReady', [
      svc.serviceId,
      readyAt,
    ])
    await travelTo(w, readyAt)
    await applyAllocation(op, { vault, serviceId: svc.serviceId })
    assert.equal((await allocationOf(w, vault, svc.serviceId)).amount, parseEther('100'))
  })

  test('a matured increase must be applied within a day, or it lapses and must be queued again', async () => {
    const w = world()
    const { svc } = fixture()
    const { vault } = await setupVault(w, operatorOf(w), { bond: parseEther('1000') })
    const op = w.clientFor(operatorOf(w))
    const queued = await allocate(op, { vault, serviceId: svc.serviceId, increase: parseEther('500') })
    const readyAt = (await txTime(w, queued)) + 2n * BigInt(DELAY)
    const window = await read<bigint>(w, vault, 'APPLY_WINDOW')
    assert.equal(window, BigInt(DAY))
    // an increase held back to be applied at the operator's chosen moment would catch stakers who came after its
    // notice without a delay to react
    await travelTo(w, readyAt + window + 1n)
    await expectRevert(applyAllocation(op, { vault, serviceId: svc.serviceId }), 'ExposureIncreaseExpired', [
      readyAt + window,
    ])
    await allocateNow(w, operatorOf(w), vault, svc.serviceId, parseEther('500'))
    assert.equal((await allocationOf(w, vault, svc.serviceId)).amount, parseEther('500'))
  })

  test('the checks run again when the increase applies: a bond withdrawn meanwhile below the minimum stops it', async () => {
    const w = world()
    const { svc } = fixture()
    const bond = parseEther('100')
    const { vault } = await setupVault(w, operatorOf(w), {
      bond,
      delegations: [{ staker: stakerA(w), assets: parseEther('9900') }],
    })
    const op = w.clientFor(operatorOf(w))
    // the test world's minimum bond is 1% of the exposure: 5,000 allocated needs 50
    await allocate(op, { vault, serviceId: svc.serviceId, increase: parseEther('5000') })
    await requestBondWithdrawal(op, { vault, amount: parseEther('51') })
    await w.travel(DELAY)
    await claimBondWithdrawal(op, { vault })
    await w.travel(DELAY)
    await expectRevert(applyAllocation(op, { vault, serviceId: svc.serviceId }), 'BondBelowMinimum', [
      bond - parseEther('51'),
      parseEther('50'),
    ])
    await depositBond(op, { vault, amount: parseEther('1') })
    await applyAllocation(op, { vault, serviceId: svc.serviceId })
    assert.equal((await allocationOf(w, vault, svc.serviceId)).amount, parseEther('5000'))
  })

  test('reverts with RestakingCapExceeded one wei past the cap, which rounds down', async () => {
    const w = world()
    const { svc, other } = fixture()
    const capBps = 15_001n
    const stake = parseEther('10000') + 1n
    const { vault } = await setupVault(w, operatorOf(w), { restakingCapBps: Number(capBps), bond: stake })
    const cap = (stake * capBps) / 10_000n
    assert.notEqual((stake * capBps) % 10_000n, 0n)
    const op = w.clientFor(operatorOf(w))
    const first = parseEther('6000')
    await allocateNow(w, operatorOf(w), vault, svc.serviceId, first)
    await expectRevert(
      allocate(op, { vault, serviceId: other.serviceId, increase: cap - first + 1n }),
      'RestakingCapExceeded',
      [cap + 1n, cap],
    )
    await allocateNow(w, operatorOf(w), vault, other.serviceId, cap - first)
    assert.equal(await read<bigint>(w, vault, 'totalAllocated'), cap)
  })

  test('reverts with AllocationAboveStake when one service would count more than the vault holds, whatever the restaking cap', async () => {
    const w = world()
    const { svc, other } = fixture()
    const stake = parseEther('1000') + 7n
    const { vault } = await setupVault(w, operatorOf(w), { restakingCapBps: 30_000, bond: stake })
    const op = w.clientFor(operatorOf(w))
    await expectRevert(
      allocate(op, { vault, serviceId: svc.serviceId, increase: stake + 1n }),
      'AllocationAboveStake',
      [stake + 1n, stake],
    )
    // restaking still spreads the same stake over several services, each up to the whole stake
    await allocateNow(w, operatorOf(w), vault, svc.serviceId, stake)
    await allocateNow(w, operatorOf(w), vault, other.serviceId, stake)
    assert.equal(await read<bigint>(w, vault, 'totalAllocated'), 2n * stake)
  })

  test('reverts with DelayShorterThanPipeline when the vault delay is shorter than the dispute window plus the resolution deadline', async () => {
    const w = world()
    const { svc } = fixture()
    const { vault } = await setupVault(w, operatorOf(w), { withdrawalDelay: HOUR, bond: parseEther('100') })
    await expectRevert(
      allocate(w.clientFor(operatorOf(w)), { vault, serviceId: svc.serviceId, increase: 1n }),
      'DelayShorterThanPipeline',
      [BigInt(HOUR), PIPELINE],
    )
    const { vault: exact } = await setupVault(w, w.accounts[15]!, {
      withdrawalDelay: Number(PIPELINE),
      bond: parseEther('100'),
    })
    await allocate(w.clientFor(w.accounts[15]!), { vault: exact, serviceId: svc.serviceId, increase: 1n })
    const { vault: short } = await setupVault(w, w.accounts[16]!, {
      withdrawalDelay: Number(PIPELINE) - 1,
      bond: parseEther('100'),
    })
    await expectRevert(
      allocate(w.clientFor(w.accounts[16]!), { vault: short, serviceId: svc.serviceId, increase: 1n }),
      'DelayShorterThanPipeline',
      [PIPELINE - 1n, PIPELINE],
    )
  })

  test('reverts with ServiceNotAllocatable for an unknown service, NotOperator for anyone else and ZeroAmount for nothing', async () => {
    const w = world()
    const { svc } = fixture()
    const { vault } = await setupVault(w, operatorOf(w), { bond: parseEther('100') })
    const op = w.clientFor(operatorOf(w))
    await expectRevert(allocate(op, { vault, serviceId: 99n, increase: 1n }), 'ServiceNotAllocatable', [99n])
    await expectRevert(
      allocate(w.clientFor(stranger(w)), { vault, serviceId: svc.serviceId, increase: 1n }),
      'NotOperator',
      [stranger(w).address],
    )
    await expectRevert(allocate(op, { vault, serviceId: svc.serviceId, increase: 0n }), 'ZeroAmount', [])
  })
})

describe('OperatorVault deallocation', () => {
  test('a decrease waits out the service pipeline, then anyone completes it and the court total falls', async () => {
    const w = world()
    const { svc } = fixture()
    const alloc = parseEther('900')
    const { vault } = await setupVault(w, operatorOf(w), {
      bond: parseEther('1000'),
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const decrease = parseEther('333') + 1n
    const tx = await requestDeallocation(w.clientFor(operatorOf(w)), {
      vault,
      serviceId: svc.serviceId,
      decrease,
    })
    const readyAt = (await txTime(w, tx)) + PIPELINE
    const [requested] = await eventsOf(w, tx.hash, operatorVaultAbi, 'DeallocationRequested')
    assert.deepEqual(
      [requested!.args.serviceId, requested!.args.decrease, requested!.args.readyAt],
      [svc.serviceId, decrease, readyAt],
    )
    assert.deepEqual(await allocationOf(w, vault, svc.serviceId), {
      amount: alloc,
      pending: 0n,
      decrease,
      readyAt,
    })
    const anyone = w.clientFor(stranger(w))
    await travelTo(w, readyAt - 1n)
    await expectRevert(
      completeDeallocation(anyone, { vault, serviceId: svc.serviceId }),
      'DeallocationNotReady',
      [svc.serviceId, readyAt],
    )
    await travelTo(w, readyAt)
    const done = await completeDeallocation(anyone, { vault, serviceId: svc.serviceId })
    const [event] = await eventsOf(w, done.hash, operatorVaultAbi, 'Deallocated')
    assert.deepEqual(
      [event!.args.serviceId, event!.args.decrease, event!.args.amount, event!.args.totalAllocated],
      [svc.serviceId, decrease, alloc - decrease, alloc - decrease],
    )
    assert.deepEqual(await allocationOf(w, vault, svc.serviceId), {
      amount: alloc - decrease,
      pending: 0n,
      decrease: 0n,
      readyAt: 0n,
    })
    assert.equal(await serviceAllocated(w, svc.serviceId), alloc - decrease)
    await expectRevert(completeDeallocation(anyone, { vault, serviceId: svc.serviceId }), 'NoDeallocation', [
      svc.serviceId,
    ])
  })

  test('reverts with DecreaseTooLarge past the allocation, ZeroAmount for nothing and NotOperator for anyone else', async () => {
    const w = world()
    const { svc, other } = fixture()
    const alloc = parseEther('100')
    const { vault } = await setupVault(w, operatorOf(w), {
      bond: parseEther('100'),
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const op = w.clientFor(operatorOf(w))
    await expectRevert(
      requestDeallocation(op, { vault, serviceId: svc.serviceId, decrease: alloc + 1n }),
      'DecreaseTooLarge',
      [alloc + 1n, alloc],
    )
    await expectRevert(
      requestDeallocation(op, { vault, serviceId: other.serviceId, decrease: 1n }),
      'DecreaseTooLarge',
      [1n, 0n],
    )
    await expectRevert(
      requestDeallocation(op, { vault, serviceId: svc.serviceId, decrease: 0n }),
      'ZeroAmount',
      [],
    )
    await expectRevert(
      requestDeallocation(w.clientFor(stranger(w)), { vault, serviceId: svc.serviceId, decrease: 1n }),
      'NotOperator',
      [stranger(w).address],
    )
    await expectRevert(completeDeallocation(op, { vault, serviceId: svc.serviceId }), 'NoDeallocation', [
      svc.serviceId,
    ])
  })

  test('reverts with AllocationHeldBySlash when the decrease would release stake a pending slash holds', async () => {
    const w = world()
    const { svc } = fixture()
    const alloc = parseEther('900') + 9n
    const bond = parseEther('2000')
    const { vault } = await setupVault(w, operatorOf(w), {
      bond,
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const op = w.clientFor(operatorOf(w))
    await requestDeallocation(op, { vault, serviceId: svc.serviceId, decrease: alloc })
    const details = await report(w, svc, vault, 'held')
    const x = firstSlash(alloc, bond)
    assert.equal(details.amount, x)
    await w.travel(Number(PIPELINE))
    await expectRevert(
      completeDeallocation(op, { vault, serviceId: svc.serviceId }),
      'AllocationHeldBySlash',
      [svc.serviceId, 0n, x],
    )
    // a decrease that leaves exactly the pending slash allocated goes through
    await requestDeallocation(op, { vault, serviceId: svc.serviceId, decrease: alloc - x })
    await w.travel(Number(PIPELINE))
    await completeDeallocation(op, { vault, serviceId: svc.serviceId })
    assert.deepEqual(await allocationOf(w, vault, svc.serviceId), {
      amount: x,
      pending: x,
      decrease: 0n,
      readyAt: 0n,
    })
  })
})

describe('OperatorVault terms', () => {
  test('a lower commission and a lower restaking cap apply at once', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w), { commissionBps: 1000, restakingCapBps: 30_000 })
    const tx = await setVaultTerms(w.clientFor(operatorOf(w)), {
      vault,
      commissionBps: 999,
      restakingCapBps: 20_000,
    })
    const [event] = await eventsOf(w, tx.hash, operatorVaultAbi, 'TermsChanged')
    assert.deepEqual([event!.args.commissionBps, event!.args.restakingCapBps], [999, 20_000])
    assert.equal(await read<number>(w, vault, 'commissionBps'), 999)
    assert.equal(await read<number>(w, vault, 'restakingCapBps'), 20_000)
  })

  test('a higher commission or cap waits the exposure delay (twice the withdrawal delay), then anyone applies it', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w), { commissionBps: 1000, restakingCapBps: 30_000 })
    // one term up and one down: the whole change waits
    const tx = await setVaultTerms(w.clientFor(operatorOf(w)), {
      vault,
      commissionBps: 1001,
      restakingCapBps: 10_000,
    })
    const readyAt = (await txTime(w, tx)) + 2n * BigInt(DELAY)
    const [queued] = await eventsOf(w, tx.hash, operatorVaultAbi, 'TermsQueued')
    assert.deepEqual(
      [queued!.args.commissionBps, queued!.args.restakingCapBps, queued!.args.readyAt],
      [1001, 10_000, readyAt],
    )
    assert.equal(await read<number>(w, vault, 'commissionBps'), 1000)
    assert.equal(await read<number>(w, vault, 'restakingCapBps'), 30_000)
    const anyone = w.clientFor(stranger(w))
    await travelTo(w, readyAt - 1n)
    await expectRevert(applyVaultTerms(anyone, { vault }), 'TermsNotReady', [readyAt])
    await travelTo(w, readyAt)
    await applyVaultTerms(anyone, { vault })
    assert.equal(await read<number>(w, vault, 'commissionBps'), 1001)
    assert.equal(await read<number>(w, vault, 'restakingCapBps'), 10_000)
    await expectRevert(applyVaultTerms(anyone, { vault }), 'NoPendingTerms', [])
  })

  test('a later decrease drops a queued increase', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w), { commissionBps: 1000, restakingCapBps: 30_000 })
    const op = w.clientFor(operatorOf(w))
    await setVaultTerms(op, { vault, commissionBps: 4000, restakingCapBps: 30_000 })
    await setVaultTerms(op, { vault, commissionBps: 500, restakingCapBps: 30_000 })
    await w.travel(DELAY)
    await expectRevert(applyVaultTerms(op, { vault }), 'NoPendingTerms', [])
    assert.equal(await read<number>(w, vault, 'commissionBps'), 500)
  })

  test('setTerms reverts with NotOperator for anyone else and InvalidTerms out of bounds', async () => {
    const w = world()
    const { vault } = await setupVault(w, operatorOf(w))
    const op = w.clientFor(operatorOf(w))
    await expectRevert(
      setVaultTerms(w.clientFor(stranger(w)), { vault, commissionBps: 0, restakingCapBps: 10_000 }),
      'NotOperator',
      [stranger(w).address],
    )
    await expectRevert(
      setVaultTerms(op, { vault, commissionBps: 5001, restakingCapBps: 10_000 }),
      'InvalidTerms',
      ['commissionBps'],
    )
    await expectRevert(
      setVaultTerms(op, { vault, commissionBps: 0, restakingCapBps: 9_999 }),
      'InvalidTerms',
      ['restakingCapBps'],
    )
    await expectRevert(
      setVaultTerms(op, { vault, commissionBps: 0, restakingCapBps: 100_001 }),
      'InvalidTerms',
      ['restakingCapBps'],
    )
  })
})

describe('OperatorVault court hooks', () => {
  test('reserveSlash, releaseSlash and executeSlash revert with NotCourt for any other caller', async () => {
    const w = world()
    const { svc } = fixture()
    const { vault } = await setupVault(w, operatorOf(w), {
      bond: parseEther('100'),
      allocations: [{ serviceId: svc.serviceId, amount: parseEther('100') }],
    })
    for (const caller of [operatorOf(w), stranger(w)]) {
      const client = w.clientFor(caller)
      await expectRevert(
        sendTransaction(client, {
          address: vault,
          abi: operatorVaultAbi,
          functionName: 'reserveSlash',
          args: [
            svc.serviceId,
            {
              penaltyBps: 10_000,
              incidentCapBps: 10_000,
              windowCapBps: 10_000,
              window: 86_400,
              fixedAmount: 0n,
            },
          ],
        }),
        'NotCourt',
        [caller.address],
      )
      await expectRevert(
        sendTransaction(client, {
          address: vault,
          abi: operatorVaultAbi,
          functionName: 'releaseSlash',
          args: [svc.serviceId, 0n, 0n],
        }),
        'NotCourt',
        [caller.address],
      )
      await expectRevert(
        sendTransaction(client, {
          address: vault,
          abi: operatorVaultAbi,
          functionName: 'executeSlash',
          args: [
            svc.serviceId,
            0n,
            {
              client: caller.address,
              reporter: caller.address,
              sink: caller.address,
              clientShareBps: 10_000,
              reporterShareBps: 0,
              order: false,
              waitForOrders: false,
              ban: false,
              jailDuration: 0,
            },
          ],
        }),
        'NotCourt',
        [caller.address],
      )
    }
    assert.deepEqual(await totals(w, vault), {
      bond: parseEther('100'),
      pool: 0n,
      pending: 0n,
      queued: 0n,
      supply: DEAD_SHARES,
    })
  })
})

describe('OperatorVault views', () => {
  test('previewDeposit and previewRedeem price on the pool net of the pending slashes the bond cannot cover', async () => {
    const w = world()
    const { svc } = fixture()
    const bond = parseEther('50')
    const pool = parseEther('2000') + 3n
    const alloc = parseEther('1999')
    const { vault } = await setupVault(w, operatorOf(w), {
      bond,
      delegations: [{ staker: stakerA(w), assets: pool }],
      allocations: [{ serviceId: svc.serviceId, amount: alloc }],
    })
    const supply = DEAD_SHARES + toSharesDown(pool, 0n, DEAD_SHARES)
    const assets = parseEther('7') + 5n
    const shares = parseEther('3') + 17n
    assert.equal(await read<bigint>(w, vault, 'previewDeposit', [assets]), toSharesDown(assets, pool, supply))
    assert.equal(await read<bigint>(w, vault, 'previewRedeem', [shares]), toAssetsDown(shares, pool, supply))
    await report(w, svc, vault, 'views')
    const x = firstSlash(alloc, bond + pool)
    const net = netPoolAssets(pool, bond, x)
    assert.equal(net, pool - (x - bond))
    assert.equal(await read<bigint>(w, vault, 'previewDeposit', [assets]), toSharesDown(assets, net, supply))
    assert.equal(await read<bigint>(w, vault, 'previewRedeem', [shares]), toAssetsDown(shares, net, supply))
  })

  test('slashableStake is the allocation not yet held by slashes, within the vault stake not yet owed', async () => {
    const w = world()
    const { svc, other } = fixture()
    const bond = parseEther('1000')
    const alloc = bond // the whole stake, which also backs the other service: restaked
    const { vault } = await setupVault(w, operatorOf(w), {
      bond,
      allocations: [
        { serviceId: svc.serviceId, amount: alloc },
        { serviceId: other.serviceId, amount: parseEther('400') },
      ],
    })
    const stake = bond
    assert.equal(await read<bigint>(w, vault, 'slashableStake', [svc.serviceId]), stake)
    assert.equal(await read<bigint>(w, vault, 'slashableStake', [other.serviceId]), parseEther('400'))
    assert.equal(await read<bigint>(w, vault, 'slashableStake', [77n]), 0n)
    const details = await report(w, svc, vault, 'slashable')
    const x = firstSlash(alloc, stake)
    assert.equal(details.amount, x)
    // on the slashed service: min(min(alloc, stake) - x, stake - x); elsewhere: min(400, stake - x)
    assert.equal(
      await read<bigint>(w, vault, 'slashableStake', [svc.serviceId]),
      min(min(alloc, stake) - x, stake - x),
    )
    assert.equal(
      await read<bigint>(w, vault, 'slashableStake', [other.serviceId]),
      min(parseEther('400'), stake - x),
    )
  })
})
