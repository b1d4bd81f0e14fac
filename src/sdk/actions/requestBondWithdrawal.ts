import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type RequestBondWithdrawalParameters = { vault: Address; amount: bigint }
export type RequestBondWithdrawalReturnType = TxResult<undefined>

/** The operator queues a bond withdrawal; the bond stays slashable until claimed. */
export async function requestBondWithdrawal(
  client: SuretyClient,
  params: RequestBondWithdrawalParameters,
): Promise<RequestBondWithdrawalReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'requestBondWithdrawal',
    args: [params.amount],
  })
  return { ...tx, result: undefined }
}
