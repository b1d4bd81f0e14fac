import type { Kysely } from 'kysely'
import type { View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import type { SlashStatus } from '../status.ts'
import { listTable } from './listTable.ts'
import type { Page, PageParams } from './page.ts'

export type ListSlashesParameters = PageParams & {
  status?: SlashStatus | undefined
  vault?: string | undefined
  serviceId?: number | undefined
  client?: string | undefined
}
export type SlashView = View<'slashes'>

/** Slashes, one row each telling the whole story (report, dispute, ruling, execution, payouts), by slash id. */
export function listSlashes(db: Kysely<Database>, p: ListSlashesParameters = {}): Promise<Page<SlashView>> {
  return listTable(
    db,
    'slashes',
    [{ column: 'slash_id', kind: 'string' }],
    { status: p.status, vault: p.vault, service_id: p.serviceId, client: p.client },
    p,
  )
}
