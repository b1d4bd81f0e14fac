import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type RequestWithdrawalParameters = { vault: Address; shares: bigint }
export type RequestWithdrawalReturnType = TxResult<bigint>

/** Queues shares for withdrawal; returns the request id. The shares stay slashable and earn nothing while queued. */
export async function requestWithdrawal(
  client: SuretyClient,
  params: RequestWithdrawalParameters,
): Promise<RequestWithdrawalReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'requestWithdrawal',
    args: [params.shares],
  })
  return { ...tx, result: tx.result as bigint }
}
