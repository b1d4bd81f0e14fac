/** /v1/orders (filter by status, client, vault, service) and /v1/orders/{id} with its bids and milestones. */
import { Type } from 'typebox'
import { toView } from '../../indexer/db/codec.ts'
import { read } from '../context.ts'
import { NotFoundError } from '../errors.ts'
import type { SortColumn } from '../queries/list.ts'
import { Address, DecimalId, errorResponses, itemResponse, listResponse } from '../schemas/common.ts'
import { bidJson, milestoneJson, Order, OrderDetail, OrderStatusSchema, orderJson } from '../schemas/order.ts'
import { listQuery, listRequest, lower, type RoutePlugin, renderedList } from './shared.ts'

const SORTS = {
  id: [],
  budget: [{ column: 'budget', kind: 'amount' }],
  updated: [{ column: 'block_number', kind: 'int' }],
} satisfies Record<string, SortColumn[]>
const KEY: SortColumn = { column: 'order_id', kind: 'int' }

export const ordersRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Orders: jobs and leases with their escrow',
        querystring: listQuery(['id', 'budget', 'updated'], {
          status: Type.Optional(OrderStatusSchema),
          client: Type.Optional(Address),
          vault: Type.Optional(Address),
          service: Type.Optional(DecimalId),
        }),
        response: { 200: listResponse(Order), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'id')
      return renderedList(ctx, r, (snap) => {
        let q = snap.db.selectFrom('orders')
        if (req.query.status) q = q.where('status', '=', req.query.status)
        if (req.query.client) q = q.where('client', '=', lower(req.query.client)!)
        if (req.query.vault) q = q.where('vault', '=', lower(req.query.vault)!)
        if (req.query.service !== undefined) q = q.where('service_id', '=', Number(req.query.service))
        const stake = snap.state.addresses?.stakeToken
        return {
          table: 'orders',
          key: KEY,
          query: q,
          sort: SORTS[r.sort],
          constants: `${stake}|${ctx.decimals}`,
          render: (row) => orderJson(toView('orders', row), snap.block.finalNumber, stake, ctx.decimals),
        }
      }) as never
    },
  )

  app.get(
    '/v1/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'One order with its bids and milestones',
        params: Type.Object({ id: DecimalId }, { additionalProperties: false }),
        response: { 200: itemResponse(OrderDetail), ...errorResponses },
      },
    },
    async (req) =>
      read(ctx, async ({ db, block, state }) => {
        const id = Number(req.params.id)
        const row = Number.isSafeInteger(id)
          ? await db.selectFrom('orders').selectAll().where('order_id', '=', id).executeTakeFirst()
          : undefined
        if (!row) throw new NotFoundError(`no order ${req.params.id} is indexed`)
        const order = orderJson(
          toView('orders', row),
          block.finalNumber,
          state.addresses?.stakeToken,
          ctx.decimals,
        )
        const [bids, milestones] = await Promise.all([
          db
            .selectFrom('bids')
            .selectAll()
            .where('order_id', '=', id)
            .orderBy('created_block')
            .orderBy('vault')
            .execute(),
          db.selectFrom('milestones').selectAll().where('order_id', '=', id).orderBy('milestone').execute(),
        ])
        const pd = order.paymentToken.decimals
        return {
          ...order,
          bids: bids.map((b) => bidJson(toView('bids', b), block.finalNumber, pd, ctx.decimals)),
          milestones: milestones.map((m) => milestoneJson(toView('milestones', m), block.finalNumber, pd)),
        }
      }),
  )
}
