import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type CancelServiceChangeParameters = { serviceId: bigint }
export type CancelServiceChangeReturnType = TxResult<undefined>

/** Drops a queued service change (owner). */
export async function cancelServiceChange(
  client: SuretyClient,
  params: CancelServiceChangeParameters,
): Promise<CancelServiceChangeReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'cancelServiceChange',
    args: [params.serviceId],
  })
  return { ...tx, result: undefined }
}
