import { orderBookAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type SweepFeesParameters = { serviceId: bigint }
export type SweepFeesReturnType = TxResult<bigint>

/**
 * Moves a service's accrued stake-token order fees to the rewards distributor, which shares them among the stake
 * allocated to the service (anyone: a keeper duty). Returns the amount swept (0 when nothing had accrued).
 */
export async function sweepFees(
  client: SuretyClient,
  params: SweepFeesParameters,
): Promise<SweepFeesReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'sweepFees',
    args: [params.serviceId],
  })
  return { ...tx, result: tx.result as bigint }
}
