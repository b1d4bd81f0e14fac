import type { Kysely } from 'kysely'
import type { View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import { listTable } from './listTable.ts'
import type { Page, PageParams } from './page.ts'

export type ListVaultsParameters = PageParams & { operator?: string | undefined }
export type VaultView = View<'vaults'>

/** Every vault the factory created, by address; optionally one operator's. */
export function listVaults(db: Kysely<Database>, p: ListVaultsParameters = {}): Promise<Page<VaultView>> {
  return listTable(db, 'vaults', [{ column: 'vault', kind: 'string' }], { operator: p.operator }, p)
}
