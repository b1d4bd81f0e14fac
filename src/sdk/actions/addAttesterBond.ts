import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type AddAttesterBondParameters = { serviceId: bigint; amount: bigint }
export type AddAttesterBondReturnType = TxResult<undefined>

/** Adds to the caller's attester bond, raising its weight. */
export async function addAttesterBond(
  client: SuretyClient,
  params: AddAttesterBondParameters,
): Promise<AddAttesterBondReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'addAttesterBond',
    args: [params.serviceId, params.amount],
  })
  return { ...tx, result: undefined }
}
