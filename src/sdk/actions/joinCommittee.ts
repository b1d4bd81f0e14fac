import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type JoinCommitteeParameters = { serviceId: bigint; bond: bigint }
export type JoinCommitteeReturnType = TxResult<undefined>

/** An approved attester joins the committee by posting its bond (approve the registry first). */
export async function joinCommittee(
  client: SuretyClient,
  params: JoinCommitteeParameters,
): Promise<JoinCommitteeReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'joinCommittee',
    args: [params.serviceId, params.bond],
  })
  return { ...tx, result: undefined }
}
