/** /v1/allocations (filter by vault or service) and /v1/allocations/{vault}/{serviceId}. */
import { Type } from 'typebox'
import { toView } from '../../indexer/db/codec.ts'
import { read } from '../context.ts'
import { NotFoundError } from '../errors.ts'
import { listPage, type SortColumn } from '../queries/list.ts'
import { Allocation, allocationJson } from '../schemas/allocation.ts'
import { Address, DecimalId, errorResponses, itemResponse, listResponse } from '../schemas/common.ts'
import { serviceIdOf } from './services.ts'
import { listQuery, listRequest, lower, type RoutePlugin } from './shared.ts'

const SORTS = {
  amount: [{ column: 'amount', kind: 'amount' }],
  reserved: [{ column: 'reserved', kind: 'amount' }],
  updated: [{ column: 'block_number', kind: 'int' }],
} satisfies Record<string, SortColumn[]>
const KEY: SortColumn[] = [
  { column: 'vault', kind: 'text' },
  { column: 'service_id', kind: 'int' },
]

export const allocationsRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/allocations',
    {
      schema: {
        tags: ['allocations'],
        summary: "Vaults' allocations to services",
        querystring: listQuery(['amount', 'reserved', 'updated'], {
          vault: Type.Optional(Address),
          service: Type.Optional(DecimalId),
          jailed: Type.Optional(
            Type.Boolean({ description: 'only allocations jailed now (true) or not (false)' }),
          ),
        }),
        response: { 200: listResponse(Allocation), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'amount')
      const { block, data } = await read(ctx, async ({ db, block }) => {
        let q = db.selectFrom('allocations').selectAll()
        if (req.query.vault) q = q.where('vault', '=', lower(req.query.vault)!)
        if (req.query.service !== undefined) q = q.where('service_id', '=', Number(req.query.service))
        if (req.query.jailed !== undefined) {
          const now = block.time?.unix ?? 0
          q = req.query.jailed ? q.where('jailed_until', '>', now) : q.where('jailed_until', '<=', now)
        }
        const page = await listPage<Record<string, unknown>>(ctx.dialect, q, SORTS[r.sort], KEY, r)
        return {
          next: page.next,
          items: page.rows.map((row) =>
            allocationJson(toView('allocations', row), block.finalNumber, ctx.decimals),
          ),
        }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )

  app.get(
    '/v1/allocations/:vault/:serviceId',
    {
      schema: {
        tags: ['allocations'],
        summary: "One vault's allocation to one service",
        params: Type.Object({ vault: Address, serviceId: DecimalId }, { additionalProperties: false }),
        response: { 200: itemResponse(Allocation), ...errorResponses },
      },
    },
    async (req) =>
      read(ctx, async ({ db, block }) => {
        const row = await db
          .selectFrom('allocations')
          .selectAll()
          .where('vault', '=', req.params.vault.toLowerCase())
          .where('service_id', '=', serviceIdOf(req.params.serviceId))
          .executeTakeFirst()
        if (!row)
          throw new NotFoundError(
            `vault ${req.params.vault.toLowerCase()} has no allocation to service ${req.params.serviceId}`,
          )
        return allocationJson(toView('allocations', row), block.finalNumber, ctx.decimals)
      }),
  )
}
