import type { Address } from 'viem'
import { InvalidInputError } from '../../errors.ts'
import { orderBookAbi } from '../abis.ts'
import { receiptLogs, requireOrderEvent } from '../orderEvents.ts'
import { isIntent, isLease } from '../orders.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderRef, SuretyClient, TxResult } from '../types.ts'

/**
 * `price` is a job's price or a lease's rate per second; `collateral` is the most the operator pledges, at least
 * readRequiredCollateral's: acceptance reserves exactly the requirement then (its reputation may have moved).
 */
export type BidOnOrderParameters = OrderRef & { price: bigint; collateral: bigint }
/** The bid as placed, with the reputation score it was judged at (ties go to the higher score). */
export type BidOnOrderReturnType = TxResult<{
  vault: Address
  price: bigint
  collateral: bigint
  score: bigint
}>

/** The caller (an operator with a vault) bids on an intent before its window closes; a re-bid must be lower. */
export async function bidOnOrder(
  client: SuretyClient,
  params: BidOnOrderParameters,
): Promise<BidOnOrderReturnType> {
  const p = params.params
  if (!isIntent(p))
    throw new InvalidInputError(`orderId: order ${params.orderId} names its operator: no bids`)
  const most = isLease(p) ? p.ratePerSecond : p.budget
  if (params.price <= 0n || params.price > most) {
    throw new InvalidInputError(
      `price: must be in 1..${most} (the order's ${isLease(p) ? 'rate' : 'budget'})`,
    )
  }
  if (params.collateral < 0n) throw new InvalidInputError('collateral: must not be negative')
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'bid',
    args: [params.orderId, p, params.price, params.collateral],
  })
  const a = requireOrderEvent(await receiptLogs(client, tx.hash), 'BidPlaced', 'bidOnOrder', tx.hash)
  return { ...tx, result: { vault: a.vault, price: a.price, collateral: a.collateral, score: a.score } }
}
