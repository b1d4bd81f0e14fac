import { InvalidInputError, SuretyError } from '../../errors.ts'
import { orderBookAbi } from '../abis.ts'
import { decodeLeasePayment, type LeasePayment, receiptLogs } from '../orderEvents.ts'
import { isLease } from '../orders.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderRef, SuretyClient, TxResult } from '../types.ts'

export type SettleLeaseParameters = OrderRef
export type SettleLeaseReturnType = TxResult<LeasePayment>

/** Pays a lease's operator what has streamed so far (anyone); completes it when its funds have run out. */
export async function settleLease(
  client: SuretyClient,
  params: SettleLeaseParameters,
): Promise<SettleLeaseReturnType> {
  if (!isLease(params.params)) throw new InvalidInputError(`orderId: order ${params.orderId} is not a lease`)
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'settleLease',
    args: [params.orderId, params.params],
  })
  const payment = decodeLeasePayment(await receiptLogs(client, tx.hash))
  if (!payment)
    throw new SuretyError('settleLease: no LeaseSettled event in the receipt', { details: tx.hash })
  return { ...tx, result: payment }
}
