/**
 * Builders for a populated deployment — a service with its committee joined, a vault with bond, delegations and
 * allocations — through the SDK only. The devnet seeds its demo world with them and the tests build their
 * fixtures on them, so both exercise the same path a real service owner and operator take.
 */
import { type Account, type Address, maxUint256 } from 'viem'
import {
  allocate,
  approveStake,
  createService,
  createVault,
  deposit,
  depositBond,
  joinCommittee,
} from '../sdk/index.ts'
import type { ServiceParams, SuretyAddresses, SuretyClient, ViolationClass } from '../sdk/types.ts'

/** Whatever can hand out a signing client per account for one deployment (a test world, the devnet). */
export type Seeder = { addresses: SuretyAddresses; clientFor: (account: Account) => SuretyClient }

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

/** Creates `operator`'s vault, posts its bond, takes each delegation and allocates, in that order. */
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
  for (const a of options.allocations ?? []) {
    await allocate(client, { vault, serviceId: a.serviceId, increase: a.amount })
  }
  return vault
}
