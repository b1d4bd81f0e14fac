import { orderBookAbi } from '../abis.ts'
import { receiptLogs, requireOrderEvent } from '../orderEvents.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderRef, SuretyClient, TxResult } from '../types.ts'

export type CancelOrderParameters = OrderRef
export type CancelOrderReturnType = TxResult<{ refund: bigint }>

/** The client cancels an order nobody has accepted yet: the whole budget comes back. */
export async function cancelOrder(
  client: SuretyClient,
  params: CancelOrderParameters,
): Promise<CancelOrderReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'cancel',
    args: [params.orderId, params.params],
  })
  const a = requireOrderEvent(await receiptLogs(client, tx.hash), 'OrderCancelled', 'cancelOrder', tx.hash)
  return { ...tx, result: { refund: a.refund } }
}
