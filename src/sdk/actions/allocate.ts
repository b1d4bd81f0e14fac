import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type AllocateParameters = { vault: Address; serviceId: bigint; increase: bigint }
export type AllocateReturnType = TxResult<undefined>

/**
 * The operator queues an increase of its allocation to a service (replacing one already queued). It applies after
 * the vault's EXPOSURE_DELAY (twice its withdrawal delay) with `applyAllocation`, so stakers can leave first.
 */
export async function allocate(
  client: SuretyClient,
  params: AllocateParameters,
): Promise<AllocateReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'allocate',
    args: [params.serviceId, params.increase],
  })
  return { ...tx, result: undefined }
}
