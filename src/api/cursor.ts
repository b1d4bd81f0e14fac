/**
 * Opaque page cursors for keyset pagination: the sort key's value and the row's id of the last item served,
 * with the sort they were made for. Base64url JSON, so callers cannot depend on its inside; a cursor that does
 * not decode, or was made for another sort, is refused with a message saying to start again without it.
 */
import { InvalidInputError } from '../errors.ts'

export type CursorValue = string | number
export type Cursor = { sort: string; values: CursorValue[] }

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, ...cursor.values]), 'utf8').toString('base64url')
}

export function decodeCursor(token: string, sort: string, arity: number): CursorValue[] {
  let parsed: unknown
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url')
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidInputError(
      "query parameter 'cursor' is not a cursor this API made; pass a page.next as given, or omit it to start",
    )
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== arity + 1 ||
    !parsed.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  )
    throw new InvalidInputError(
      "query parameter 'cursor' is not a cursor this API made; pass a page.next as given, or omit it to start",
    )
  if (parsed[0] !== sort)
    throw new InvalidInputError(
      `query parameter 'cursor' was made for sort '${parsed[0]}', not '${sort}'; omit the cursor to start again`,
    )
  return parsed.slice(1) as CursorValue[]
}
