/** Pieces every route plugin uses: the list query string, the page envelope, and the plugin type. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TProperties, Type } from 'typebox'
import type { ApiContext } from '../context.ts'
import { cursorParam, limitParam, orderParam, StringEnum } from '../schemas/common.ts'

export type RoutePlugin = FastifyPluginAsyncTypebox<{ ctx: ApiContext }>

/** `?limit&cursor&sort&order` plus the resource's filters; unknown parameters are refused, not ignored. */
export function listQuery<const S extends string, P extends TProperties>(
  sorts: readonly [S, ...S[]],
  filters: P,
) {
  return Type.Object(
    {
      limit: Type.Optional(limitParam),
      cursor: Type.Optional(cursorParam),
      sort: Type.Optional(
        StringEnum(sorts, {
          default: sorts[0],
          description: `sort key: ${sorts.join(', ')} (default ${sorts[0]})`,
        }),
      ),
      order: Type.Optional(orderParam),
      ...filters,
    },
    { additionalProperties: false },
  )
}

export type ListQs<S extends string> = { limit?: number; cursor?: string; sort?: S; order?: 'asc' | 'desc' }

export function listRequest<S extends string>(q: ListQs<S>, defaultSort: S) {
  return {
    sort: q.sort ?? defaultSort,
    order: q.order ?? 'desc',
    limit: q.limit ?? 50,
    cursor: q.cursor,
  } as const
}

export const lower = (v: string | undefined) => v?.toLowerCase()
