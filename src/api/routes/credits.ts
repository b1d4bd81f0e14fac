/** /v1/credits: what vaults and the court hold credited for an account, and what the order book owes it. */
import { Type } from 'typebox'
import { toView } from '../../indexer/db/codec.ts'
import { read } from '../context.ts'
import { listPage, type SortColumn } from '../queries/list.ts'
import { Address, errorResponses, listResponse, StringEnum } from '../schemas/common.ts'
import { CREDIT_KINDS, Credit, creditJson } from '../schemas/credit.ts'
import { listQuery, listRequest, lower, type RoutePlugin } from './shared.ts'

const SORTS = {
  created: [{ column: 'created_block', kind: 'int' }],
  updated: [{ column: 'block_number', kind: 'int' }],
} satisfies Record<string, SortColumn[]>
const KEY: SortColumn[] = [
  { column: 'holder', kind: 'text' },
  { column: 'account', kind: 'text' },
  { column: 'kind', kind: 'text' },
]

export const creditsRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/credits',
    {
      schema: {
        tags: ['credits'],
        summary: 'Credits and debts: payouts a token refused to push, and refunds the order book owes',
        querystring: listQuery(['created', 'updated'], {
          account: Type.Optional(Address),
          holder: Type.Optional(Address),
          kind: Type.Optional(StringEnum(CREDIT_KINDS)),
        }),
        response: { 200: listResponse(Credit), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'created')
      const { block, data } = await read(ctx, async ({ db, block }) => {
        let q = db.selectFrom('credits').selectAll()
        if (req.query.account) q = q.where('account', '=', lower(req.query.account)!)
        if (req.query.holder) q = q.where('holder', '=', lower(req.query.holder)!)
        if (req.query.kind) q = q.where('kind', '=', req.query.kind)
        const page = await listPage<Record<string, unknown>>(ctx.dialect, q, SORTS[r.sort], KEY, r)
        return {
          next: page.next,
          items: page.rows.map((row) => creditJson(toView('credits', row), block.finalNumber, ctx.decimals)),
        }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )
}
