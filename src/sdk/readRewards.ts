import type { Address } from 'viem'
import { orderBookAbi, rewardsDistributorAbi } from './abis.ts'
import type { SuretyReader } from './types.ts'

export type ServiceRewardsView = {
  accPerStake: bigint
  totalStake: bigint
  ratePerSecond: bigint
  /** Funded subsidy not yet streamed, including income that arrived while nothing was allocated. */
  subsidyBalance: bigint
}

/** A service's reward stream: the reward-per-stake accumulator, the stake earning it, the subsidy left. */
export async function readServiceRewards(
  reader: SuretyReader,
  serviceId: bigint,
): Promise<ServiceRewardsView> {
  const [accPerStake, totalStake, ratePerSecond, subsidyBalance] = await reader.public.readContract({
    address: reader.addresses.rewards,
    abi: rewardsDistributorAbi,
    functionName: 'serviceRewards',
    args: [serviceId],
  })
  return { accPerStake, totalStake, ratePerSecond, subsidyBalance }
}

/** What a vault would receive from claimRewards on a service now (before the operator's commission). */
export function readClaimableRewards(
  reader: SuretyReader,
  serviceId: bigint,
  vault: Address,
): Promise<bigint> {
  return reader.public.readContract({
    address: reader.addresses.rewards,
    abi: rewardsDistributorAbi,
    functionName: 'claimable',
    args: [serviceId, vault],
  })
}

/** Stake-token order fees of a service accrued in the order book and not yet swept to the stakers (sweepFees). */
export function readUnsweptFees(reader: SuretyReader, serviceId: bigint): Promise<bigint> {
  return reader.public.readContract({
    address: reader.addresses.orders,
    abi: orderBookAbi,
    functionName: 'unsweptFees',
    args: [serviceId],
  })
}
