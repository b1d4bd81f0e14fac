import type { Kysely } from 'kysely'
import type { View } from '../db/codec.ts'
import type { Database, RewardEventsTable } from '../db/schema.ts'
import { listTable } from './listTable.ts'
import type { Page, PageParams } from './page.ts'

export type ListRewardEventsParameters = PageParams & {
  serviceId?: number | undefined
  /** A vault (claims) or a payer (fees, subsidies). */
  account?: string | undefined
  kind?: RewardEventsTable['kind'] | undefined
}
export type RewardEventView = View<'reward_events'>

/** Rewards in chain order: distributions, fees added, subsidies funded, fees swept and vault claims. */
export function listRewardEvents(
  db: Kysely<Database>,
  p: ListRewardEventsParameters = {},
): Promise<Page<RewardEventView>> {
  return listTable(
    db,
    'reward_events',
    [
      { column: 'block_number', kind: 'number' },
      { column: 'log_index', kind: 'number' },
    ],
    { service_id: p.serviceId, account: p.account, kind: p.kind },
    p,
  )
}
