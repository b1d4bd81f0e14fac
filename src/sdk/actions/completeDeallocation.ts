import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type CompleteDeallocationParameters = { vault: Address; serviceId: bigint }
export type CompleteDeallocationReturnType = TxResult<undefined>

/** Applies a matured allocation decrease (anyone); never below what pending slashes hold. */
export async function completeDeallocation(
  client: SuretyClient,
  params: CompleteDeallocationParameters,
): Promise<CompleteDeallocationReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'completeDeallocation',
    args: [params.serviceId],
  })
  return { ...tx, result: undefined }
}
