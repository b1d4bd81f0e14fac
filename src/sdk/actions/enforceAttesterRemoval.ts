import type { Address } from 'viem'
import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type EnforceAttesterRemovalParameters = { serviceId: bigint; attester: Address }
export type EnforceAttesterRemovalReturnType = TxResult<undefined>

/** Applies a queued attester removal whose delay has passed (anyone). */
export async function enforceAttesterRemoval(
  client: SuretyClient,
  params: EnforceAttesterRemovalParameters,
): Promise<EnforceAttesterRemovalReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'enforceAttesterRemoval',
    args: [params.serviceId, params.attester],
  })
  return { ...tx, result: undefined }
}
