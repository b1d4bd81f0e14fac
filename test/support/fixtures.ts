/** Ready-made services, vaults and attesters for tests, built only through the SDK. */
import { type Account, type Address, type Hex, parseEther } from 'viem'
import { type SeedVaultOptions, seedService, seedVault } from '../../src/chain/seed.ts'
import {
  allocate,
  applyAllocation,
  incidentIdFor,
  operatorVaultAbi,
  requestSlash,
  type ServiceParams,
  type SlashReport,
  signReport,
  type ViolationClass,
} from '../../src/sdk/index.ts'
import type { World } from './world.ts'

export { defaultServiceParams, SINK } from '../../src/sdk/serviceDefaults.ts'

import { defaultServiceParams } from '../../src/sdk/serviceDefaults.ts'
export const HOUR = 3600
export const DAY = 24 * HOUR

export const DOWNTIME: ViolationClass = { basePenaltyBps: 100, jailDuration: 0, permanentBan: false }
export const WRONG_OUTPUT: ViolationClass = {
  basePenaltyBps: 1000,
  jailDuration: 7 * DAY,
  permanentBan: false,
}
export const FRAUD: ViolationClass = { basePenaltyBps: 5000, jailDuration: 0, permanentBan: true }
export const DEFAULT_CLASSES = [DOWNTIME, WRONG_OUTPUT, FRAUD]

export type ServiceFixture = { serviceId: bigint; owner: Account; resolver: Account; attesters: Account[] }

/** A service whose committee has joined with equal bonds (accounts 10.. by default). */
export async function setupService(
  world: World,
  options: {
    owner?: Account
    resolver?: Account
    attesters?: Account[]
    attesterBond?: bigint
    params?: Partial<ServiceParams>
    classes?: ViolationClass[]
  } = {},
): Promise<ServiceFixture> {
  const owner = options.owner ?? world.accounts[1]!
  const resolver = options.resolver ?? world.accounts[2]!
  const attesters = options.attesters ?? world.accounts.slice(10, 15)
  const serviceId = await seedService(world, {
    owner,
    params: defaultServiceParams(resolver.address, options.params),
    classes: options.classes ?? DEFAULT_CLASSES,
    attesters,
    attesterBond: options.attesterBond ?? parseEther('1000'),
  })
  return { serviceId, owner, resolver, attesters }
}

export type VaultFixture = { vault: Address; operator: Account }

/** An operator vault with a bond, delegations and allocations. */
export async function setupVault(
  world: World,
  operator: Account,
  options: Partial<Omit<SeedVaultOptions, 'name' | 'symbol'>> = {},
): Promise<VaultFixture> {
  const vault = await seedVault(world, operator, {
    ...options,
    withdrawalDelay: options.withdrawalDelay ?? 7 * DAY,
    commissionBps: options.commissionBps ?? 1000,
    restakingCapBps: options.restakingCapBps ?? 30_000,
    name: 'Surety Staked',
    symbol: 'sSTK',
  })
  return { vault, operator }
}

export function incident(label: string): Hex {
  return incidentIdFor(label)
}

/** Signs `report` with the given attesters and submits it from `submitter`. */
export async function reportSlash(
  world: World,
  attesters: Account[],
  report: SlashReport,
  submitter: Account = world.accounts[3]!,
) {
  const domain = { chainId: world.chainId, court: world.addresses.court }
  const signatures = await Promise.all(attesters.map((a) => signReport(a, domain, report)))
  return requestSlash(world.clientFor(submitter), { report, signatures })
}

/**
 * Queues an allocation increase, waits out the vault's exposure delay (twice its withdrawal delay) and applies it:
 * the way an operator raises its allocation, compressed into one step for tests about what happens afterwards.
 */
export async function allocateNow(
  world: World,
  operator: Account,
  vault: Address,
  serviceId: bigint,
  increase: bigint,
) {
  const client = world.clientFor(operator)
  await allocate(client, { vault, serviceId, increase })
  const delay = await world.public.readContract({
    address: vault,
    abi: operatorVaultAbi,
    functionName: 'EXPOSURE_DELAY',
  })
  await world.travel(delay)
  return applyAllocation(client, { vault, serviceId })
}
