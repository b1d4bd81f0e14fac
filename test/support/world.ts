/**
 * Test world: a real anvil chain for this test file (one per worker process), Surety deployed on it, funded
 * accounts, and snapshot/revert so every test starts from the same state.
 */
import { after, before, beforeEach } from 'node:test'
import {
  type Account,
  type Address,
  createPublicClient,
  createTestClient,
  http,
  type PublicClient,
  parseEther,
  type TestClient,
} from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { type Anvil, startAnvil } from '../../src/chain/anvil.ts'
import { type DeployOptions, deploySurety, placeholderAddresses } from '../../src/chain/deploy.ts'
import { stakeTokenAbi } from '../../src/sdk/abis.ts'
import { chainFor, createSuretyClient } from '../../src/sdk/createSuretyClient.ts'
import type { SuretyAddresses, SuretyClient } from '../../src/sdk/types.ts'

export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk'
export const INITIAL_BALANCE = parseEther('1000000')
/** How far in the past a test chain starts: room for several seeded vaults' exposure delays. */
export const CHAIN_HISTORY_SECONDS = 180 * 24 * 3600

export type World = {
  anvil: Anvil
  chainId: number
  public: PublicClient
  test: TestClient
  addresses: SuretyAddresses
  accounts: Account[]
  deployer: Account
  clientFor: (account: Account) => SuretyClient
  now: () => Promise<bigint>
  /** Moves chain time forward and mines a block. */
  travel: (seconds: number | bigint) => Promise<void>
  /** Mines a block stamped with the wall clock's time, if the chain is behind it. */
  catchUpToWallClock: () => Promise<void>
  balanceOf: (who: Address) => Promise<bigint>
  mint: (to: Address, amount: bigint) => Promise<void>
}

export async function createWorld(options: DeployOptions & { accounts?: number } = {}): Promise<World> {
  const accountCount = options.accounts ?? 20
  // the chain starts in the past: seeding a vault waits out its exposure delay (twice its withdrawal delay) by
  // moving the chain's clock, and tests that need chain time to match the wall clock (the node's, which judges
  // telemetry timestamps) bring it to the present with `catchUpToWallClock` afterwards
  const genesis = Math.floor(Date.now() / 1000) - CHAIN_HISTORY_SECONDS
  const anvil = await startAnvil({ accounts: accountCount, extraArgs: ['--timestamp', String(genesis)] })
  const chainId = 31337
  const chain = chainFor(anvil.rpcUrl, chainId)
  const publicClient = createPublicClient({
    chain,
    transport: http(anvil.rpcUrl),
    pollingInterval: 20,
  }) as PublicClient
  const test = createTestClient({ chain, mode: 'anvil', transport: http(anvil.rpcUrl) })
  const accounts = Array.from({ length: accountCount }, (_, i) =>
    mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }),
  )
  const deployer = accounts[0]!
  const deployerClient = createSuretyClient({
    rpcUrl: anvil.rpcUrl,
    chainId,
    account: deployer,
    addresses: placeholderAddresses(deployer.address),
  })
  let addresses: SuretyAddresses
  try {
    // the fixtures give operators small bonds so that slashes reach the delegated pool; the world deploys with a
    // 1% minimum bond for them, and the tests of the minimum itself deploy with the 10% default
    addresses = await deploySurety(publicClient, deployerClient.wallet, { minBondBps: 100, ...options })
  } catch (error) {
    await anvil.stop()
    throw error
  }
  const clients = new Map<Address, SuretyClient>()
  const clientFor = (account: Account) => {
    let client = clients.get(account.address)
    if (!client) {
      client = createSuretyClient({ rpcUrl: anvil.rpcUrl, chainId, account, addresses })
      client.public = publicClient
      clients.set(account.address, client)
    }
    return client
  }
  const world: World = {
    anvil,
    chainId,
    public: publicClient,
    test,
    addresses,
    accounts,
    deployer,
    clientFor,
    now: async () => (await publicClient.getBlock()).timestamp,
    travel: async (seconds) => {
      await test.increaseTime({ seconds: Number(seconds) })
      await test.mine({ blocks: 1 })
    },
    catchUpToWallClock: async () => {
      const wall = BigInt(Math.floor(Date.now() / 1000))
      if ((await publicClient.getBlock()).timestamp >= wall) return
      await test.setNextBlockTimestamp({ timestamp: wall })
      await test.mine({ blocks: 1 })
    },
    balanceOf: (who) =>
      publicClient.readContract({
        address: addresses.stakeToken,
        abi: stakeTokenAbi,
        functionName: 'balanceOf',
        args: [who],
      }),
    mint: async (to, amount) => {
      const hash = await clientFor(deployer).wallet.writeContract({
        address: addresses.stakeToken,
        abi: stakeTokenAbi,
        functionName: 'mint',
        args: [to, amount],
        chain: null,
      })
      await publicClient.waitForTransactionReceipt({ hash })
    },
  }
  if (!options.stakeToken) {
    for (const account of accounts) await world.mint(account.address, INITIAL_BALANCE)
  }
  return world
}

/**
 * Registers node:test hooks: a fresh chain and deployment for this file, reverted to the same snapshot before
 * every test. `setup` runs once after deployment and is part of the snapshot.
 */
export function useWorld<T>(
  setup: (world: World) => Promise<T> = async () => undefined as T,
  options: DeployOptions & { accounts?: number } = {},
): { world: () => World; fixture: () => T } {
  let world: World | undefined
  let fixture: T | undefined
  let snapshot: `0x${string}` | undefined
  before(async () => {
    world = await createWorld(options)
    fixture = await setup(world)
    snapshot = await world.test.snapshot()
  })
  beforeEach(async () => {
    if (!world || !snapshot) return
    await world.test.revert({ id: snapshot })
    snapshot = await world.test.snapshot()
  })
  after(async () => {
    await world?.anvil.stop()
  })
  return {
    world: () => {
      if (!world) throw new Error('world not started')
      return world
    },
    fixture: () => fixture as T,
  }
}
