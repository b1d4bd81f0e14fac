import type { Kysely } from 'kysely'
import { toView, type View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import type { SlashView } from './listSlashes.ts'

export type SlashDetail = SlashView & {
  signerList: string[]
  attesterPenalties: View<'attester_penalties'>[]
}

/** One slash with its signers and, when overturned, the attesters' bonds it cost them; or undefined. */
export async function getSlash(db: Kysely<Database>, slashId: string): Promise<SlashDetail | undefined> {
  const row = await db
    .selectFrom('slashes')
    .selectAll()
    .where('slash_id', '=', slashId.toLowerCase())
    .executeTakeFirst()
  if (!row) return undefined
  const view = toView('slashes', row)
  // the overturning transaction also took the signers' bonds: the penalties share its hash
  const penalties =
    view.ruledTx !== null
      ? await db
          .selectFrom('attester_penalties')
          .selectAll()
          .where('tx_hash', '=', view.ruledTx)
          .orderBy('log_index')
          .execute()
      : []
  return {
    ...view,
    signerList: JSON.parse(view.signers) as string[],
    attesterPenalties: penalties.map((p) => toView('attester_penalties', p)),
  }
}
