/**
 * /v1/services/{id}/apr: the service's reward rate annualised over a window ending at the indexed block, as its
 * stakers receive it — after the operators' commissions, as a vault's APR is — with its inputs: the rewards
 * distributed in the window, the commissions kept out of them, the time-weighted stake that earned them, the
 * window; and the rate before commissions beside it (indexer/queries/serviceApr.ts, derived/computeVaultApr.ts).
 */
import { Type } from 'typebox'
import { serviceApr } from '../../indexer/queries/serviceApr.ts'
import { read } from '../context.ts'
import { NotFoundError } from '../errors.ts'
import { amount, time } from '../format.ts'
import { Amount, DecimalId, errorResponses, itemResponse, Time } from '../schemas/common.ts'
import type { RoutePlugin } from './shared.ts'

const DAY = 86_400

export const ServiceApr = Type.Object(
  {
    serviceId: Type.String(),
    from: Time,
    to: Time,
    windowSeconds: Type.Integer(),
    distributions: Type.Integer({ description: 'RewardsDistributed events in the window' }),
    rewards: Amount,
    commission: {
      ...Amount,
      description:
        "kept by the vaults' operators as commission (with the wei the per-vault split rounds away)",
    },
    stakerRewards: { ...Amount, description: 'rewards − commission: what the stakers received' },
    averageStake: Amount,
    stakeSeconds: Type.String({ description: '∫ reward stake dt over the window, base units × seconds' }),
    aprPpm: Type.Union([Type.String(), Type.Null()], {
      description:
        "stakerRewards × year / stakeSeconds in parts per million a year (50000 = 5 %), after the operators' commissions, rounded down; null when no stake was there",
    }),
    grossAprPpm: Type.Union([Type.String(), Type.Null()], {
      description: "rewards × year / stakeSeconds: the same rate before the operators' commissions",
    }),
  },
  {
    description:
      "the reward rate a staker receives, after the operators' commissions, annualised from what was actually distributed",
  },
)

export const serviceAprRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/services/:id/apr',
    {
      schema: {
        tags: ['services'],
        summary: 'The reward rate annualised over a window, with its inputs',
        params: Type.Object({ id: DecimalId }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            days: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'the window, in days' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: itemResponse(ServiceApr), ...errorResponses },
      },
    },
    async (req) =>
      read(ctx, async ({ db, block }) => {
        const id = Number(req.params.id)
        const row = Number.isSafeInteger(id)
          ? await db
              .selectFrom('services')
              .select('service_id')
              .where('service_id', '=', id)
              .executeTakeFirst()
          : undefined
        if (!row) throw new NotFoundError(`no service ${req.params.id} is indexed`)
        // the window ends at the indexed block, so the figure is the same for every reader of that block
        const to = block.time?.unix ?? 0
        const from = to - (req.query.days ?? 30) * DAY
        const apr = await serviceApr(db, id, from, to)
        const a = (v: bigint) => amount(v, ctx.decimals)
        return {
          serviceId: String(id),
          from: time(from),
          to: time(to),
          windowSeconds: apr.windowSeconds,
          distributions: apr.claims,
          rewards: a(apr.rewards),
          commission: a(apr.commission),
          stakerRewards: a(apr.stakerRewards),
          averageStake: a(apr.averageStake),
          stakeSeconds: apr.stakeSeconds.toString(),
          aprPpm: apr.aprPpm === null ? null : apr.aprPpm.toString(),
          grossAprPpm: apr.grossAprPpm === null ? null : apr.grossAprPpm.toString(),
        }
      }),
  )
}
