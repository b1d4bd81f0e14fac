/**
 * Measures gas per operation the way DESIGN.md's comparison table does: gasUsed from receipts, one transaction
 * per block, block timestamps 12 s apart (anvil would otherwise stamp blocks mined within one second alike),
 * first-time and repeat costs reported separately. Shared by `npm run bench:gas` and the gas budget test.
 */
import { type Account, maxUint256, parseEther } from 'viem'
import {
  approveStake,
  claimWithdrawal,
  deposit,
  disputeSlash,
  executeSlash,
  requestWithdrawal,
  resolveSlash,
  type TxResult,
} from '../src/sdk/index.ts'
import { incident, reportSlash, setupService, setupVault } from '../test/support/fixtures.ts'
import type { World } from '../test/support/world.ts'
import { measureOrderGas } from './orderGasScenario.ts'

export const BLOCK_TIME = 12

export type GasReport = Record<string, number>

/** Gas targets from DESIGN.md and the issues; the bench prints them, test/gas.test.ts asserts them. */
export const GAS_BUDGETS: Record<string, number> = {
  'deposit (new staker)': 90_000,
  'deposit (top-up)': 70_000,
  'request withdrawal (first)': 80_000,
  'request withdrawal (repeat)': 80_000,
  'complete withdrawal': 70_000,
  // issue 9: orders' collateral is senior to later slashes (two more reads), budget raised from 150,000
  'request slash, 3-of-5 (first on vault)': 160_000,
  'request slash, 3-of-5 (repeat)': 160_000,
  // issue 9: a report waits while orders' collateral would be left unbacked (one more storage word read); was 100,000
  'execute slash (steady state)': 103_000,
  'claim rewards (repeat)': 60_000,
  // issue 3: orders
  'open order': 120_000,
  'open order (repeat)': 120_000,
  'open intent': 120_000,
  'bid (first on the order)': 80_000,
  'bid (second bidder, becomes best)': 80_000,
  'bid (lower re-bid)': 80_000,
  'accept named job': 110_000,
  'accept named job (repeat)': 110_000,
  // issue 9: exactly the requirement (the score read before reserving) against the effective room; was 110,000
  'accept intent (best bid, refunds budget − price)': 113_000,
  'settle milestone (the service’s first fee)': 90_000,
  'settle milestone': 90_000,
  // issue 9: the success weighed by the fee paid as well as the collateral; was 90,000
  'settle last milestone (completes, frees collateral)': 91_000,
  'settle last milestone (repeat)': 91_000,
  'claim rewards (order fees)': 60_000,
}

/** Spaces the next block 12 s after the last, like a real chain. */
export async function spaceBlock(world: World) {
  const last = await world.now()
  await world.test.setNextBlockTimestamp({ timestamp: last + BigInt(BLOCK_TIME) })
}

async function measured<T>(world: World, report: GasReport, name: string, tx: () => Promise<TxResult<T>>) {
  await spaceBlock(world)
  const result = await tx()
  report[name] = Number(result.gasUsed)
  return result
}

/**
 * Runs the measured scenario on a fresh deployment. `extraStakers` deposits that many more stakers first, to
 * show slashing costs do not grow with the number of stakers.
 */
