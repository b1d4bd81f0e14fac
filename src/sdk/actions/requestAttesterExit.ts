import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type RequestAttesterExitParameters = { serviceId: bigint }
export type RequestAttesterExitReturnType = TxResult<undefined>

/** Leaves the committee now; the bond stays slashable until the change delay has passed. */
export async function requestAttesterExit(
  client: SuretyClient,
  params: RequestAttesterExitParameters,
): Promise<RequestAttesterExitReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'requestAttesterExit',
    args: [params.serviceId],
  })
  return { ...tx, result: undefined }
}
