/** The shared shape of the list queries: filters by equality, key order, keyset pagination. */
import type { Kysely } from 'kysely'
import { toView, type View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import { decodeCursor, type Page, type PageParams, pageLimit, toPage } from './page.ts'

export type KeyColumn = { column: string; kind: 'string' | 'number' }

export async function listTable<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  key: KeyColumn[],
  filters: Record<string, string | number | undefined>,
  page: PageParams,
  order: 'asc' | 'desc' = 'asc',
): Promise<Page<View<T>>> {
  const limit = pageLimit(page)
  let q = (db as unknown as Kysely<any>).selectFrom(table).selectAll()
  for (const [column, value] of Object.entries(filters)) {
    if (value !== undefined)
      q = q.where(
        column,
        '=',
        typeof value === 'string' && value.startsWith('0x') ? value.toLowerCase() : value,
      )
  }
  if (page.after !== undefined) {
    const after = decodeCursor(
      page.after,
      key.map((k) => k.kind),
    )
    const cols = key.map((k) => k.column)
    q = q.where((eb) =>
      cols.length === 1
        ? eb(cols[0]!, order === 'asc' ? '>' : '<', after[0])
        : eb(
            eb.refTuple(...(cols as [string, string])),
            order === 'asc' ? '>' : '<',
            eb.tuple(...(after as [any, any])),
          ),
    )
  }
  for (const k of key) q = q.orderBy(k.column, order)
  const rows = (await q.limit(limit + 1).execute()) as Record<string, unknown>[]
  const page_ = toPage(rows, limit, (r) => key.map((k) => r[k.column] as string | number))
  return { items: page_.items.map((r) => toView(table, r)), next: page_.next }
}
