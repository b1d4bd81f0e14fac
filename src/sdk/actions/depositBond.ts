import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type DepositBondParameters = { vault: Address; amount: bigint }
export type DepositBondReturnType = TxResult<undefined>

/** The operator adds to its first-loss bond. */
export async function depositBond(
  client: SuretyClient,
  params: DepositBondParameters,
): Promise<DepositBondReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'depositBond',
    args: [params.amount],
  })
  return { ...tx, result: undefined }
}
