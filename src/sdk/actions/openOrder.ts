import { InvalidInputError } from '../../errors.ts'
import { orderBookAbi } from '../abis.ts'
import { receiptLogs, requireOrderEvent } from '../orderEvents.ts'
import { checkOrderParams, orderTerms } from '../orders.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderParams, OrderTerms, SuretyClient, TxResult } from '../types.ts'

export type OpenOrderParameters = { params: OrderParams; terms?: OrderTerms }
/** `params` as the order book stored them (with the service's fee and collateral terms): use them from now on. */
export type OpenOrderReturnType = TxResult<{ orderId: bigint; params: OrderParams; terms: OrderTerms }>

/**
 * Opens an order with `params.budget` of the payment token in escrow, pulled from the caller (the client: approve
 * the order book first, with approveStake or approveToken). The order book overwrites the fee and collateral
 * terms with the service's, so the returned parameters are decoded from the OrderOpened event.
 */
export async function openOrder(
  client: SuretyClient,
  params: OpenOrderParameters,
): Promise<OpenOrderReturnType> {
  const p = params.params
  if (p.client.toLowerCase() !== client.wallet.account.address.toLowerCase()) {
    throw new InvalidInputError(
      `params.client: ${p.client} is not the sender ${client.wallet.account.address}`,
    )
  }
  const stakeToken = p.paymentToken.toLowerCase() === client.addresses.stakeToken.toLowerCase()
  if (!stakeToken && p.value === 0n) {
    throw new InvalidInputError('params.value: a foreign payment token needs its value in stake-token units')
  }
  checkOrderParams(p)
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'open',
    args: [p, params.terms ?? orderTerms()],
  })
  const event = requireOrderEvent(await receiptLogs(client, tx.hash), 'OrderOpened', 'openOrder', tx.hash)
  // the id comes from the receipt's event, not from the simulation: another client's order mined first in the
  // same block takes the id the simulation predicted (the devnet world's clients open orders concurrently)
  return {
    ...tx,
    result: { orderId: event.orderId, params: event.params as OrderParams, terms: event.terms as OrderTerms },
  }
}
