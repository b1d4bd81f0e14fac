import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type SetVaultTermsParameters = { vault: Address; commissionBps: number; restakingCapBps: number }
export type SetVaultTermsReturnType = TxResult<undefined>

/** Sets commission and restaking cap; increases wait the vault's withdrawal delay. */
export async function setVaultTerms(
  client: SuretyClient,
  params: SetVaultTermsParameters,
): Promise<SetVaultTermsReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'setTerms',
    args: [params.commissionBps, params.restakingCapBps],
  })
  return { ...tx, result: undefined }
}
