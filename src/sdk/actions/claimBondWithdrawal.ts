import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type ClaimBondWithdrawalParameters = { vault: Address }
export type ClaimBondWithdrawalReturnType = TxResult<bigint>

/** The operator claims a matured bond withdrawal (at most the bond net of pending slashes). */
export async function claimBondWithdrawal(
  client: SuretyClient,
  params: ClaimBondWithdrawalParameters,
): Promise<ClaimBondWithdrawalReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'claimBondWithdrawal',
    args: [],
  })
  return { ...tx, result: tx.result as bigint }
}
