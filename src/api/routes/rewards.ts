/** /v1/rewards: distributions, fees, subsidies, sweeps and claims in chain order. */
import { Type } from 'typebox'
import { toView } from '../../indexer/db/codec.ts'
import { read } from '../context.ts'
import { listPage, type SortColumn } from '../queries/list.ts'
import { Address, DecimalId, errorResponses, listResponse, StringEnum } from '../schemas/common.ts'
import { REWARD_KINDS, RewardEvent, rewardJson } from '../schemas/reward.ts'
import { listQuery, listRequest, lower, type RoutePlugin } from './shared.ts'

const KEY: SortColumn[] = [
  { column: 'block_number', kind: 'int' },
  { column: 'log_index', kind: 'int' },
]

export const rewardsRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/rewards',
    {
      schema: {
        tags: ['rewards'],
        summary: 'Reward flows: distributions, fees, subsidies, sweeps and vault claims',
        querystring: listQuery(['block'], {
          service: Type.Optional(DecimalId),
          account: Type.Optional(Address),
          kind: Type.Optional(StringEnum(REWARD_KINDS)),
        }),
        response: { 200: listResponse(RewardEvent), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'block')
      const { block, data } = await read(ctx, async ({ db, block }) => {
        let q = db.selectFrom('reward_events').selectAll()
        if (req.query.service !== undefined) q = q.where('service_id', '=', Number(req.query.service))
        if (req.query.account) q = q.where('account', '=', lower(req.query.account)!)
        if (req.query.kind) q = q.where('kind', '=', req.query.kind)
        const page = await listPage<Record<string, unknown>>(ctx.dialect, q, [], KEY, r)
        return {
          next: page.next,
          items: page.rows.map((row) =>
            rewardJson(toView('reward_events', row), block.finalNumber, ctx.decimals),
          ),
        }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )
}
