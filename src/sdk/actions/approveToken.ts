import type { Address } from 'viem'
import { stakeTokenAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type ApproveTokenParameters = { token: Address; spender: Address; amount: bigint }
export type ApproveTokenReturnType = TxResult<boolean>

/** Approves `spender` to pull the caller's `token`: any ERC-20, e.g. an order's foreign payment token. */
export async function approveToken(
  client: SuretyClient,
  params: ApproveTokenParameters,
): Promise<ApproveTokenReturnType> {
  const tx = await sendTransaction(client, {
    address: params.token,
    abi: stakeTokenAbi,
    functionName: 'approve',
    args: [params.spender, params.amount],
  })
  return { ...tx, result: tx.result as boolean }
}
