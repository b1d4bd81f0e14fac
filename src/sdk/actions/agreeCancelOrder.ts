import { orderBookAbi } from '../abis.ts'
import { decodeLeasePayment, type LeasePayment, orderEvents, receiptLogs } from '../orderEvents.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderRef, SuretyClient, TxResult } from '../types.ts'

export type AgreeCancelOrderParameters = OrderRef
/** `cancelled` once both parties agreed: then `refund` went to the client (a lease paid what streamed first). */
export type AgreeCancelOrderReturnType = TxResult<{
  cancelled: boolean
  refund: bigint
  leasePayment: LeasePayment | undefined
}>

/** The client or the operator agrees to cancel an active order; the second agreement cancels it. */
export async function agreeCancelOrder(
  client: SuretyClient,
  params: AgreeCancelOrderParameters,
): Promise<AgreeCancelOrderReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'agreeCancel',
    args: [params.orderId, params.params],
  })
  const logs = await receiptLogs(client, tx.hash)
  const [cancelled] = orderEvents(logs, 'OrderCancelled')
  return {
    ...tx,
    result: {
      cancelled: cancelled !== undefined,
      refund: cancelled?.args.refund ?? 0n,
      leasePayment: decodeLeasePayment(logs),
    },
  }
}
