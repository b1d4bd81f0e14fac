/**
 * The local devnet: a real anvil chain with Surety deployed and a small demo world — one service with a
 * five-member committee, two operators with bonded, delegated and allocated vaults, a named job in progress and an
 * intent taking bids — ready for the CLI, the node, the indexer and the dashboard.
 */
import {
  type Account,
  type Address,
  createPublicClient,
  http,
  maxUint256,
  type PublicClient,
  parseEther,
} from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { mockERC20Abi } from '../generated/contracts.ts'
import { chainFor, createSuretyClient } from '../sdk/createSuretyClient.ts'
import { approveStake } from '../sdk/index.ts'
import { defaultServiceParams } from '../sdk/serviceDefaults.ts'
import type { ServiceParams, SuretyAddresses, SuretyClient } from '../sdk/types.ts'
import { type Anvil, startAnvil } from './anvil.ts'
import { deploySurety, placeholderAddresses } from './deploy.ts'
import { type Deployment, writeDeployment } from './deployment.ts'
import { type Seeder, seedDemoOrders, seedService, seedVault } from './seed.ts'

export const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk'
const HOUR = 3600
/** How far in the past the devnet chain starts: more than the two demo vaults' exposure delays (2 × 2 × 24 h). */
const DEVNET_HISTORY_SECONDS = 7 * 24 * HOUR

export type DevnetOptions = { port?: number; manifestDir?: string; seed?: boolean }
export type Devnet = {
  anvil: Anvil
  deployment: Deployment
  manifestPath: string
  accounts: Account[]
  world: { serviceId: bigint; vaults: `0x${string}`[]; orders: bigint[] } | undefined
  stop: () => Promise<void>
}

/** The default terms with short windows, so a demo can walk a slash through its whole life in hours of chain time. */
export function devnetServiceParams(resolver: `0x${string}`): ServiceParams {
  return defaultServiceParams(resolver, {
    disputeWindow: 2 * HOUR,
    resolutionDeadline: 4 * HOUR,
    disputeBond: parseEther('50'),
    correlationWindow: 24 * HOUR,
    declaredValue: parseEther('250000'),
  })
}

export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  // the chain starts in the past: the demo vaults' allocations wait out their exposure delay (twice the withdrawal
  // delay) while the world is seeded, and the clock is brought to the present before the demo orders open
  const genesis = Math.floor(Date.now() / 1000) - DEVNET_HISTORY_SECONDS
  const anvil = await startAnvil({
    port: options.port ?? 8545,
    accounts: 20,
    extraArgs: ['--timestamp', String(genesis)],
  })
  try {
    const chainId = 31337
    const accounts = Array.from({ length: 20 }, (_, i) =>
      mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: i }),
    )
    const publicClient = createPublicClient({
      chain: chainFor(anvil.rpcUrl, chainId),
      transport: http(anvil.rpcUrl),
    }) as PublicClient
    const deployer = createSuretyClient({
      rpcUrl: anvil.rpcUrl,
      chainId,
      account: accounts[0]!,
      addresses: placeholderAddresses(accounts[0]!.address),
    })
    const paramChangeDelay = 48 * HOUR // twice the demo vaults' withdrawal delay, the longest a vault may have
    const addresses = await deploySurety(publicClient, deployer.wallet, {
      paramChangeDelay,
      minWithdrawalDelay: HOUR,
    })
    const deployment: Deployment = {
      chainId,
      rpcUrl: anvil.rpcUrl,
      deployedAt: new Date().toISOString(),
      blockNumber: String(await publicClient.getBlockNumber()),
      paramChangeDelay,
      addresses,
    }
    const manifestPath = writeDeployment(options.manifestDir ?? '.surety/deployments', deployment)
    const world =
      options.seed === false ? undefined : await seedDemoWorld(anvil.rpcUrl, chainId, addresses, accounts)
    return {
      anvil,
      deployment,
      manifestPath,
      accounts,
      world,
      stop: () => anvil.stop(),
    }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}

/** Accounts: 0 deployer, 1 service owner, 2 resolver, 4–5 operators, 6–9 stakers, 10–14 attesters, 15 a client. */
async function seedDemoWorld(
  rpcUrl: string,
  chainId: number,
  addresses: SuretyAddresses,
  accounts: Account[],
) {
  const clients = new Map<string, SuretyClient>()
  const request = (method: string, params: unknown[]) =>
    fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
  const seeder: Seeder = {
    addresses,
    travel: async (seconds) => {
      await request('evm_increaseTime', [Number(seconds)])
      await request('evm_mine', [])
    },
    clientFor: (account) => {
      let c = clients.get(account.address)
      if (!c) {
        c = createSuretyClient({ rpcUrl, chainId, account, addresses })
        clients.set(account.address, c)
      }
      return c
    },
  }
  const deployer = seeder.clientFor(accounts[0]!)
  for (const account of accounts) {
    const hash = await deployer.wallet.writeContract({
      address: addresses.stakeToken,
      abi: mockERC20Abi,
      functionName: 'mint',
      args: [account.address, parseEther('1000000')],
      chain: null,
    })
    await deployer.public.waitForTransactionReceipt({ hash })
  }
  const serviceId = await seedService(seeder, {
    owner: accounts[1]!,
    params: devnetServiceParams(accounts[2]!.address),
    classes: [
      { basePenaltyBps: 100, jailDuration: 0, permanentBan: false }, // downtime
      { basePenaltyBps: 1000, jailDuration: 24 * HOUR, permanentBan: false }, // late delivery / wrong output
      { basePenaltyBps: 5000, jailDuration: 0, permanentBan: true }, // fraud
    ],
    attesters: accounts.slice(10, 15),
    attesterBond: parseEther('5000'),
  })
  const vaults: Address[] = []
  for (const [n, operator] of [accounts[4]!, accounts[5]!].entries()) {
    const vault = await seedVault(seeder, operator, {
      withdrawalDelay: 24 * HOUR,
      commissionBps: 1000,
      restakingCapBps: 20_000,
      name: `Surety Staked Operator ${n + 1}`,
      symbol: `sOP${n + 1}`,
      bond: parseEther('10000'),
      // stakers 6..9 delegate 20k, 40k, 60k and 80k
      delegations: [6, 7, 8, 9].map((i) => ({
        staker: accounts[i]!,
        assets: parseEther(String(20_000 * (i - 5))),
      })),
      allocations: [{ serviceId, amount: parseEther('100000') }],
    })
    // operators approve the court once, for dispute bonds
    await approveStake(seeder.clientFor(operator), { spender: addresses.court, amount: maxUint256 })
    vaults.push(vault)
  }
  // back to the present: what happens from here on is stamped with wall-clock time
  const latest = await seeder.clientFor(accounts[0]!).public.getBlock()
  const now = Math.floor(Date.now() / 1000)
  if (now > Number(latest.timestamp)) await request('evm_mine', [now])
  // a named job operator 1 has accepted and an intent operator 2 has bid on
  const orders = await seedDemoOrders(seeder, {
    client: accounts[15]!,
    serviceId,
    named: { operator: accounts[4]!, vault: vaults[0]! },
    bidder: accounts[5]!,
  })
  return { serviceId, vaults, orders }
}
