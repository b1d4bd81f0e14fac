import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { ServiceParams, SuretyClient, TxResult, ViolationClass } from '../types.ts'

export type QueueServiceChangeParameters = {
  serviceId: bigint
  params: ServiceParams
  classes: ViolationClass[]
}
export type QueueServiceChangeReturnType = TxResult<undefined>

/** Queues new terms and classes; they apply after the registry's PARAM_CHANGE_DELAY. */
export async function queueServiceChange(
  client: SuretyClient,
  params: QueueServiceChangeParameters,
): Promise<QueueServiceChangeReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'queueServiceChange',
    args: [params.serviceId, params.params, params.classes],
  })
  return { ...tx, result: undefined }
}
