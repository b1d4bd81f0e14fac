import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Account, type Address, zeroAddress } from 'viem'
import {
  DEFAULT_MIN_BOND_BPS,
  DEFAULT_MIN_WITHDRAWAL_DELAY,
  DEFAULT_PARAM_CHANGE_DELAY,
} from '../src/chain/deploy.ts'
import { createVault, operatorVaultAbi, vaultFactoryAbi } from '../src/sdk/index.ts'
import { eventsOf, expectRevert } from './support/expectRevert.ts'
import { useWorld, type World } from './support/world.ts'

/** The longest withdrawal delay: half the change delay, so stakers can leave before a service change applies. */
const MAX_DELAY = DEFAULT_PARAM_CHANGE_DELAY / 2
const { world } = useWorld()

const DAY = 86_400
const terms = (overrides: Partial<Parameters<typeof createVault>[1]> = {}) => ({
  withdrawalDelay: 7 * DAY,
  commissionBps: 1000,
  restakingCapBps: 30_000,
  name: 'Surety Staked Op',
  symbol: 'sOP',
  ...overrides,
})

const readFactory = <T>(w: World, functionName: string, args: readonly unknown[] = []) =>
  w.public.readContract({
    address: w.addresses.factory,
    abi: vaultFactoryAbi,
    functionName,
    args,
  } as any) as Promise<T>
const readVault = <T>(w: World, vault: Address, functionName: string, args: readonly unknown[] = []) =>
  w.public.readContract({ address: vault, abi: operatorVaultAbi, functionName, args } as any) as Promise<T>
const create = (w: World, operator: Account, overrides: Partial<Parameters<typeof createVault>[1]> = {}) =>
  createVault(w.clientFor(operator), terms(overrides))

