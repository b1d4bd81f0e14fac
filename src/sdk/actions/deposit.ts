import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type DepositParameters = { vault: Address; assets: bigint; receiver?: Address }
export type DepositReturnType = TxResult<bigint>

/** Deposits stake into a vault's pool; returns the shares minted (approve the vault first). */
export async function deposit(client: SuretyClient, params: DepositParameters): Promise<DepositReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'deposit',
    args: [params.assets, params.receiver ?? client.wallet.account.address],
  })
  return { ...tx, result: tx.result as bigint }
}
