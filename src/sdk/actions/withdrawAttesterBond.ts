import { serviceRegistryAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type WithdrawAttesterBondParameters = { serviceId: bigint }
export type WithdrawAttesterBondReturnType = TxResult<bigint>

/** Withdraws an exited attester's bond after the delay. */
export async function withdrawAttesterBond(
  client: SuretyClient,
  params: WithdrawAttesterBondParameters,
): Promise<WithdrawAttesterBondReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'withdrawAttesterBond',
    args: [params.serviceId],
  })
  return { ...tx, result: tx.result as bigint }
}
