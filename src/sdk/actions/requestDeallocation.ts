import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type RequestDeallocationParameters = { vault: Address; serviceId: bigint; decrease: bigint }
export type RequestDeallocationReturnType = TxResult<undefined>

/** The operator queues an allocation decrease; it waits out the service's slashing pipeline. */
export async function requestDeallocation(
  client: SuretyClient,
  params: RequestDeallocationParameters,
): Promise<RequestDeallocationReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'requestDeallocation',
    args: [params.serviceId, params.decrease],
  })
  return { ...tx, result: undefined }
}
