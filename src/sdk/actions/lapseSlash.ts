import { slashingCourtAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SlashDetails, SuretyClient, TxResult } from '../types.ts'

export type LapseSlashParameters = { details: SlashDetails }
export type LapseSlashReturnType = TxResult<undefined>

/** Cancels a disputed slash the resolver left unresolved past its deadline (anyone). */
export async function lapseSlash(
  client: SuretyClient,
  params: LapseSlashParameters,
): Promise<LapseSlashReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.court,
    abi: slashingCourtAbi,
    functionName: 'lapse',
    args: [params.details],
  })
  return { ...tx, result: undefined }
}
