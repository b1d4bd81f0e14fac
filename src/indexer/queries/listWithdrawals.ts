import type { Kysely } from 'kysely'
import type { View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import { listTable } from './listTable.ts'
import type { Page, PageParams } from './page.ts'

export type ListWithdrawalsParameters = PageParams & {
  owner?: string | undefined
  vault?: string | undefined
  /** 0: queued, 1: claimed. */
  claimed?: 0 | 1 | undefined
}
export type WithdrawalView = View<'withdrawals'>

/** Withdrawal requests; `readyAt` is when each may be claimed (its ETA, see docs/indexer.md). */
export function listWithdrawals(
  db: Kysely<Database>,
  p: ListWithdrawalsParameters = {},
): Promise<Page<WithdrawalView>> {
  return listTable(
    db,
    'withdrawals',
    [
      { column: 'vault', kind: 'string' },
      { column: 'owner', kind: 'string' },
      { column: 'withdrawal_id', kind: 'number' },
    ],
    { owner: p.owner, vault: p.vault, claimed: p.claimed },
    p,
  )
}
