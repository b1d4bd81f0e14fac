/** /v1/incidents and /v1/incidents/{id}: slashes grouped by the incident that caused them. */
import { sql } from 'kysely'
import { Type } from 'typebox'
import { InvalidInputError } from '../../errors.ts'
import { toView } from '../../indexer/db/codec.ts'
import { read } from '../context.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import { NotFoundError } from '../errors.ts'
import { Address, Bytes32, DecimalId, errorResponses, itemResponse, listResponse } from '../schemas/common.ts'
import { Incident, incidentJson } from '../schemas/incident.ts'
import { listQuery, listRequest, lower, type RoutePlugin } from './shared.ts'

export const incidentsRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Incidents, newest first, each with its slashes and their sums',
        querystring: listQuery(['requested'], {
          service: Type.Optional(DecimalId),
          vault: Type.Optional(Address),
          orders: Type.Optional(
            Type.Boolean({ description: 'only order failures (true) or only SLA reports (false)' }),
          ),
        }),
        response: { 200: listResponse(Incident), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'requested')
      const { block, data } = await read(ctx, async ({ db, block }) => {
        let q = db
          .selectFrom('slashes')
          .select(['incident_id', sql<number>`min(requested_at)`.as('first_at')])
          .groupBy('incident_id')
        if (req.query.service !== undefined) q = q.where('service_id', '=', Number(req.query.service))
        if (req.query.vault) q = q.where('vault', '=', lower(req.query.vault)!)
        if (req.query.orders !== undefined) q = q.where('is_order', '=', req.query.orders ? 1 : 0)
        const op = sql.raw(r.order === 'asc' ? '>' : '<')
        if (r.cursor !== undefined) {
          const [at, id] = decodeCursor(r.cursor, r.sort, 2)
          if (typeof at !== 'number' || typeof id !== 'string')
            throw new InvalidInputError(
              "query parameter 'cursor' is not a cursor this API made; omit it to start",
            )
          q = q.having(sql<boolean>`(min(requested_at), incident_id) ${op} (${at}, ${id})`)
        }
        const groups = await q
          .orderBy(sql`min(requested_at)`, r.order)
          .orderBy('incident_id', r.order)
          .limit(r.limit + 1)
          .execute()
        const page = groups.slice(0, r.limit)
        const last = page.at(-1)
        const next =
          groups.length > r.limit && last
            ? encodeCursor({ sort: r.sort, values: [Number(last.first_at), last.incident_id] })
            : null
        const slashes = page.length
          ? await db
              .selectFrom('slashes')
              .selectAll()
              .where(
                'incident_id',
                'in',
                page.map((g) => g.incident_id),
              )
              .orderBy('requested_at')
              .orderBy('slash_id')
              .execute()
          : []
        const items = page.map((g) =>
          incidentJson(
            slashes.filter((s) => s.incident_id === g.incident_id).map((s) => toView('slashes', s)),
            block.finalNumber,
            ctx.decimals,
          ),
        )
        return { next, items }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )

  app.get(
    '/v1/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'One incident with every slash it caused',
        params: Type.Object({ id: Bytes32 }, { additionalProperties: false }),
        response: { 200: itemResponse(Incident), ...errorResponses },
      },
    },
    async (req) =>
      read(ctx, async ({ db, block }) => {
        const rows = await db
          .selectFrom('slashes')
          .selectAll()
          .where('incident_id', '=', req.params.id.toLowerCase())
          .orderBy('requested_at')
          .orderBy('slash_id')
          .execute()
        if (rows.length === 0)
          throw new NotFoundError(`no incident ${req.params.id.toLowerCase()} is indexed`)
        return incidentJson(
          rows.map((s) => toView('slashes', s)),
          block.finalNumber,
          ctx.decimals,
        )
      }),
  )
}
