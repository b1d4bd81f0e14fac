import type { Address } from 'viem'
import { operatorVaultAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type ClaimRewardsParameters = { vault: Address; serviceId: bigint }
export type ClaimRewardsReturnType = TxResult<{ amount: bigint; commission: bigint }>

/**
 * Collects a vault's rewards on a service (anyone): the operator's commission joins its first-loss bond, the rest
 * raises the share price.
 */
export async function claimRewards(
  client: SuretyClient,
  params: ClaimRewardsParameters,
): Promise<ClaimRewardsReturnType> {
  const tx = await sendTransaction(client, {
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'claimRewards',
    args: [params.serviceId],
  })
  const [amount, commission] = tx.result as readonly [bigint, bigint]
  return { ...tx, result: { amount, commission } }
}
