import type { Kysely } from 'kysely'
import type { View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import type { OrderStatus } from '../status.ts'
import { listTable } from './listTable.ts'
import type { Page, PageParams } from './page.ts'

export type ListOrdersParameters = PageParams & {
  status?: OrderStatus | undefined
  client?: string | undefined
  vault?: string | undefined
  serviceId?: number | undefined
  /** Newest first by default. */
  order?: 'asc' | 'desc' | undefined
}
export type OrderView = View<'orders'>

/** Orders with their escrow, price, collateral and what was paid, refunded and streamed. */
export function listOrders(db: Kysely<Database>, p: ListOrdersParameters = {}): Promise<Page<OrderView>> {
  return listTable(
    db,
    'orders',
    [{ column: 'order_id', kind: 'number' }],
    { status: p.status, client: p.client, vault: p.vault, service_id: p.serviceId },
    p,
    p.order ?? 'desc',
  )
}
