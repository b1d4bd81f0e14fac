import type { Kysely } from 'kysely'
import type { View } from '../db/codec.ts'
import type { AttesterStatus, Database } from '../db/schema.ts'
import { listTable } from './listTable.ts'
import type { Page, PageParams } from './page.ts'

export type ListAttestersParameters = PageParams & {
  serviceId?: number | undefined
  attester?: string | undefined
  status?: AttesterStatus | undefined
}
export type AttesterView = View<'attesters'>

/** Attesters of services' committees (bond, committee index, status), by service then address. */
export function listAttesters(
  db: Kysely<Database>,
  p: ListAttestersParameters = {},
): Promise<Page<AttesterView>> {
  return listTable(
    db,
    'attesters',
    [
      { column: 'service_id', kind: 'number' },
      { column: 'attester', kind: 'string' },
    ],
    { service_id: p.serviceId, attester: p.attester, status: p.status },
    p,
  )
}
