import type { Address } from 'viem'
import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type RemoveAttesterParameters = { serviceId: bigint; attester: Address }
export type RemoveAttesterReturnType = TxResult<undefined>

/** Queues an attester's removal from the committee (owner). */
export async function removeAttester(
  client: SuretyClient,
  params: RemoveAttesterParameters,
): Promise<RemoveAttesterReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'removeAttester',
    args: [params.serviceId, params.attester],
  })
  return { ...tx, result: undefined }
}
