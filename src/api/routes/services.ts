/** /v1/services and /v1/services/{id} (with its attesters under /v1/services/{id}/attesters). */
import { Type } from 'typebox'
import { toView } from '../../indexer/db/codec.ts'
import { read } from '../context.ts'
import { NotFoundError } from '../errors.ts'
import { listPage, type SortColumn } from '../queries/list.ts'
import { Address, DecimalId, errorResponses, itemResponse, listResponse } from '../schemas/common.ts'
import { Service, serviceJson } from '../schemas/service.ts'
import { listQuery, listRequest, lower, type RoutePlugin } from './shared.ts'

const SORTS = {
  id: [],
  totalAllocated: [{ column: 'total_allocated', kind: 'amount' }],
  rewardsDistributed: [{ column: 'rewards_distributed', kind: 'amount' }],
} satisfies Record<string, SortColumn[]>
const KEY: SortColumn[] = [{ column: 'service_id', kind: 'int' }]

export const serviceIdParam = Type.Object({ id: DecimalId }, { additionalProperties: false })

/** uint64 service ids beyond 2^53 cannot exist in the index (it stores them as integers): they name nothing. */
export function serviceIdOf(id: string): number {
  const n = Number(id)
  if (!Number.isSafeInteger(n)) throw new NotFoundError(`no service ${id} is indexed`)
  return n
}

export const servicesRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/services',
    {
      schema: {
        tags: ['services'],
        summary: 'Services, with their SLA terms, classes and stake',
        querystring: listQuery(['id', 'totalAllocated', 'rewardsDistributed'], {
          owner: Type.Optional(Address),
        }),
        response: { 200: listResponse(Service), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'id')
      const { block, data } = await read(ctx, async ({ db, block }) => {
        let q = db.selectFrom('services').selectAll()
        if (req.query.owner) q = q.where('owner', '=', lower(req.query.owner)!)
        const page = await listPage<Record<string, unknown>>(ctx.dialect, q, SORTS[r.sort], KEY, r)
        const ids = page.rows.map((row) => row.service_id as number)
        const classes = ids.length
          ? await db
              .selectFrom('service_classes')
              .selectAll()
              .where('service_id', 'in', ids)
              .orderBy('class_id')
              .execute()
          : []
        return {
          next: page.next,
          items: page.rows.map((row) => {
            const s = toView('services', row)
            const cs = classes
              .filter((c) => c.service_id === s.serviceId)
              .map((c) => toView('service_classes', c))
            return serviceJson(s, cs, block.finalNumber, ctx.decimals)
          }),
        }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )

  app.get(
    '/v1/services/:id',
    {
      schema: {
        tags: ['services'],
        summary: 'One service',
        params: serviceIdParam,
        response: { 200: itemResponse(Service), ...errorResponses },
      },
    },
    async (req) =>
      read(ctx, async ({ db, block }) => {
        const id = serviceIdOf(req.params.id)
        const row = await db
          .selectFrom('services')
          .selectAll()
          .where('service_id', '=', id)
          .executeTakeFirst()
        if (!row) throw new NotFoundError(`no service ${req.params.id} is indexed`)
        const classes = await db
          .selectFrom('service_classes')
          .selectAll()
          .where('service_id', '=', id)
          .orderBy('class_id')
          .execute()
        return serviceJson(
          toView('services', row),
          classes.map((c) => toView('service_classes', c)),
          block.finalNumber,
          ctx.decimals,
        )
      }),
  )
}
