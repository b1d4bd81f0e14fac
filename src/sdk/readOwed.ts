import type { Address } from 'viem'
import { orderBookAbi } from './abis.ts'
import type { SuretyReader } from './types.ts'

/**
 * What the order book owes `account` in `token` (OrderBook.owed): refunds and payments that failed or cancelled
 * orders credited instead of transferring, across all orders. The account withdraws it with withdrawOwed.
 */
export function readOwed(reader: SuretyReader, token: Address, account: Address): Promise<bigint> {
  return reader.public.readContract({
    address: reader.addresses.orders,
    abi: orderBookAbi,
    functionName: 'owed',
    args: [token, account],
  })
}
