import type { Address } from 'viem'
import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { ServiceParams, SuretyClient, TxResult, ViolationClass } from '../types.ts'

export type CreateServiceParameters = {
  params: ServiceParams
  classes: ViolationClass[]
  attesters: Address[]
}
export type CreateServiceReturnType = TxResult<bigint>

/** Creates a service with its SLA terms, violation classes and founding committee; the caller owns it. */
export async function createService(
  client: SuretyClient,
  params: CreateServiceParameters,
): Promise<CreateServiceReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'createService',
    args: [params.params, params.classes, params.attesters],
  })
  return { ...tx, result: tx.result as bigint }
}
