import type { Address } from 'viem'
import { rewardsDistributorAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type WithdrawCommissionParameters = { serviceId: bigint; vault: Address }
export type WithdrawCommissionReturnType = TxResult<bigint>

/** Pays a vault's accrued commission on a service to the vault's operator (anyone may call). */
export async function withdrawCommission(
  client: SuretyClient,
  params: WithdrawCommissionParameters,
): Promise<WithdrawCommissionReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.rewards,
    abi: rewardsDistributorAbi,
    functionName: 'withdrawCommission',
    args: [params.serviceId, params.vault],
  })
  return { ...tx, result: tx.result as bigint }
}
