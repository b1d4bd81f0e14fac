import type { Kysely } from 'kysely'
import type { View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import { listTable } from './listTable.ts'
import type { Page, PageParams } from './page.ts'

export type ListEventsParameters = PageParams & {
  name?: string | undefined
  address?: string | undefined
  /** Only events above this block (a stream resuming from its cursor). */
  fromBlock?: number | undefined
}
export type EventView = View<'events'>

/** The raw decoded events in chain order (`args` is JSON with bigints as decimal strings). */
export async function listEvents(
  db: Kysely<Database>,
  p: ListEventsParameters = {},
): Promise<Page<EventView>> {
  if (p.fromBlock !== undefined && p.after === undefined) {
    // start right after the given block: the cursor of its last possible log
    const after = Buffer.from(JSON.stringify([p.fromBlock, Number.MAX_SAFE_INTEGER])).toString('base64url')
    return listTable(db, 'events', KEY, { name: p.name, address: p.address }, { ...p, after })
  }
  return listTable(db, 'events', KEY, { name: p.name, address: p.address }, p)
}

const KEY = [
  { column: 'block_number', kind: 'number' as const },
  { column: 'log_index', kind: 'number' as const },
]
