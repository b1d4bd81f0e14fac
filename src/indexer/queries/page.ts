/**
 * Cursor pagination over a table's primary key: a page is `limit` rows after the cursor in key order, and the
 * cursor of the next page is the key of the last row (opaque base64url JSON). Keyset, not OFFSET: a page costs the
 * same at row 10 and at row 10 million, and rows inserted meanwhile never shift a page.
 */
import { InvalidInputError } from '../../errors.ts'

export type PageParams = {
  /** At most this many rows (1–1000; default 100). */
  limit?: number | undefined
  /** The `next` of the previous page. */
  after?: string | undefined
}

export type Page<T> = { items: T[]; next: string | null }

export const MAX_LIMIT = 1000

export function pageLimit(p: PageParams): number {
  const limit = p.limit ?? 100
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_LIMIT}, got ${limit}`)
  }
  return limit
}

export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

/** The key values of a cursor, checked against the number and kinds of the key columns. */
export function decodeCursor(cursor: string, kinds: ('string' | 'number')[]): (string | number)[] {
  let key: unknown
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidInputError('the page cursor is not one this API issued: pass back the `next` of a page')
  }
  if (!Array.isArray(key) || key.length !== kinds.length || key.some((v, i) => typeof v !== kinds[i])) {
    throw new InvalidInputError('the page cursor is not one this API issued: pass back the `next` of a page')
  }
  return key as (string | number)[]
}

/** Cuts the one-extra row a query fetched to know whether another page follows. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  if (rows.length <= limit) return { items: rows, next: null }
  const items = rows.slice(0, limit)
  return { items, next: encodeCursor(keyOf(items.at(-1)!)) }
}
