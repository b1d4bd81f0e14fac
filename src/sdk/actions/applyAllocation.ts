import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type ApplyAllocationParameters = { vault: Address; serviceId: bigint }
export type ApplyAllocationReturnType = TxResult<undefined>

/**
 * Applies an allocation increase queued by `allocate` once its exposure delay has passed (anyone may call). The
 * restaking cap, the stake and the operator's minimum bond are checked again now.
 */
export async function applyAllocation(
  client: SuretyClient,
  params: ApplyAllocationParameters,
): Promise<ApplyAllocationReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'applyAllocation',
    args: [params.serviceId],
  })
  return { ...tx, result: undefined }
}
