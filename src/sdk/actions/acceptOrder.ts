import { orderBookAbi } from '../abis.ts'
import { type OrderAcceptance, receiptLogs, requireOrderEvent } from '../orderEvents.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderRef, SuretyClient, TxResult } from '../types.ts'

export type AcceptOrderParameters = OrderRef
export type AcceptOrderReturnType = TxResult<OrderAcceptance>

/**
 * Accepts an order: a named order by its operator before `biddingEnds`; an intent by anyone after the window and
 * until ACCEPTANCE_WINDOW (1 day) past it (AcceptanceClosed later), for its best bid. Reserves the operator's
 * collateral; an intent job refunds the client the budget above the price.
 */
export async function acceptOrder(
  client: SuretyClient,
  params: AcceptOrderParameters,
): Promise<AcceptOrderReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'accept',
    args: [params.orderId, params.params],
  })
  const a = requireOrderEvent(await receiptLogs(client, tx.hash), 'OrderAccepted', 'acceptOrder', tx.hash)
  return { ...tx, result: { vault: a.vault, price: a.price, collateral: a.collateral, refund: a.refund } }
}
