import { InvalidInputError } from '../../errors.ts'
import { orderBookAbi } from '../abis.ts'
import {
  decodeMilestonePayment,
  decodeOrderFailure,
  type MilestonePayment,
  type OrderFailure,
  receiptLogs,
} from '../orderEvents.ts'
import { orderParamsHash } from '../orderOutcomes.ts'
import { orderSignatures, type SignedReport } from '../reports.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderOutcome, OrderRef, SuretyClient, TxResult } from '../types.ts'

export type ReportOrderOutcomeParameters = OrderRef & { outcome: OrderOutcome; signatures: SignedReport[] }
export type ReportOrderOutcomeReturnType = TxResult<
  { success: true; payment: MilestonePayment } | { success: false; failure: OrderFailure }
>

/**
 * Submits an attester quorum's signed outcome for the order's next milestone (anyone may submit). Success pays the
 * milestone (a job's success must land by its deadline: DeadlinePassed after it, when only the client may still
 * confirm); failure credits the client what is unpaid (`failure.refund`, withdrawn with withdrawOwed; a failed
 * lease credits the operator what streamed) and opens a pending slash of the collateral, whose details are
 * returned for executeSlash.
 */
export async function reportOrderOutcome(
  client: SuretyClient,
  params: ReportOrderOutcomeParameters,
): Promise<ReportOrderOutcomeReturnType> {
  if (params.outcome.orderId !== params.orderId) {
    throw new InvalidInputError(`outcome.orderId: ${params.outcome.orderId} is not order ${params.orderId}`)
  }
  if (params.outcome.paramsHash.toLowerCase() !== orderParamsHash(params.params)) {
    throw new InvalidInputError(
      `outcome.paramsHash: ${params.outcome.paramsHash} is not the hash of the parameters given (${orderParamsHash(params.params)}); sign the outcome over orderParamsHash(params)`,
    )
  }
  if (params.signatures.length === 0) throw new InvalidInputError('signatures: none given')
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'reportOutcome',
    args: [params.orderId, params.params, params.outcome, orderSignatures(params.signatures)],
  })
  const logs = await receiptLogs(client, tx.hash)
  const result = params.outcome.success
    ? { success: true as const, payment: decodeMilestonePayment(logs, 'reportOrderOutcome', tx.hash) }
    : { success: false as const, failure: decodeOrderFailure(logs, 'reportOrderOutcome', tx.hash) }
  return { ...tx, result }
}
