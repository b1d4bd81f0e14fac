import type { Kysely } from 'kysely'
import type { View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import { listTable } from './listTable.ts'
import type { Page, PageParams } from './page.ts'

export type ListAllocationsParameters = PageParams & {
  vault?: string | undefined
  serviceId?: number | undefined
}
export type AllocationView = View<'allocations'>

/** Allocations of vaults to services (amount, queued increase, weight, reserved collateral, pending slashes). */
export function listAllocations(
  db: Kysely<Database>,
  p: ListAllocationsParameters = {},
): Promise<Page<AllocationView>> {
  return listTable(
    db,
    'allocations',
    [
      { column: 'vault', kind: 'string' },
      { column: 'service_id', kind: 'number' },
    ],
    { vault: p.vault, service_id: p.serviceId },
    p,
  )
}
