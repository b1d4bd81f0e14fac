import { InvalidInputError } from '../../errors.ts'
import { orderBookAbi } from '../abis.ts'
import { decodeOrderFailure, type OrderFailure, receiptLogs } from '../orderEvents.ts'
import { isLease } from '../orders.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderRef, SuretyClient, TxResult } from '../types.ts'

export type ExpireOrderParameters = OrderRef
export type ExpireOrderReturnType = TxResult<OrderFailure>

/**
 * Fails a job whose deadline passed before its last milestone settled (anyone): what is unpaid is credited to the
 * client (`result.refund`, OrderBook.owed; the client withdraws it with withdrawOwed, nothing is transferred) and
 * the collateral becomes a pending slash (class NO_CLASS: no jail, no ban).
 */
export async function expireOrder(
  client: SuretyClient,
  params: ExpireOrderParameters,
): Promise<ExpireOrderReturnType> {
  if (isLease(params.params)) throw new InvalidInputError(`orderId: order ${params.orderId} is a lease`)
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'expire',
    args: [params.orderId, params.params],
  })
  return { ...tx, result: decodeOrderFailure(await receiptLogs(client, tx.hash), 'expireOrder', tx.hash) }
}