export async function measureGas(world: World, options: { extraStakers?: number } = {}): Promise<GasReport> {
  const report: GasReport = {}
  const [, , , reporter, operator, staker1, staker2, client] = world.accounts as Account[]
  const svc = await setupService(world)
  const { vault } = await setupVault(world, operator!, {
    bond: parseEther('1000'),
    allocations: [],
  })
  // many stakers, each a real deposit
  const extra = options.extraStakers ?? 0
  if (extra > 0) await seedStakers(world, vault, extra)

  const s1 = world.clientFor(staker1!)
  const s2 = world.clientFor(staker2!)
  await approveStake(s1, { spender: vault, amount: maxUint256 })
  await approveStake(s2, { spender: vault, amount: maxUint256 })
  // the vault's first share ever pays for creating totalSupply; that is the vault's cost, not a staker's
  await measured(world, report, 'deposit (first staker of a vault)', () =>
    deposit(s2, { vault, assets: parseEther('5000') }),
  )
  await measured(world, report, 'deposit (new staker)', () =>
    deposit(s1, { vault, assets: parseEther('5000') }),
  )
  await measured(world, report, 'deposit (top-up)', () => deposit(s1, { vault, assets: parseEther('5000') }))

  const op = world.clientFor(operator!)
  const { allocate, applyAllocation } = await import('../src/sdk/index.ts')
  await measured(world, report, 'allocate (queue an increase)', () =>
    allocate(op, { vault, serviceId: svc.serviceId, increase: parseEther('10000') }),
  )
  // the exposure delay: twice the fixture's 7-day withdrawal delay
  await world.travel(14 * 24 * 3600)
  await measured(world, report, 'apply allocation (first)', () =>
    applyAllocation(op, { vault, serviceId: svc.serviceId }),
  )

  // rewards: a fee arrives, the vault claims (commission to the operator, the rest to the pool)
  const { addFee, claimRewards } = await import('../src/sdk/index.ts')
  const funder = world.clientFor(client!)
  await approveStake(funder, { spender: world.addresses.rewards, amount: maxUint256 })
  await addFee(funder, { serviceId: svc.serviceId, amount: parseEther('10') })
  await measured(world, report, 'claim rewards (first)', () =>
    claimRewards(s1, { vault, serviceId: svc.serviceId }),
  )
  await addFee(funder, { serviceId: svc.serviceId, amount: parseEther('10') })
  await measured(world, report, 'claim rewards (repeat)', () =>
    claimRewards(s1, { vault, serviceId: svc.serviceId }),
  )

  await measured(world, report, 'request withdrawal (first)', () =>
    requestWithdrawal(s2, { vault, shares: parseEther('1000') * 1000n }),
  )
  await measured(world, report, 'request withdrawal (repeat)', () =>
    requestWithdrawal(s2, { vault, shares: parseEther('1000') * 1000n }),
  )

  const signers = svc.attesters.slice(0, 3)
  const report1 = {
    serviceId: svc.serviceId,
    vault,
    classId: 0,
    incidentId: incident('a'),
    client: client!.address,
  }
  await spaceBlock(world)
  const first = await reportSlash(world, signers, report1, reporter)
  report['request slash, 3-of-5 (first on vault)'] = Number(first.gasUsed)
  await spaceBlock(world)
  const second = await reportSlash(world, signers, { ...report1, incidentId: incident('b') }, reporter)
  report['request slash, 3-of-5 (repeat)'] = Number(second.gasUsed)

  await world.travel(2 * 24 * 3600 + 1)
  const r = world.clientFor(reporter!)
  // the first execution also creates the sink's token balance (once per deployment)
  await measured(world, report, 'execute slash (first payout to the sink)', () =>
    executeSlash(r, { details: first.result.details }),
  )
  await measured(world, report, 'execute slash (steady state)', () =>
    executeSlash(r, { details: second.result.details }),
  )

  // dispute path
  const third = await reportSlash(world, signers, { ...report1, incidentId: incident('c') }, reporter)
  await approveStake(op, { spender: world.addresses.court, amount: maxUint256 })
  await measured(world, report, 'dispute slash', () => disputeSlash(op, { details: third.result.details }))
  const resolver = world.clientFor(svc.resolver)
  await measured(world, report, 'resolve (uphold)', () =>
    resolveSlash(resolver, { details: third.result.details, upheldAmount: third.result.details.amount }),
  )

  await world.travel(7 * 24 * 3600)
  await measured(world, report, 'complete withdrawal', () => claimWithdrawal(s2, { vault, id: 0n }))

  await measureOrderGas(
    world,
    svc,
    (name, tx) => measured(world, report, name, tx),
    extra > 0 ? (orderVault) => seedStakers(world, orderVault, extra) : undefined,
  )
  return report
}

/**
 * Gives the vault `count` more distinct stakers: one deposit by a funder, then a share transfer to each new
 * holder (each holder is a real ERC-20 balance of the liquid token, one transaction each).
 */
async function seedStakers(world: World, vault: `0x${string}`, count: number) {
  const { operatorVaultAbi } = await import('../src/sdk/index.ts')
  const { keccak256, toHex, getAddress } = await import('viem')
  const funderAccount = world.accounts[19]!
  const funder = world.clientFor(funderAccount)
  await approveStake(funder, { spender: vault, amount: maxUint256 })
  const { result: shares } = await deposit(funder, { vault, assets: parseEther('10000') })
  const each = shares / BigInt(count + 1)
  // one RPC per transfer: explicit nonces and fees, automine includes each at once, one receipt wait at the end
  let nonce = await world.public.getTransactionCount({ address: funderAccount.address, blockTag: 'pending' })
  const block = await world.public.getBlock()
  const maxFeePerGas = (block.baseFeePerGas ?? 1_000_000_000n) * 4n + 1_000_000_000n
  let last: `0x${string}` | undefined
  for (let i = 0; i < count; i++) {
    const holder = getAddress(keccak256(toHex(`staker-${i}`)).slice(0, 42))
    last = await funder.wallet.writeContract({
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'transfer',
      args: [holder, each],
      nonce: nonce++,
      gas: 100_000n,
      maxFeePerGas,
      maxPriorityFeePerGas: 1_000_000_000n,
      chain: null,
    })
  }
  if (last) {
    const receipt = await world.public.waitForTransactionReceipt({ hash: last })
    if (receipt.status !== 'success') throw new Error('seeding stakers failed')
  }
  const holders = await world.public.readContract({
    address: vault,
    abi: operatorVaultAbi,
    functionName: 'balanceOf',
    args: [getAddress(keccak256(toHex(`staker-${count - 1}`)).slice(0, 42))],
  })
  if (holders !== each) throw new Error(`seeding stakers: last holder has ${holders}, expected ${each}`)
}
