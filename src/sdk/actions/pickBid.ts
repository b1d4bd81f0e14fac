import { type Address, zeroAddress } from 'viem'
import { InvalidInputError } from '../../errors.ts'
import { orderBookAbi } from '../abis.ts'
import { type OrderAcceptance, receiptLogs, requireOrderEvent } from '../orderEvents.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderRef, SuretyClient, TxResult } from '../types.ts'

export type PickBidParameters = OrderRef & { vault: Address }
export type PickBidReturnType = TxResult<OrderAcceptance>

/**
 * The client accepts the bid of `vault` on its intent (not necessarily the best one) while it is still open, until
 * ACCEPTANCE_WINDOW (1 day) after its bidding window (AcceptanceClosed later: bids bind their operators no longer).
 */
export async function pickBid(client: SuretyClient, params: PickBidParameters): Promise<PickBidReturnType> {
  if (params.vault === zeroAddress) throw new InvalidInputError('vault: zero address')
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'pickBid',
    args: [params.orderId, params.params, params.vault],
  })
  const a = requireOrderEvent(await receiptLogs(client, tx.hash), 'OrderAccepted', 'pickBid', tx.hash)
  return { ...tx, result: { vault: a.vault, price: a.price, collateral: a.collateral, refund: a.refund } }
}
