/** /v1/slashes (filter by status, vault, service, incident, order) and /v1/slashes/{id}. */
import { Type } from 'typebox'
import { toView } from '../../indexer/db/codec.ts'
import { read } from '../context.ts'
import { NotFoundError } from '../errors.ts'
import type { SortColumn } from '../queries/list.ts'
import { Address, Bytes32, DecimalId, errorResponses, itemResponse, listResponse } from '../schemas/common.ts'
import { penaltyJson, Slash, SlashDetail, SlashStatusSchema, slashJson } from '../schemas/slash.ts'
import { listQuery, listRequest, lower, type RoutePlugin, renderedList } from './shared.ts'

const SORTS = {
  requested: [{ column: 'requested_at', kind: 'int' }],
  amount: [{ column: 'amount', kind: 'amount' }],
  updated: [{ column: 'block_number', kind: 'int' }],
} satisfies Record<string, SortColumn[]>
const KEY: SortColumn = { column: 'slash_id', kind: 'text' }

export const slashesRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/slashes',
    {
      schema: {
        tags: ['slashes'],
        summary: 'Slashes, each from report to payouts',
        querystring: listQuery(['requested', 'amount', 'updated'], {
          status: Type.Optional(SlashStatusSchema),
          vault: Type.Optional(Address),
          service: Type.Optional(DecimalId),
          incident: Type.Optional(Bytes32),
          orderId: Type.Optional(DecimalId),
        }),
        response: { 200: listResponse(Slash), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'requested')
      return renderedList(ctx, r, (snap) => {
        let q = snap.db.selectFrom('slashes')
        if (req.query.status) q = q.where('status', '=', req.query.status)
        if (req.query.vault) q = q.where('vault', '=', lower(req.query.vault)!)
        if (req.query.service !== undefined) q = q.where('service_id', '=', Number(req.query.service))
        if (req.query.incident) q = q.where('incident_id', '=', lower(req.query.incident)!)
        if (req.query.orderId !== undefined) q = q.where('order_id', '=', Number(req.query.orderId))
        return {
          table: 'slashes',
          key: KEY,
          query: q,
          sort: SORTS[r.sort],
          constants: String(ctx.decimals),
          render: (row) => slashJson(toView('slashes', row), snap.block.finalNumber, ctx.decimals),
        }
      }) as never
    },
  )

  app.get(
    '/v1/slashes/:id',
    {
      schema: {
        tags: ['slashes'],
        summary: 'One slash with the attesters’ bonds it cost when overturned',
        params: Type.Object({ id: Bytes32 }, { additionalProperties: false }),
        response: { 200: itemResponse(SlashDetail), ...errorResponses },
      },
    },
    async (req) =>
      read(ctx, async ({ db, block }) => {
        const row = await db
          .selectFrom('slashes')
          .selectAll()
          .where('slash_id', '=', req.params.id.toLowerCase())
          .executeTakeFirst()
        if (!row) throw new NotFoundError(`no slash ${req.params.id.toLowerCase()} is indexed`)
        const s = toView('slashes', row)
        // An overturn takes the signers' bonds in the same transaction: the penalties share its block and service.
        const penalties =
          s.status === 'Overturned' && s.ruledBlock !== null
            ? await db
                .selectFrom('attester_penalties')
                .selectAll()
                .where('block_number', '=', s.ruledBlock)
                .where('service_id', '=', s.serviceId)
                .orderBy('log_index')
                .execute()
            : []
        return {
          ...slashJson(s, block.finalNumber, ctx.decimals),
          attesterPenalties: penalties.map((p) => penaltyJson(toView('attester_penalties', p), ctx.decimals)),
        }
      }),
  )
}
