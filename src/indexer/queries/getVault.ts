import type { Kysely } from 'kysely'
import { toView } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import type { VaultView } from './listVaults.ts'

/** One vault by address, or undefined when the index has never seen it. */
export async function getVault(db: Kysely<Database>, vault: string): Promise<VaultView | undefined> {
  const row = await db
    .selectFrom('vaults')
    .selectAll()
    .where('vault', '=', vault.toLowerCase())
    .executeTakeFirst()
  return row && toView('vaults', row)
}
