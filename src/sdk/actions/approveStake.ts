import type { Address } from 'viem'
import { stakeTokenAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type ApproveStakeParameters = { spender: Address; amount: bigint }
export type ApproveStakeReturnType = TxResult<boolean>

/** Approves `spender` to pull the caller's stake token. */
export async function approveStake(
  client: SuretyClient,
  params: ApproveStakeParameters,
): Promise<ApproveStakeReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.stakeToken,
    abi: stakeTokenAbi,
    functionName: 'approve',
    args: [params.spender, params.amount],
  })
  return { ...tx, result: tx.result as boolean }
}
