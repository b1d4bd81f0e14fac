/** Pieces every route plugin uses: the list query string, the page envelope, and the plugin type. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TProperties, Type } from 'typebox'
import { type ApiContext, read, type Snapshot } from '../context.ts'
import { listBody, type PreserializedJson, type RenderedPageSpec, renderedPage } from '../queries/rowJson.ts'
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

/**
 * A list route's answer built from rendered rows (queries/rowJson.ts): one snapshot, the page found by a narrow
 * query, rows already rendered at their block taken from the server's row cache. `spec` is built inside the
 * snapshot because what a rendering depends on (the stake token) is read from it; `render` gives the row's JSON
 * value, stringified here.
 */
export async function renderedList(
  ctx: ApiContext,
  request: ReturnType<typeof listRequest>,
  spec: (snap: Snapshot) => Omit<RenderedPageSpec, 'request' | 'render'> & {
    render: (row: Record<string, unknown>) => unknown
  },
): Promise<PreserializedJson> {
  const { block, data } = await read(ctx, async (snap) => {
    const { render, ...rest } = spec(snap)
    return renderedPage(snap, ctx.dialect, ctx.rows, {
      ...rest,
      request,
      render: (row) => JSON.stringify(render(row)),
    })
  })
  return listBody(block, data.items, { next: data.next, limit: request.limit })
}
