/**
 * Sorted keyset pagination over one indexer table, for every list endpoint: a sort is a list of columns with the
 * table's key appended as the tie-break, and a page is the rows after the last one served in that order (a row
 * value comparison, which SQLite and PostgreSQL both speak). No OFFSET: a page costs the same deep in a list, and
 * rows the indexer adds meanwhile never shift a page.
 *
 * Amounts are decimal text in SQLite and numeric in PostgreSQL; SQLite orders them by (length, text), which is
 * numeric order for non-negative integers without leading zeros (how the indexer writes them).
 */
import { type Expression, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely'
import { InvalidInputError } from '../../errors.ts'
import { type CursorValue, decodeCursor, encodeCursor } from '../cursor.ts'

export type ColumnKind = 'int' | 'text' | 'amount'
export type SortColumn = { column: string; kind: ColumnKind }

export type ListRequest = {
  sort: string
  order: 'asc' | 'desc'
  limit: number
  cursor?: string | undefined
}

// biome-ignore lint/suspicious/noExplicitAny: a query over a table chosen at run time
type AnyQuery = SelectQueryBuilder<any, any, any>

function expressions(c: SortColumn, dialect: 'sqlite' | 'postgres'): RawBuilder<unknown>[] {
  const ref = sql.ref(c.column)
  return c.kind === 'amount' && dialect === 'sqlite' ? [sql`length(${ref})`, ref] : [ref]
}

function values(c: SortColumn, v: CursorValue, dialect: 'sqlite' | 'postgres'): RawBuilder<unknown>[] {
  if (c.kind === 'amount') {
    const s = String(v)
    return dialect === 'sqlite' ? [sql.val(s.length), sql.val(s)] : [sql`cast(${s} as numeric)`]
  }
  return [sql.val(v)]
}

/**
 * Runs `query` (a selectFrom with its filters) sorted by `columns` then `key`, one page after `cursor`.
 * Returns the raw rows of the page and the cursor of the next.
 */
export async function listPage<Row extends Record<string, unknown>>(
  dialect: 'sqlite' | 'postgres',
  query: AnyQuery,
  columns: SortColumn[],
  key: SortColumn[],
  req: ListRequest,
): Promise<{ rows: Row[]; next: string | null }> {
  const all = [...columns, ...key]
  let q = query
  if (req.cursor !== undefined) {
    const after = decodeCursor(req.cursor, req.sort, all.length)
    all.forEach((c, i) => {
      const v = after[i]
      const ok =
        c.kind === 'int'
          ? typeof v === 'number'
          : c.kind === 'amount'
            ? /^[0-9]+$/.test(String(v))
            : typeof v === 'string'
      if (!ok)
        throw new InvalidInputError(
          "query parameter 'cursor' is not a cursor this API made; pass a page.next as given, or omit it to start",
        )
    })
    const left = all.flatMap((c) => expressions(c, dialect))
    const right = all.flatMap((c, i) => values(c, after[i]!, dialect))
    const op = req.order === 'asc' ? sql.raw('>') : sql.raw('<')
    q = q.where(sql<boolean>`(${sql.join(left)}) ${op} (${sql.join(right)})` as Expression<boolean>)
  }
  for (const c of all) for (const e of expressions(c, dialect)) q = q.orderBy(e, req.order)
  const rows = (await q.limit(req.limit + 1).execute()) as Row[]
  if (rows.length <= req.limit) return { rows, next: null }
  const page = rows.slice(0, req.limit)
  const last = page.at(-1)!
  const next = encodeCursor({
    sort: req.sort,
    values: all.map((c) => {
      const v = last[c.column]
      return typeof v === 'number' ? v : String(v)
    }),
  })
  return { rows: page, next }
}
