import type { Address } from 'viem'
import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type ApproveAttesterParameters = { serviceId: bigint; attester: Address }
export type ApproveAttesterReturnType = TxResult<undefined>

/** Approves an attester; it may join the committee after the change delay (owner). */
export async function approveAttester(
  client: SuretyClient,
  params: ApproveAttesterParameters,
): Promise<ApproveAttesterReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'approveAttester',
    args: [params.serviceId, params.attester],
  })
  return { ...tx, result: undefined }
}
