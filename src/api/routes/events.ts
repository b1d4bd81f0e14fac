/** /v1/events: the raw decoded events the index is built from, filtered by name, contract and block range. */
import { Type } from 'typebox'
import { toView } from '../../indexer/db/codec.ts'
import { read } from '../context.ts'
import { listPage, type SortColumn } from '../queries/list.ts'
import { Address, errorResponses, listResponse } from '../schemas/common.ts'
import { ChainEvent, eventJson } from '../schemas/event.ts'
import { listQuery, listRequest, lower, type RoutePlugin } from './shared.ts'

const KEY: SortColumn[] = [
  { column: 'block_number', kind: 'int' },
  { column: 'log_index', kind: 'int' },
]

export const eventsRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Contract events in chain order (newest first unless order=asc)',
        querystring: listQuery(['block'], {
          name: Type.Optional(
            Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,63}$', description: 'an event name' }),
          ),
          contract: Type.Optional(Address),
          tx: Type.Optional(
            Type.String({ pattern: '^0x[0-9a-fA-F]{64}$', description: 'a transaction hash' }),
          ),
          fromBlock: Type.Optional(Type.Integer({ minimum: 0 })),
          toBlock: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: { 200: listResponse(ChainEvent), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'block')
      const { block, data } = await read(ctx, async ({ db, block }) => {
        let q = db.selectFrom('events').selectAll()
        if (req.query.name) q = q.where('name', '=', req.query.name)
        if (req.query.contract) q = q.where('address', '=', lower(req.query.contract)!)
        if (req.query.tx) q = q.where('tx_hash', '=', lower(req.query.tx)!)
        if (req.query.fromBlock !== undefined) q = q.where('block_number', '>=', req.query.fromBlock)
        if (req.query.toBlock !== undefined) q = q.where('block_number', '<=', req.query.toBlock)
        const page = await listPage<Record<string, unknown>>(ctx.dialect, q, [], KEY, r)
        return {
          next: page.next,
          items: page.rows.map((row) => eventJson(toView('events', row), block.finalNumber)),
        }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )
}
