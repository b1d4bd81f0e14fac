import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type AllocateParameters = { vault: Address; serviceId: bigint; increase: bigint }
export type AllocateReturnType = TxResult<undefined>

/** The operator raises its allocation to a service, up to the restaking cap. */
export async function allocate(
  client: SuretyClient,
  params: AllocateParameters,
): Promise<AllocateReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'allocate',
    args: [params.serviceId, params.increase],
  })
  return { ...tx, result: undefined }
}
