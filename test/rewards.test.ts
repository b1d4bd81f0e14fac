/**
 * RewardsDistributor and OperatorVault.claimRewards on the real chain: fees and subsidy streams shared by
 * allocation through a reward-per-stake accumulator, commission to the operator, the rest to the share price.
 * Expected amounts are computed here with the accumulator formula, rounded down.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Account, maxUint256, parseEther } from 'viem'
import {
  addFee,
  approveStake,
  claimRewards,
  claimWithdrawal,
  fundSubsidy,
  operatorVaultAbi,
  readClaimableRewards,
  readServiceRewards,
  readVault,
  requestWithdrawal,
  rewardsDistributorAbi,
  sendTransaction,
  setSubsidyRate,
} from '../src/sdk/index.ts'
import { expectRevert } from './support/expectRevert.ts'
import { allocateNow, DAY, setupService, setupVault } from './support/fixtures.ts'
import { useWorld, type World } from './support/world.ts'

const ACC = 10n ** 36n
const share = (stake: bigint, amount: bigint, total: bigint) => (stake * ((amount * ACC) / total)) / ACC

const { world, fixture } = useWorld(async (w) => {
  const svc = await setupService(w)
  const funder = w.accounts[18]!
  await approveStake(w.clientFor(funder), { spender: w.addresses.rewards, amount: maxUint256 })
  await approveStake(w.clientFor(svc.owner), { spender: w.addresses.rewards, amount: maxUint256 })
  return { svc, funder }
})

const at = async (w: World, timestamp: bigint) => w.test.setNextBlockTimestamp({ timestamp })

async function twoVaults(w: World, allocA: bigint, allocB: bigint) {
  const { svc } = fixture()
  const a = await setupVault(w, w.accounts[4]!, {
    bond: parseEther('1000'),
    commissionBps: 1000,
    delegations: [{ staker: w.accounts[6]!, assets: parseEther('9000') }],
    allocations: [{ serviceId: svc.serviceId, amount: allocA }],
  })
  const b = await setupVault(w, w.accounts[5]!, {
    bond: parseEther('5000'),
    commissionBps: 0,
    allocations: [{ serviceId: svc.serviceId, amount: allocB }],
  })
  return { a, b }
}

describe('RewardsDistributor', () => {
  test('a fee is shared among vaults in proportion to their allocation, rounded down', async () => {
    const w = world()
    const { svc, funder } = fixture()
    const [allocA, allocB] = [parseEther('3000'), parseEther('1000') + 7n]
    const { a, b } = await twoVaults(w, allocA, allocB)
    const fee = parseEther('100') + 13n
    await addFee(w.clientFor(funder), { serviceId: svc.serviceId, amount: fee })
    const total = allocA + allocB
    assert.equal(await readClaimableRewards(w, svc.serviceId, a.vault), share(allocA, fee, total))
    assert.equal(await readClaimableRewards(w, svc.serviceId, b.vault), share(allocB, fee, total))
    assert.ok(share(allocA, fee, total) + share(allocB, fee, total) <= fee, 'never more than was added')
    assert.equal((await readServiceRewards(w, svc.serviceId)).totalStake, total)
  })

  test('claiming adds the commission to the operator bond and raises the share price for holders', async () => {
    const w = world()
    const { svc, funder } = fixture()
    const { a } = await twoVaults(w, parseEther('4000'), parseEther('4000'))
    const fee = parseEther('50') + 1n
    await addFee(w.clientFor(funder), { serviceId: svc.serviceId, amount: fee })
    const earned = share(parseEther('4000'), fee, parseEther('8000'))
    const before = await readVault(w, a.vault)
    const operatorBefore = await w.balanceOf(w.accounts[4]!.address)
    const { result } = await claimRewards(w.clientFor(w.accounts[9]!), {
      vault: a.vault,
      serviceId: svc.serviceId,
    })
    const commission = (earned * 1000n) / 10_000n
    assert.deepEqual(result, { amount: earned, commission })
    // the commission joins the operator's first-loss bond (no transfer to the operator's wallet)
    const after = await readVault(w, a.vault)
    assert.equal(after.bondAssets, before.bondAssets + commission)
    assert.equal(await w.balanceOf(w.accounts[4]!.address), operatorBefore)
    assert.equal(after.poolAssets, before.poolAssets + earned - commission)
    assert.ok(after.sharePrice > before.sharePrice, 'holders earn through the exchange rate')
    // claimed once: nothing left, and a second claim pays nothing
    assert.equal(await readClaimableRewards(w, svc.serviceId, a.vault), 0n)
    assert.deepEqual(
      (await claimRewards(w.clientFor(w.accounts[9]!), { vault: a.vault, serviceId: svc.serviceId })).result,
      {
        amount: 0n,
        commission: 0n,
      },
    )
  })

  test('a queued withdrawal earns nothing from rewards claimed after its request', async () => {
    const w = world()
    const { svc, funder } = fixture()
    const { a } = await twoVaults(w, parseEther('4000'), parseEther('4000'))
    const staker = w.accounts[6]!
    const shares = (await readVault(w, a.vault)).totalSupply - 1n
    const { result: id } = await requestWithdrawal(w.clientFor(staker), { vault: a.vault, shares })
    const [, assetsAtRequest] = await w.public.readContract({
      address: a.vault,
      abi: operatorVaultAbi,
      functionName: 'withdrawal',
      args: [staker.address, id],
    })
    await addFee(w.clientFor(funder), { serviceId: svc.serviceId, amount: parseEther('500') })
    await claimRewards(w.clientFor(staker), { vault: a.vault, serviceId: svc.serviceId })
    await w.travel(7 * DAY)
    const { result: paid } = await claimWithdrawal(w.clientFor(staker), { vault: a.vault, id })
    assert.equal(paid, assetsAtRequest)
  })

  test('a subsidy streams per second at the owner rate, up to its funded balance', async () => {
    const w = world()
    const { svc } = fixture()
    const alloc = parseEther('2000')
    const { a, b } = await twoVaults(w, alloc, alloc)
    const owner = w.clientFor(svc.owner)
    const start = (await w.now()) + 100n
    await at(w, start)
    await fundSubsidy(owner, { serviceId: svc.serviceId, amount: parseEther('1000') })
    await at(w, start + 10n)
    await setSubsidyRate(owner, { serviceId: svc.serviceId, ratePerSecond: parseEther('3') })
    // 40 s later: 120 tokens streamed, half to each vault
    await at(w, start + 50n)
    await claimRewards(w.clientFor(w.accounts[9]!), { vault: a.vault, serviceId: svc.serviceId })
    const streamed = parseEther('3') * 40n
    assert.equal(await readClaimableRewards(w, svc.serviceId, b.vault), share(alloc, streamed, 2n * alloc))
    // long after, the stream has stopped at the funded balance
    await w.travel(DAY)
    const rewards = await readServiceRewards(w, svc.serviceId)
    assert.equal(rewards.subsidyBalance, parseEther('1000') - streamed)
    const claimableB = await readClaimableRewards(w, svc.serviceId, b.vault)
    assert.ok(
      claimableB <= parseEther('500') && claimableB >= parseEther('500') - 2n,
      `b can claim ${claimableB}`,
    )
  })

  test('income that arrives while nothing is allocated joins the subsidy: a first allocator takes only what streams', async () => {
    const w = world()
    const { funder } = fixture()
    const other = await setupService(w)
    await addFee(w.clientFor(funder), { serviceId: other.serviceId, amount: parseEther('70') })
    assert.equal((await readServiceRewards(w, other.serviceId)).subsidyBalance, parseEther('70'))
    const { vault } = await setupVault(w, w.accounts[4]!, {
      bond: parseEther('1000'),
      allocations: [{ serviceId: other.serviceId, amount: parseEther('1000') }],
    })
    // without a subsidy rate nothing streams: the allocator that arrived first has not taken the 70
    assert.equal((await readServiceRewards(w, other.serviceId)).subsidyBalance, parseEther('70'))
    assert.equal(await readClaimableRewards(w, other.serviceId, vault), 0n)
    // the service owner streams it: 1 token a second, to whatever stake is allocated while it streams
    await setSubsidyRate(w.clientFor(other.owner), {
      serviceId: other.serviceId,
      ratePerSecond: parseEther('1'),
    })
    const start = await w.now()
    await w.travel(10)
    const elapsed = (await w.now()) - start
    assert.equal(
      await readClaimableRewards(w, other.serviceId, vault),
      share(parseEther('1000'), parseEther('1') * elapsed, parseEther('1000')),
    )
  })

  test('an allocation checkpoints earnings: a vault that allocates later earns only from then on', async () => {
    const w = world()
    const { svc, funder } = fixture()
    const { a } = await twoVaults(w, parseEther('1000'), parseEther('1000'))
    const fee = parseEther('30')
    await addFee(w.clientFor(funder), { serviceId: svc.serviceId, amount: fee })
    const op: Account = w.accounts[4]!
    await allocateNow(w, op, a.vault, svc.serviceId, parseEther('2000'))
    await addFee(w.clientFor(funder), { serviceId: svc.serviceId, amount: fee })
    const expected =
      share(parseEther('1000'), fee, parseEther('2000')) + share(parseEther('3000'), fee, parseEther('4000'))
    const claimable = await readClaimableRewards(w, svc.serviceId, a.vault)
    assert.ok(
      claimable <= expected && claimable >= expected - 1n,
      `claimable ${claimable}, expected ${expected}`,
    )
  })

  test('only the service owner sets the rate, only the court checkpoints, and zero amounts are refused', async () => {
    const w = world()
    const { svc, funder } = fixture()
    await expectRevert(
      setSubsidyRate(w.clientFor(funder), { serviceId: svc.serviceId, ratePerSecond: 1n }),
      'NotServiceOwner',
    )
    await expectRevert(
      sendTransaction(w.clientFor(funder), {
        address: w.addresses.rewards,
        abi: rewardsDistributorAbi,
        functionName: 'onAllocationChanged',
        args: [svc.serviceId, funder.address, 1n],
      }),
      'OnlyCourt',
    )
    await expectRevert(addFee(w.clientFor(funder), { serviceId: svc.serviceId, amount: 0n }), 'ZeroAmount')
    await expectRevert(
      fundSubsidy(w.clientFor(funder), { serviceId: svc.serviceId, amount: 0n }),
      'ZeroAmount',
    )
  })
})
