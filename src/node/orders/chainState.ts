/**
 * An order's live state on chain (OrderBook.order), for the checks made right before acting: the judges confirm
 * that the chain's next milestone is the one they judged (their confirmed view may lag), the submitter and the
 * keeper read the pending block so that a transaction still in the pool counts as done.
 */
import type { Address, BlockTag, Hex, PublicClient } from 'viem'
import { orderBookAbi } from '../../sdk/abis.ts'
import { OrderStatus, type OrderStatusName } from '../../sdk/types.ts'

export type LiveOrder = {
  /** The stored parameters hash (`order(orderId).paramsHash`): which order holds this id on this branch. */
  paramsHash: Hex
  status: OrderStatusName
  settled: number
  startedAt: number
  vault: Address
  /** A job's price or a lease's rate. */
  price: bigint
  collateral: bigint
  paid: bigint
}

export async function readLiveOrder(
  client: PublicClient,
  orders: Hex,
  orderId: bigint,
  blockTag: BlockTag = 'latest',
): Promise<LiveOrder> {
  const [paramsHash, status, settled, startedAt, vault, price, collateral, paid] = await client.readContract({
    address: orders,
    abi: orderBookAbi,
    functionName: 'order',
    args: [orderId],
    blockTag,
  })
  return {
    paramsHash: paramsHash.toLowerCase() as Hex,
    status: OrderStatus[status] ?? 'None',
    settled: Number(settled),
    startedAt: Number(startedAt),
    vault,
    price,
    collateral,
    paid,
  }
}

/** Whether milestone `milestone` of the order is settled on chain: paid, or the order is over. */
export const milestoneSettled = (live: LiveOrder, milestone: number) =>
  live.settled > milestone ||
  live.status === 'Completed' ||
  live.status === 'Failed' ||
  live.status === 'Cancelled'
