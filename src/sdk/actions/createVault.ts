import type { Address } from 'viem'
import { vaultFactoryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type CreateVaultParameters = {
  withdrawalDelay: number
  commissionBps: number
  restakingCapBps: number
  name: string
  symbol: string
}
export type CreateVaultReturnType = TxResult<Address>

/** Creates the caller's operator vault; its shares are the liquid staking token named `name` / `symbol`. */
export async function createVault(
  client: SuretyClient,
  params: CreateVaultParameters,
): Promise<CreateVaultReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.factory,
    abi: vaultFactoryAbi,
    functionName: 'createVault',
    args: [params.withdrawalDelay, params.commissionBps, params.restakingCapBps, params.name, params.symbol],
  })
  return { ...tx, result: tx.result as Address }
}
