import { orderBookAbi } from '../abis.ts'
import {
  decodeCredits,
  decodeLeasePayment,
  type LeasePayment,
  type OwedCredit,
  orderEvents,
  receiptLogs,
} from '../orderEvents.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderRef, SuretyClient, TxResult } from '../types.ts'

export type AgreeCancelOrderParameters = OrderRef
/**
 * `cancelled` once both parties agreed: then `refund` was credited to the client (OrderBook.owed, withdrawn with
 * withdrawOwed; nothing is transferred) and a lease credited the operator what streamed first (`leasePayment`).
 * `credits` lists every credit the cancellation made.
 */
export type AgreeCancelOrderReturnType = TxResult<{
  cancelled: boolean
  refund: bigint
  leasePayment: LeasePayment | undefined
  credits: OwedCredit[]
}>

/**
 * The client or the operator agrees to cancel an active order; the other's agreement cancels it if it is still in
 * force: an agreement lapses after CONSENT_WINDOW (1 day) and whenever a milestone is paid, and a job past its
 * deadline cannot be cancelled (DeadlinePassed: it can only fail). Otherwise the call records the caller's
 * agreement only.
 */
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
      credits: decodeCredits(logs),
    },
  }
}
