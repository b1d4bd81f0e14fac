import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type ApplyServiceChangeParameters = { serviceId: bigint }
export type ApplyServiceChangeReturnType = TxResult<undefined>

/** Applies a queued service change whose delay has passed (anyone). */
export async function applyServiceChange(
  client: SuretyClient,
  params: ApplyServiceChangeParameters,
): Promise<ApplyServiceChangeReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'applyServiceChange',
    args: [params.serviceId],
  })
  return { ...tx, result: undefined }
}
