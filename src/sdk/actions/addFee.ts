import { rewardsDistributorAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type AddFeeParameters = { serviceId: bigint; amount: bigint }
export type AddFeeReturnType = TxResult

/** Adds a fee in the stake token to a service's stakers now (approve the rewards contract first). */
export async function addFee(client: SuretyClient, params: AddFeeParameters): Promise<AddFeeReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.rewards,
    abi: rewardsDistributorAbi,
    functionName: 'addFee',
    args: [params.serviceId, params.amount],
  })
  return { ...tx, result: undefined }
}
