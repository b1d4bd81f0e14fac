import { slashingCourtAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SlashDetails, SuretyClient, TxResult } from '../types.ts'

export type DisputeSlashParameters = { details: SlashDetails }
export type DisputeSlashReturnType = TxResult<undefined>

/** The operator disputes a pending slash within its window, posting the dispute bond (approve the court first). */
export async function disputeSlash(
  client: SuretyClient,
  params: DisputeSlashParameters,
): Promise<DisputeSlashReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.court,
    abi: slashingCourtAbi,
    functionName: 'dispute',
    args: [params.details],
  })
  return { ...tx, result: undefined }
}
