import type { Address } from 'viem'
import { orderBookAbi } from '../abis.ts'
import { orderEvents, receiptLogs } from '../orderEvents.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type WithdrawOwedParameters = { token: Address }
/** What was paid to the caller: 0 (and no transfer) when nothing was owed. */
export type WithdrawOwedReturnType = TxResult<{ token: Address; amount: bigint }>

/**
 * Pays the caller everything failed or cancelled orders credited it in `token` (OrderBook.owed: a client's
 * refund, a lease operator's streamed part, a foreign-token fee of a service owner). See readOwed.
 */
export async function withdrawOwed(
  client: SuretyClient,
  params: WithdrawOwedParameters,
): Promise<WithdrawOwedReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'withdrawOwed',
    args: [params.token],
  })
  const [event] = orderEvents(await receiptLogs(client, tx.hash), 'OwedWithdrawn')
  return { ...tx, result: { token: params.token, amount: event?.args.amount ?? 0n } }
}
