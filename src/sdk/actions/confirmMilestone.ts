import { InvalidInputError } from '../../errors.ts'
import { orderBookAbi } from '../abis.ts'
import { decodeMilestonePayment, type MilestonePayment, receiptLogs } from '../orderEvents.ts'
import { isLease } from '../orders.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderRef, SuretyClient, TxResult } from '../types.ts'

export type ConfirmMilestoneParameters = OrderRef
export type ConfirmMilestoneReturnType = TxResult<MilestonePayment>

/** The client confirms a job's next milestone: pays it, less the service fee, to the operator. */
export async function confirmMilestone(
  client: SuretyClient,
  params: ConfirmMilestoneParameters,
): Promise<ConfirmMilestoneReturnType> {
  if (isLease(params.params)) throw new InvalidInputError(`orderId: order ${params.orderId} is a lease`)
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'confirm',
    args: [params.orderId, params.params],
  })
  return {
    ...tx,
    result: decodeMilestonePayment(await receiptLogs(client, tx.hash), 'confirmMilestone', tx.hash),
  }
}
