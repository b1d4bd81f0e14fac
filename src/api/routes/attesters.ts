/** /v1/attesters (filter by service, status) and /v1/services/{id}/attesters. */
import { Type } from 'typebox'
import { toView } from '../../indexer/db/codec.ts'
import { read } from '../context.ts'
import { NotFoundError } from '../errors.ts'
import { listPage, type SortColumn } from '../queries/list.ts'
import { ATTESTER_STATUSES, Attester, attesterJson } from '../schemas/attester.ts'
import { Address, DecimalId, errorResponses, listResponse, StringEnum } from '../schemas/common.ts'
import { serviceIdOf, serviceIdParam } from './services.ts'
import { listQuery, listRequest, lower, type RoutePlugin } from './shared.ts'

const SORTS = {
  bond: [{ column: 'bond', kind: 'amount' }],
  joined: [{ column: 'created_block', kind: 'int' }],
} satisfies Record<string, SortColumn[]>
const KEY: SortColumn[] = [
  { column: 'service_id', kind: 'int' },
  { column: 'attester', kind: 'text' },
]
const filters = {
  status: Type.Optional(StringEnum(ATTESTER_STATUSES)),
}

export const attestersRoutes: RoutePlugin = async (app, { ctx }) => {
  type Q = {
    limit?: number
    cursor?: string
    sort?: 'bond' | 'joined'
    order?: 'asc' | 'desc'
    status?: string
    address?: string
  }
  const list = async (q: Q, serviceId: number | undefined) => {
    const r = listRequest(q, 'bond')
    const { block, data } = await read(ctx, async ({ db, block }) => {
      if (serviceId !== undefined) {
        const s = await db
          .selectFrom('services')
          .select('service_id')
          .where('service_id', '=', serviceId)
          .executeTakeFirst()
        if (!s) throw new NotFoundError(`no service ${serviceId} is indexed`)
      }
      let query = db.selectFrom('attesters').selectAll()
      if (serviceId !== undefined) query = query.where('service_id', '=', serviceId)
      if (q.status) query = query.where('status', '=', q.status as (typeof ATTESTER_STATUSES)[number])
      if (q.address) query = query.where('attester', '=', lower(q.address)!)
      const page = await listPage<Record<string, unknown>>(ctx.dialect, query, SORTS[r.sort], KEY, r)
      return {
        next: page.next,
        items: page.rows.map((row) =>
          attesterJson(toView('attesters', row), block.finalNumber, ctx.decimals),
        ),
      }
    })
    return { block, data: data.items, page: { next: data.next, limit: r.limit } }
  }

  app.get(
    '/v1/attesters',
    {
      schema: {
        tags: ['attesters'],
        summary: "Attesters of every service's committee",
        querystring: listQuery(['bond', 'joined'], {
          ...filters,
          service: Type.Optional(DecimalId),
          address: Type.Optional(Address),
        }),
        response: { 200: listResponse(Attester), ...errorResponses },
      },
    },
    async (req) =>
      list(req.query, req.query.service === undefined ? undefined : serviceIdOf(req.query.service)),
  )

  app.get(
    '/v1/services/:id/attesters',
    {
      schema: {
        tags: ['attesters'],
        summary: "One service's attesters",
        params: serviceIdParam,
        querystring: listQuery(['bond', 'joined'], filters),
        response: { 200: listResponse(Attester), ...errorResponses },
      },
    },
    async (req) => list(req.query, serviceIdOf(req.params.id)),
  )
}
