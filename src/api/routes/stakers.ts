/** /v1/stakers/{address}/positions and /withdrawals: what one address holds across vaults. */

import { Type } from 'typebox'
import { toView } from '../../indexer/db/codec.ts'
import { read } from '../context.ts'
import { listPage } from '../queries/list.ts'
import { errorResponses, listResponse } from '../schemas/common.ts'
import { Position, positionJson, Withdrawal, withdrawalJson } from '../schemas/position.ts'
import { listQuery, listRequest, type RoutePlugin } from './shared.ts'
import { addressParam, WITHDRAWAL_KEY } from './vaults.ts'

export const stakersRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/stakers/:address/positions',
    {
      schema: {
        tags: ['stakers'],
        summary: "A staker's positions in every vault, valued now (an address with none gets an empty list)",
        params: addressParam,
        querystring: listQuery(['shares'], {}),
        response: { 200: listResponse(Position), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'shares')
      const staker = req.params.address.toLowerCase()
      const { block, data } = await read(ctx, async ({ db, block }) => {
        const q = db.selectFrom('positions').selectAll().where('staker', '=', staker)
        const page = await listPage<Record<string, unknown>>(
          ctx.dialect,
          q,
          [{ column: 'shares', kind: 'amount' }],
          [{ column: 'vault', kind: 'text' }],
          r,
        )
        const vaults = page.rows.length
          ? await db
              .selectFrom('vaults')
              .selectAll()
              .where(
                'vault',
                'in',
                page.rows.map((p) => p.vault as string),
              )
              .execute()
          : []
        const byAddress = new Map(vaults.map((v) => [v.vault, toView('vaults', v)]))
        return {
          next: page.next,
          items: page.rows.map((row) => {
            const p = toView('positions', row)
            return positionJson(p, byAddress.get(p.vault), block.finalNumber, ctx.decimals)
          }),
        }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )

  app.get(
    '/v1/stakers/:address/withdrawals',
    {
      schema: {
        tags: ['stakers'],
        summary: "A staker's queued and claimed withdrawals",
        params: addressParam,
        querystring: listQuery(['readyAt'], { claimed: Type.Optional(Type.Boolean()) }),
        response: { 200: listResponse(Withdrawal), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'readyAt')
      const { block, data } = await read(ctx, async ({ db, block }) => {
        let q = db.selectFrom('withdrawals').selectAll().where('owner', '=', req.params.address.toLowerCase())
        if (req.query.claimed !== undefined) q = q.where('claimed', '=', req.query.claimed ? 1 : 0)
        const page = await listPage<Record<string, unknown>>(
          ctx.dialect,
          q,
          [{ column: 'ready_at', kind: 'int' }],
          WITHDRAWAL_KEY,
          r,
        )
        return {
          next: page.next,
          items: page.rows.map((row) =>
            withdrawalJson(toView('withdrawals', row), block.finalNumber, ctx.decimals),
          ),
        }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )
}
