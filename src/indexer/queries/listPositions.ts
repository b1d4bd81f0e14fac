import type { Kysely } from 'kysely'
import type { View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import { listTable } from './listTable.ts'
import type { Page, PageParams } from './page.ts'

export type ListPositionsParameters = PageParams & { staker?: string | undefined; vault?: string | undefined }
export type PositionView = View<'positions'>

/** Share positions (the vault tokens a staker holds), by vault then staker; filter by staker or vault. */
export function listPositions(
  db: Kysely<Database>,
  p: ListPositionsParameters = {},
): Promise<Page<PositionView>> {
  return listTable(
    db,
    'positions',
    [
      { column: 'vault', kind: 'string' },
      { column: 'staker', kind: 'string' },
    ],
    { staker: p.staker, vault: p.vault },
    p,
  )
}