describe('VaultFactory.createVault', () => {
  test('creates a vault owned by the caller with the requested terms', async () => {
    const w = world()
    const operator = w.accounts[4]!
    const { result: vault } = await create(w, operator, {
      withdrawalDelay: 3 * DAY,
      commissionBps: 250,
      restakingCapBps: 20_000,
    })
    assert.equal(
      (await readVault<Address>(w, vault, 'OPERATOR')).toLowerCase(),
      operator.address.toLowerCase(),
    )
    assert.equal(await readVault<number>(w, vault, 'WITHDRAWAL_DELAY'), 3 * DAY)
    assert.equal(await readVault<number>(w, vault, 'commissionBps'), 250)
    assert.equal(await readVault<number>(w, vault, 'restakingCapBps'), 20_000)
    assert.equal(await readVault<string>(w, vault, 'name'), 'Surety Staked Op')
    assert.equal(await readVault<string>(w, vault, 'symbol'), 'sOP')
    assert.equal(
      (await readVault<Address>(w, vault, 'ASSET')).toLowerCase(),
      w.addresses.stakeToken.toLowerCase(),
    )
    assert.equal((await readVault<Address>(w, vault, 'COURT')).toLowerCase(), w.addresses.court.toLowerCase())
    assert.equal(
      (await readVault<Address>(w, vault, 'REGISTRY')).toLowerCase(),
      w.addresses.registry.toLowerCase(),
    )
    // one dead share, held by the vault itself and never redeemable, is the whole supply of a new vault
    assert.equal(await readVault<bigint>(w, vault, 'totalSupply'), 1n)
    assert.equal(await readVault<bigint>(w, vault, 'balanceOf', [vault]), 1n)
  })

  test('emits VaultCreated with the operator, the vault and its terms', async () => {
    const w = world()
    const operator = w.accounts[4]!
    const { hash, result: vault } = await create(w, operator, {
      withdrawalDelay: 2 * DAY,
      commissionBps: 5000,
      restakingCapBps: 10_000,
    })
    const events = await eventsOf(w, hash, vaultFactoryAbi, 'VaultCreated')
    assert.equal(events.length, 1)
    const { args, address } = events[0]!
    assert.equal(address.toLowerCase(), w.addresses.factory.toLowerCase())
    assert.equal(args.operator.toLowerCase(), operator.address.toLowerCase())
    assert.equal(args.vault.toLowerCase(), vault.toLowerCase())
    assert.equal(args.withdrawalDelay, 2 * DAY)
    assert.equal(args.commissionBps, 5000)
    assert.equal(args.restakingCapBps, 10_000)
  })

  test('registers the vault in isVault, vaultOf and allVaults, in creation order', async () => {
    const w = world()
    const [a, b] = [w.accounts[4]!, w.accounts[8]!]
    assert.deepEqual(await readFactory<Address[]>(w, 'allVaults'), [])
    assert.equal(await readFactory<Address>(w, 'vaultOf', [a.address]), zeroAddress)
    const { result: vaultA } = await create(w, a)
    const { result: vaultB } = await create(w, b)
    assert.notEqual(vaultA.toLowerCase(), vaultB.toLowerCase())
    assert.equal(await readFactory<boolean>(w, 'isVault', [vaultA]), true)
    assert.equal(await readFactory<boolean>(w, 'isVault', [vaultB]), true)
    assert.equal(await readFactory<boolean>(w, 'isVault', [a.address]), false)
    assert.equal((await readFactory<Address>(w, 'vaultOf', [a.address])).toLowerCase(), vaultA.toLowerCase())
    assert.equal((await readFactory<Address>(w, 'vaultOf', [b.address])).toLowerCase(), vaultB.toLowerCase())
    assert.deepEqual(
      (await readFactory<Address[]>(w, 'allVaults')).map((v) => v.toLowerCase()),
      [vaultA, vaultB].map((v) => v.toLowerCase()),
    )
  })

  test('accepts a withdrawal delay exactly at the minimum and exactly at the maximum', async () => {
    const w = world()
    assert.equal(await readFactory<number>(w, 'MIN_WITHDRAWAL_DELAY'), DEFAULT_MIN_WITHDRAWAL_DELAY)
    assert.equal(await readFactory<number>(w, 'MAX_WITHDRAWAL_DELAY'), MAX_DELAY)
    const { result: low } = await create(w, w.accounts[4]!, { withdrawalDelay: DEFAULT_MIN_WITHDRAWAL_DELAY })
    const { result: high } = await create(w, w.accounts[8]!, { withdrawalDelay: MAX_DELAY })
    assert.equal(await readVault<number>(w, low, 'WITHDRAWAL_DELAY'), DEFAULT_MIN_WITHDRAWAL_DELAY)
    assert.equal(await readVault<number>(w, high, 'WITHDRAWAL_DELAY'), MAX_DELAY)
    // an exposure increase waits twice the withdrawal delay, as long as a service change
    assert.equal(await readVault<bigint>(w, high, 'EXPOSURE_DELAY'), BigInt(DEFAULT_PARAM_CHANGE_DELAY))
  })

  test('reverts with InvalidDelay when the delay is one second below the minimum', async () => {
    const w = world()
    const delay = DEFAULT_MIN_WITHDRAWAL_DELAY - 1
    await expectRevert(create(w, w.accounts[4]!, { withdrawalDelay: delay }), 'InvalidDelay', [
      BigInt(delay),
      BigInt(DEFAULT_MIN_WITHDRAWAL_DELAY),
      BigInt(MAX_DELAY),
    ])
  })

  test('reverts with InvalidDelay when the delay is one second above the maximum', async () => {
    const w = world()
    const delay = MAX_DELAY + 1
    await expectRevert(create(w, w.accounts[4]!, { withdrawalDelay: delay }), 'InvalidDelay', [
      BigInt(delay),
      BigInt(DEFAULT_MIN_WITHDRAWAL_DELAY),
      BigInt(MAX_DELAY),
    ])
  })

  test('a deployment sets the minimum bond share within [1%, 100%]; the default is 10%', async () => {
    const w = world()
    // the shared test world deploys with 1% (its fixtures use small bonds); the default is the SDK's
    assert.equal(await readFactory<number>(w, 'MIN_BOND_BPS'), 100)
    assert.equal(DEFAULT_MIN_BOND_BPS, 1000)
    const { result: vault } = await create(w, w.accounts[4]!, {})
    assert.equal(await readVault<bigint>(w, vault, 'MIN_BOND_BPS'), 100n)
  })

  test('reverts with InvalidDelay for a zero delay', async () => {
    const w = world()
    await expectRevert(create(w, w.accounts[4]!, { withdrawalDelay: 0 }), 'InvalidDelay')
  })

  test('reverts with VaultExists when the operator already has a vault, even with other terms', async () => {
    const w = world()
    const operator = w.accounts[4]!
    const { result: vault } = await create(w, operator)
    await expectRevert(create(w, operator, { withdrawalDelay: 2 * DAY, symbol: 'sOP2' }), 'VaultExists', [
      operator.address,
      vault,
    ])
    assert.equal((await readFactory<Address[]>(w, 'allVaults')).length, 1)
  })

  test('reverts with InvalidTerms(commissionBps) when the commission exceeds 50%', async () => {
    const w = world()
    await expectRevert(create(w, w.accounts[4]!, { commissionBps: 5001 }), 'InvalidTerms', ['commissionBps'])
  })

  test('accepts a commission of exactly 50% and of zero', async () => {
    const w = world()
    const { result: a } = await create(w, w.accounts[4]!, { commissionBps: 5000 })
    const { result: b } = await create(w, w.accounts[8]!, { commissionBps: 0 })
    assert.equal(await readVault<number>(w, a, 'commissionBps'), 5000)
    assert.equal(await readVault<number>(w, b, 'commissionBps'), 0)
  })

  test('reverts with InvalidTerms(restakingCapBps) when the restaking cap is below 100%', async () => {
    const w = world()
    await expectRevert(create(w, w.accounts[4]!, { restakingCapBps: 9_999 }), 'InvalidTerms', [
      'restakingCapBps',
    ])
  })

  test('reverts with InvalidTerms(restakingCapBps) when the restaking cap is above 10x', async () => {
    const w = world()
    await expectRevert(create(w, w.accounts[4]!, { restakingCapBps: 100_001 }), 'InvalidTerms', [
      'restakingCapBps',
    ])
  })

  test('accepts a restaking cap of exactly 100% and of exactly 10x', async () => {
    const w = world()
    const { result: a } = await create(w, w.accounts[4]!, { restakingCapBps: 10_000 })
    const { result: b } = await create(w, w.accounts[8]!, { restakingCapBps: 100_000 })
    assert.equal(await readVault<number>(w, a, 'restakingCapBps'), 10_000)
    assert.equal(await readVault<number>(w, b, 'restakingCapBps'), 100_000)
  })

  test('leaves no trace when creation reverts: the operator can still create a vault afterwards', async () => {
    const w = world()
    const operator = w.accounts[4]!
    await expectRevert(create(w, operator, { commissionBps: 9000 }), 'InvalidTerms', ['commissionBps'])
    assert.equal(await readFactory<Address>(w, 'vaultOf', [operator.address]), zeroAddress)
    assert.deepEqual(await readFactory<Address[]>(w, 'allVaults'), [])
    const { result: vault } = await create(w, operator)
    assert.equal(
      (await readFactory<Address>(w, 'vaultOf', [operator.address])).toLowerCase(),
      vault.toLowerCase(),
    )
  })
})
