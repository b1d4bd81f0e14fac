import { rewardsDistributorAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type SetSubsidyRateParameters = { serviceId: bigint; ratePerSecond: bigint }
export type SetSubsidyRateReturnType = TxResult

/** The service owner sets how fast its funded subsidy streams to allocated stake (per second, from now). */
export async function setSubsidyRate(
  client: SuretyClient,
  params: SetSubsidyRateParameters,
): Promise<SetSubsidyRateReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.rewards,
    abi: rewardsDistributorAbi,
    functionName: 'setSubsidyRate',
    args: [params.serviceId, params.ratePerSecond],
  })
  return { ...tx, result: undefined }
}
