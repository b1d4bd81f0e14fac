import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type ApplyVaultTermsParameters = { vault: Address }
export type ApplyVaultTermsReturnType = TxResult<undefined>

/** Applies queued vault terms whose delay has passed (anyone). */
export async function applyVaultTerms(
  client: SuretyClient,
  params: ApplyVaultTermsParameters,
): Promise<ApplyVaultTermsReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'applyTerms',
    args: [],
  })
  return { ...tx, result: undefined }
}
