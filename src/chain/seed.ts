/**
 * Builders for a populated deployment — a service with its committee joined, a vault with bond, delegations and
 * allocations — through the SDK only. The devnet seeds its demo world with them and the tests build their
 * fixtures on them, so both exercise the same path a real service owner and operator take.
 */
import { type Account, type Address, keccak256, maxUint256, parseEther, toHex } from 'viem'
import {
  acceptOrder,
  allocate,
  applyAllocation,
  approveStake,
  bidOnOrder,
  createService,
  createVault,
  deposit,
  depositBond,
  joinCommittee,
  openOrder,
  orderParams,
  orderTerms,
  readRequiredCollateral,
  vaultFactoryAbi,
} from '../sdk/index.ts'
import type { ServiceParams, SuretyAddresses, SuretyClient, ViolationClass } from '../sdk/types.ts'

/**
 * Whatever can hand out a signing client per account for one deployment (a test world, the devnet), and move a
 * local chain's time forward (allocations apply only after the vault's exposure delay).
 */
export type Seeder = {
  addresses: SuretyAddresses
  clientFor: (account: Account) => SuretyClient
  travel?: (seconds: number | bigint) => Promise<void>
}

/** Creates a service owned by `owner` and has every founding attester approve the registry and post `attesterBond`. */
export async function seedService(
  seeder: Seeder,
  options: {
    owner: Account
    params: ServiceParams
    classes: ViolationClass[]
    attesters: Account[]
    attesterBond: bigint
  },
): Promise<bigint> {
  const { result: serviceId } = await createService(seeder.clientFor(options.owner), {
    params: options.params,
    classes: options.classes,
    attesters: options.attesters.map((a) => a.address),
  })
  for (const attester of options.attesters) {
    const client = seeder.clientFor(attester)
    await approveStake(client, { spender: seeder.addresses.registry, amount: maxUint256 })
    await joinCommittee(client, { serviceId, bond: options.attesterBond })
  }
  return serviceId
}

export type SeedVaultOptions = {
  withdrawalDelay: number
  commissionBps: number
  restakingCapBps: number
  name: string
  symbol: string
  bond?: bigint
  delegations?: { staker: Account; assets: bigint }[]
  allocations?: { serviceId: bigint; amount: bigint }[]
}

/**
 * Creates `operator`'s vault, posts its bond, takes each delegation and allocates, in that order. Allocations are
 * queued, then the seeder's clock is moved past the vault's exposure delay and they are applied.
 */
export async function seedVault(
  seeder: Seeder,
  operator: Account,
  options: SeedVaultOptions,
): Promise<Address> {
  const client = seeder.clientFor(operator)
  const { result: vault } = await createVault(client, {
    withdrawalDelay: options.withdrawalDelay,
    commissionBps: options.commissionBps,
    restakingCapBps: options.restakingCapBps,
    name: options.name,
    symbol: options.symbol,
  })
  await approveStake(client, { spender: vault, amount: maxUint256 })
  if (options.bond) await depositBond(client, { vault, amount: options.bond })
  for (const d of options.delegations ?? []) {
    const staker = seeder.clientFor(d.staker)
    await approveStake(staker, { spender: vault, amount: maxUint256 })
    await deposit(staker, { vault, assets: d.assets })
  }
  const allocations = options.allocations ?? []
  for (const a of allocations) {
    await allocate(client, { vault, serviceId: a.serviceId, increase: a.amount })
  }
  if (allocations.length > 0) {
    await waitOutExposureDelay(seeder, options.withdrawalDelay)
    for (const a of allocations) await applyAllocation(client, { vault, serviceId: a.serviceId })
  }
  return vault
}

/** Moves a local chain past an exposure delay (twice `withdrawalDelay`); a seeder without a clock cannot. */
export async function waitOutExposureDelay(seeder: Seeder, withdrawalDelay: number | bigint): Promise<void> {
  if (!seeder.travel) {
    throw new Error(
      'seeding allocations needs a chain whose time can be moved (anvil): they apply after a delay',
    )
  }
  await seeder.travel(2n * BigInt(withdrawalDelay))
}

export type SeedDemoOrdersOptions = {
  client: Account
  serviceId: bigint
  /** Accepts a named two-milestone job. */
  named: { operator: Account; vault: Address }
  /** Bids on an open intent. */
  bidder: Account
}

/**
 * Two demo orders from `client`: a named job (40/60 milestones) its operator has accepted, and an intent still
 * taking bids with one bid on it, so the status, the indexer and the dashboard have live orders to show.
 */
export async function seedDemoOrders(seeder: Seeder, options: SeedDemoOrdersOptions): Promise<bigint[]> {
  const client = seeder.clientFor(options.client)
  const { addresses } = seeder
  await approveStake(client, { spender: addresses.orders, amount: maxUint256 })
  const now = (await client.public.getBlock()).timestamp
  const job = await openOrder(client, {
    params: orderParams({
      client: options.client.address,
      serviceId: options.serviceId,
      paymentToken: addresses.stakeToken,
      vault: options.named.vault,
      budget: parseEther('500'),
      milestones: [4000, 6000],
      now,
      biddingWindow: 2 * 3600,
      duration: 2 * 24 * 3600,
    }),
    terms: orderTerms({
      termsHash: keccak256(toHex('demo: render 240 frames, 4K, delivered in two batches')),
    }),
  })
  await acceptOrder(seeder.clientFor(options.named.operator), job.result)
  const intent = await openOrder(client, {
    params: orderParams({
      client: options.client.address,
      serviceId: options.serviceId,
      paymentToken: addresses.stakeToken,
      budget: parseEther('300'),
      now,
      biddingWindow: 6 * 3600,
      duration: 24 * 3600,
    }),
    terms: orderTerms({
      termsHash: keccak256(toHex('demo: 8 GPU-hours of H100 inference, p99 under 800 ms')),
    }),
  })
  const price = parseEther('250')
  const bidder = seeder.clientFor(options.bidder)
  const vault = await bidder.public.readContract({
    address: addresses.factory,
    abi: vaultFactoryAbi,
    functionName: 'vaultOf',
    args: [options.bidder.address],
  })
  const collateral = await readRequiredCollateral(bidder, { params: intent.result.params, vault, price })
  await bidOnOrder(bidder, { ...intent.result, price, collateral })
  return [job.result.orderId, intent.result.orderId]
}
