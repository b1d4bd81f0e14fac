import type { Kysely } from 'kysely'
import { toView, type View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import type { OrderView } from './listOrders.ts'

export type OrderDetail = OrderView & { bids: View<'bids'>[]; milestoneRows: View<'milestones'>[] }

/** One order with its bids and settled milestones (and committed results), or undefined. */
export async function getOrder(db: Kysely<Database>, orderId: number): Promise<OrderDetail | undefined> {
  const row = await db.selectFrom('orders').selectAll().where('order_id', '=', orderId).executeTakeFirst()
  if (!row) return undefined
  const [bids, milestones] = await Promise.all([
    db.selectFrom('bids').selectAll().where('order_id', '=', orderId).orderBy('vault').execute(),
    db.selectFrom('milestones').selectAll().where('order_id', '=', orderId).orderBy('milestone').execute(),
  ])
  return {
    ...toView('orders', row),
    bids: bids.map((b) => toView('bids', b)),
    milestoneRows: milestones.map((m) => toView('milestones', m)),
  }
}
