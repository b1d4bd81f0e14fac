import { slashingCourtAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SlashDetails, SuretyClient, TxResult } from '../types.ts'

export type ExecuteSlashParameters = { details: SlashDetails }
export type ExecuteSlashReturnType = TxResult<undefined>

/** Executes a matured or upheld slash, in request order per vault (anyone). */
export async function executeSlash(
  client: SuretyClient,
  params: ExecuteSlashParameters,
): Promise<ExecuteSlashReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.court,
    abi: slashingCourtAbi,
    functionName: 'executeSlash',
    args: [params.details],
  })
  return { ...tx, result: undefined }
}
