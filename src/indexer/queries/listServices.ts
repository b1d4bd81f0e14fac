import type { Kysely } from 'kysely'
import type { View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import { listTable } from './listTable.ts'
import type { Page, PageParams } from './page.ts'

export type ListServicesParameters = PageParams & { owner?: string | undefined }
export type ServiceView = View<'services'>

/** Services (markets) with their SLA terms, by id. */
export function listServices(
  db: Kysely<Database>,
  p: ListServicesParameters = {},
): Promise<Page<ServiceView>> {
  return listTable(db, 'services', [{ column: 'service_id', kind: 'number' }], { owner: p.owner }, p)
}
