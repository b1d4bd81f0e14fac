/**
 * The shapes every response shares, written once as TypeBox schemas: Fastify validates inputs and serialises
 * outputs with them, and @fastify/swagger turns the same objects into the OpenAPI document. Nothing is described
 * twice, so the document cannot drift from what the server does.
 */
import { type TSchema, type TUnsafe, Type } from 'typebox'

export const Address = Type.String({
  pattern: '^0x[0-9a-fA-F]{40}$',
  description: 'an EVM address, 0x and 40 hex digits (any case; answers use lower case)',
  examples: ['0x5fbdb2315678afecb367f032d93f642f64180aa3'],
})
export const Bytes32 = Type.String({
  pattern: '^0x[0-9a-fA-F]{64}$',
  description: '32 bytes as 0x and 64 hex digits',
})
/** uint64/uint256 ids are decimal strings in paths: JSON numbers lose precision past 2^53. */
export const DecimalId = Type.String({ pattern: '^[0-9]{1,78}$', description: 'a decimal integer id' })

export const Amount = Type.Object(
  {
    base: Type.String({ pattern: '^-?[0-9]+$', description: 'base units (wei) as a decimal string' }),
    units: Type.String({ description: 'the same amount in token units, exact (no rounding), e.g. "1.5"' }),
  },
  { description: 'a token amount: exact base units, and token units for people' },
)

export const Time = Type.Object(
  {
    unix: Type.Integer({ description: 'seconds since 1970-01-01T00:00:00Z' }),
    iso: Type.String({ format: 'date-time', description: 'the same instant as an ISO 8601 date (UTC)' }),
  },
  { description: 'an instant: unix seconds and an ISO date' },
)

export const BlockInfo = Type.Object(
  {
    number: Type.Integer({ description: 'the last block the indexer has applied; the answer reflects it' }),
    hash: Bytes32,
    time: Type.Union([Time, Type.Null()]),
    final: Type.Boolean({
      description: 'whether this block is at or below the finality depth (cannot be reorged)',
    }),
    finalNumber: Type.Integer({ description: 'the newest block the indexer counts as final' }),
  },
  { description: 'the indexed block this response reflects' },
)

export const Page = Type.Object({
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'opaque cursor of the next page (pass as ?cursor=); null on the last page',
  }),
  limit: Type.Integer(),
})

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable machine code: BAD_REQUEST, NOT_FOUND, NOT_READY, INTERNAL…' }),
      message: Type.String({ description: 'names the problem and what to do' }),
    }),
  },
  { $id: 'Error', description: 'every error: 4xx for the caller to fix, 5xx for the operator' },
)

export const errorResponses = {
  400: Type.Ref('Error'),
  404: Type.Ref('Error'),
  429: Type.Ref('Error'),
  503: Type.Ref('Error'),
} as const

/** `{ block, data }` — a detail response. */
export function itemResponse<T extends TSchema>(item: T) {
  return Type.Object({ block: BlockInfo, data: item })
}

/** `{ block, data: [...], page }` — a list response. */
export function listResponse<T extends TSchema>(item: T) {
  return Type.Object({ block: BlockInfo, data: Type.Array(item), page: Page })
}

export const limitParam = Type.Integer({
  minimum: 1,
  maximum: 500,
  default: 50,
  description: 'items per page (1–500, default 50)',
})
export const cursorParam = Type.String({
  maxLength: 512,
  description: 'the `page.next` of the previous page, as given',
})
export const orderParam = StringEnum<'asc' | 'desc'>(['asc', 'desc'], {
  default: 'desc',
  description: 'sort direction (default desc)',
})

/**
 * A string from a fixed set, as a JSON Schema `enum` (not a union of constants), so a bad value is refused with
 * the list of allowed ones.
 */
export function StringEnum<const T extends string>(
  values: readonly T[],
  options: { description?: string; default?: T } = {},
): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options })
}
