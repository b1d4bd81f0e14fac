import { slashingCourtAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SlashDetails, SuretyClient, TxResult } from '../types.ts'

export type ResolveSlashParameters = { details: SlashDetails; upheldAmount: bigint }
export type ResolveSlashReturnType = TxResult<undefined>

/** The resolver upholds `upheldAmount` (at most the slash) or overturns it with 0. */
export async function resolveSlash(
  client: SuretyClient,
  params: ResolveSlashParameters,
): Promise<ResolveSlashReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.court,
    abi: slashingCourtAbi,
    functionName: 'resolve',
    args: [params.details, params.upheldAmount],
  })
  return { ...tx, result: undefined }
}
