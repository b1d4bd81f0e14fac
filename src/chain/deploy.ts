/**
 * Deploys a full Surety deployment: (optionally) a stake token, the vault blueprint, then registry, factory,
 * court, rewards distributor and order book, whose
 * immutables point at each other. The addresses are predicted from the deployer's nonce, so no contract has a
 * set-once setter an attacker could race.
 */
import { type Address, getAddress, getContractAddress, type Hex, type PublicClient } from 'viem'
import { SuretyError } from '../errors.ts'
import {
  mockERC20Abi,
  mockERC20Bytecode,
  orderBookAbi,
  orderBookBytecode,
  rewardsDistributorAbi,
  rewardsDistributorBytecode,
  serviceRegistryAbi,
  serviceRegistryBytecode,
  slashingCourtAbi,
  slashingCourtBytecode,
  vaultBlueprintAbi,
  vaultBlueprintBytecode,
  vaultFactoryAbi,
  vaultFactoryBytecode,
} from '../generated/contracts.ts'
import { toSuretyError } from '../sdk/sendTransaction.ts'
import type { SuretyAddresses, SuretyWalletClient } from '../sdk/types.ts'

export type DeployOptions = {
  /** Use an existing ERC-20 as collateral; otherwise a mintable test token is deployed. */
  stakeToken?: Address
  /** Delay for any change that could hurt stakers; twice the longest vault withdrawal delay. */
  paramChangeDelay?: number
  minWithdrawalDelay?: number
  /** The least share (bps) of a vault's exposure its operator's bond must be: 1,000 (10%) by default. */
  minBondBps?: number
}

/** Addresses for the deployer's client before anything is deployed (deploying needs a client, not addresses). */
export function placeholderAddresses(deployer: Address): SuretyAddresses {
  return {
    stakeToken: deployer,
    registry: deployer,
    factory: deployer,
    court: deployer,
    rewards: deployer,
    orders: deployer,
  }
}

export const DEFAULT_PARAM_CHANGE_DELAY = 14 * 24 * 3600
export const DEFAULT_MIN_WITHDRAWAL_DELAY = 3600
export const DEFAULT_MIN_BOND_BPS = 1000

async function deployContract(
  publicClient: PublicClient,
  wallet: SuretyWalletClient,
  abi: readonly unknown[],
  bytecode: Hex,
  args: readonly unknown[],
): Promise<Address> {
  let receipt: Awaited<ReturnType<PublicClient['waitForTransactionReceipt']>>
  try {
    const hash = await wallet.deployContract({ abi, bytecode, args } as any)
    receipt = await publicClient.waitForTransactionReceipt({ hash })
  } catch (error) {
    // one typed error for every caller (CLI, devnet): what failed and why, tagged retryable for transport faults
    throw toSuretyError(error, 'deploy')
  }
  if (receipt.status !== 'success' || !receipt.contractAddress) {
    throw new SuretyError('deploy failed: the deployment transaction reverted', {
      details: receipt.transactionHash,
    })
  }
  return getAddress(receipt.contractAddress)
}

export async function deploySurety(
  publicClient: PublicClient,
  wallet: SuretyWalletClient,
  options: DeployOptions = {},
): Promise<SuretyAddresses> {
  const paramChangeDelay = options.paramChangeDelay ?? DEFAULT_PARAM_CHANGE_DELAY
  const minDelay = options.minWithdrawalDelay ?? DEFAULT_MIN_WITHDRAWAL_DELAY
  const stakeToken =
    options.stakeToken ??
    (await deployContract(publicClient, wallet, mockERC20Abi, mockERC20Bytecode, ['Surety Stake', 'STK']))

  // the vault's creation code lives in its own contract, so the factory stays small (VaultBlueprint.sol)
  const blueprint = await deployContract(publicClient, wallet, vaultBlueprintAbi, vaultBlueprintBytecode, [])
  const from = wallet.account.address
  const nonce = BigInt(await publicClient.getTransactionCount({ address: from, blockTag: 'pending' }))
  const registry = getContractAddress({ from, nonce })
  const factory = getContractAddress({ from, nonce: nonce + 1n })
  const court = getContractAddress({ from, nonce: nonce + 2n })
  const rewards = getContractAddress({ from, nonce: nonce + 3n })
  const orders = getContractAddress({ from, nonce: nonce + 4n })

  const deployed = [
    await deployContract(publicClient, wallet, serviceRegistryAbi, serviceRegistryBytecode, [
      stakeToken,
      court,
      paramChangeDelay,
    ]),
    await deployContract(publicClient, wallet, vaultFactoryAbi, vaultFactoryBytecode, [
      stakeToken,
      registry,
      court,
      minDelay,
      blueprint,
      options.minBondBps ?? DEFAULT_MIN_BOND_BPS,
    ]),
    await deployContract(publicClient, wallet, slashingCourtAbi, slashingCourtBytecode, [
      stakeToken,
      registry,
      factory,
      rewards,
      orders,
    ]),
    await deployContract(publicClient, wallet, rewardsDistributorAbi, rewardsDistributorBytecode, [
      stakeToken,
      registry,
      court,
      orders,
    ]),
    await deployContract(publicClient, wallet, orderBookAbi, orderBookBytecode, [
      stakeToken,
      registry,
      factory,
      court,
      rewards,
    ]),
  ]
  const same = (a: Address, b: Address) => a.toLowerCase() === b.toLowerCase()
  if (
    !same(deployed[0]!, registry) ||
    !same(deployed[1]!, factory) ||
    !same(deployed[2]!, court) ||
    !same(deployed[3]!, rewards) ||
    !same(deployed[4]!, orders)
  ) {
    throw new SuretyError(
      'deployment addresses differ from the predicted ones: another transaction used the nonce',
    )
  }
  return { stakeToken, registry, factory, court, rewards, orders }
}
