import { rewardsDistributorAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type FundSubsidyParameters = { serviceId: bigint; amount: bigint }
export type FundSubsidyReturnType = TxResult

/** Funds a service's subsidy stream (approve the rewards contract first); it streams at the owner's rate. */
export async function fundSubsidy(
  client: SuretyClient,
  params: FundSubsidyParameters,
): Promise<FundSubsidyReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.rewards,
    abi: rewardsDistributorAbi,
    functionName: 'fundSubsidy',
    args: [params.serviceId, params.amount],
  })
  return { ...tx, result: undefined }
}
