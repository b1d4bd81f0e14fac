import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type SyncAllocationParameters = { vault: Address; serviceId: bigint }
export type SyncAllocationReturnType = TxResult<undefined>

/**
 * Brings a vault's reward and correlation weight on a service to min(allocation, stake), or 0 once banned (anyone
 * may call): a vault whose stake fell below its allocation stops earning on stake it no longer has.
 */
export async function syncAllocation(
  client: SuretyClient,
  params: SyncAllocationParameters,
): Promise<SyncAllocationReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'syncAllocation',
    args: [params.serviceId],
  })
  return { ...tx, result: undefined }
}
