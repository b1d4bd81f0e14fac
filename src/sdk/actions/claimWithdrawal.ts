import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type ClaimWithdrawalParameters = { vault: Address; id: bigint; receiver?: Address }
export type ClaimWithdrawalReturnType = TxResult<bigint>

/** Claims a matured withdrawal at min(rate at request, rate now); returns the assets paid. */
export async function claimWithdrawal(
  client: SuretyClient,
  params: ClaimWithdrawalParameters,
): Promise<ClaimWithdrawalReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'claimWithdrawal',
    args: [params.id, params.receiver ?? client.wallet.account.address],
  })
  return { ...tx, result: tx.result as bigint }
}
