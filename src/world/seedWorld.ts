/**
 * Deploys Surety on a fresh devnet chain and seeds the designed world through the SDK: two services with the same
 * five-attester committee, eight operator vaults with bonds, delegations and allocations, clients with funds and
 * approvals. The chain starts in the past so allocations wait out their exposure delay (twice the withdrawal
 * delay) by moving the clock, as a real operator waits; the world then runs in the present.
 */
import { type Address, maxUint256, parseEther } from 'viem'
import { type Seeder, seedService, seedVault } from '../chain/seed.ts'
import { mockERC20Abi } from '../generated/contracts.ts'
import { approveStake } from '../sdk/index.ts'
import { defaultServiceParams } from '../sdk/serviceDefaults.ts'
import type { ViolationClass } from '../sdk/types.ts'
import type { WorldAccounts } from './accounts.ts'
import { COLD, GPU, type WorldDesign } from './design.ts'
import type { WorldProfile } from './profile.ts'

/**
 * Class ids, the same in the services and in the nodes' configs. The cold chain's two promises are two classes
 * (the node judges which one a failed shipment broke, docs/node.md): spoiled goods cost more than late ones —
 * a higher base penalty for a reported excursion, and a jail (no new cold-chain order and no raised allocation
 * there for two dispute windows after an executed slash: devnet scale, like the windows) that lateness does not
 * bring. An order's own collateral slash is its collateral whatever the class; the class sets the jail and names
 * the failure.
 */
export const GPU_CLASSES = { downtime: 0, wrongOutput: 1 } as const
export const COLD_CLASSES = { temperature: 0, lateness: 1 } as const
export const CLASS_NAMES: [string[], string[]] = [
  ['downtime', 'wrong output'],
  ['temperature excursion', 'lateness'],
]
const gpuClasses: ViolationClass[] = [
  { basePenaltyBps: 100, jailDuration: 0, permanentBan: false },
  { basePenaltyBps: 500, jailDuration: 0, permanentBan: false },
]
const coldClasses = (profile: WorldProfile): ViolationClass[] => [
  // --fast (tests) jails nobody: with 60 s windows a jail of the few cold operators stalls every shipment in flight
  {
    basePenaltyBps: 500,
    jailDuration: profile.name === 'demo' ? 2 * profile.disputeWindow : 0,
    permanentBan: false,
  },
  { basePenaltyBps: 200, jailDuration: 0, permanentBan: false },
]

export const ATTESTER_BOND = parseEther('5000')
const OPERATOR_FUNDS = parseEther('100000')
const STAKER_FUNDS = parseEther('200000')
const CLIENT_FUNDS = parseEther('10000000')

export async function seedWorld(
  seeder: Seeder,
  accounts: WorldAccounts,
  design: WorldDesign,
  profile: WorldProfile,
  progress: (what: string) => void,
): Promise<{ serviceIds: [bigint, bigint]; vaults: Address[] }> {
  const { addresses } = seeder
  const deployer = seeder.clientFor(accounts.deployer)
  const mint = async (to: Address, amount: bigint) => {
    const hash = await deployer.wallet.writeContract({
      address: addresses.stakeToken,
      abi: mockERC20Abi,
      functionName: 'mint',
      args: [to, amount],
      chain: null,
    })
    await deployer.public.waitForTransactionReceipt({ hash })
  }
  progress('funding accounts')
  for (const a of accounts.operators) await mint(a.address, OPERATOR_FUNDS)
  for (const a of accounts.stakers) await mint(a.address, STAKER_FUNDS)
  for (const a of [...accounts.attesters]) await mint(a.address, 2n * ATTESTER_BOND)
  for (const a of [...accounts.clients, accounts.attacker]) await mint(a.address, CLIENT_FUNDS)

  progress('creating services')
  const params = (declaredValue: bigint) =>
    defaultServiceParams(accounts.resolver.address, {
      disputeWindow: profile.disputeWindow,
      resolutionDeadline: profile.resolutionDeadline,
      correlationWindow: 10 * profile.disputeWindow,
      disputeBond: parseEther('100'),
      declaredValue,
    })
  const serviceIds = [] as unknown as [bigint, bigint]
  for (const [service, classes] of [
    [GPU, gpuClasses],
    [COLD, coldClasses(profile)],
  ] as const) {
    serviceIds[service] = await seedService(seeder, {
      owner: accounts.owner,
      params: params(design.declaredValue[service]),
      classes,
      attesters: accounts.attesters,
      attesterBond: ATTESTER_BOND,
    })
  }

  const vaults: Address[] = []
  for (const op of design.operators) {
    progress(`vault ${op.name}`)
    const operator = accounts.operators[op.index]!
    const vault = await seedVault(seeder, operator, {
      withdrawalDelay: profile.withdrawalDelay,
      commissionBps: op.commissionBps,
      restakingCapBps: 20_000,
      name: `Surety Staked ${op.name}`,
      symbol: `s${op.name.toUpperCase().replace('-', '')}`,
      bond: op.bond,
      delegations: design.delegations
        .filter((d) => d.operator === op.index)
        .map((d) => ({ staker: accounts.stakers[d.staker]!, assets: d.assets })),
      allocations: design.allocations
        .filter((a) => a.operator === op.index)
        .map((a) => ({ serviceId: serviceIds[a.service]!, amount: a.amount })),
    })
    // dispute bonds are paid to the court
    await approveStake(seeder.clientFor(operator), { spender: addresses.court, amount: maxUint256 })
    vaults.push(vault)
  }
  for (const c of [...accounts.clients, accounts.attacker])
    await approveStake(seeder.clientFor(c), { spender: addresses.orders, amount: maxUint256 })
  return { serviceIds, vaults }
}
