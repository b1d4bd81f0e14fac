/**
 * The ABIs the SDK uses (`surety/abis`), `as const` for viem's type inference, re-exported from the compiler output
 * so the two can never drift apart.
 *
 * @module surety/abis
 */
export {
  mockERC20Abi as stakeTokenAbi,
  operatorVaultAbi,
  orderBookAbi,
  rewardsDistributorAbi,
  serviceRegistryAbi,
  slashingCourtAbi,
  vaultFactoryAbi,
} from '../generated/contracts.ts'

import {
  operatorVaultAbi,
  orderBookAbi,
  rewardsDistributorAbi,
  serviceRegistryAbi,
  slashingCourtAbi,
  vaultFactoryAbi,
} from '../generated/contracts.ts'

/** Every Surety ABI at once, so a revert from any contract in a call chain decodes to its custom error. */
export const allSuretyErrorsAbi = [
  ...operatorVaultAbi,
  ...orderBookAbi,
  ...rewardsDistributorAbi,
  ...serviceRegistryAbi,
  ...slashingCourtAbi,
  ...vaultFactoryAbi,
].filter((item) => item.type === 'error')
