/**
 * Operations: /health (the process answers), /ready (the index is caught up to the chain head minus the finality
 * depth, and not halted), /metrics (Prometheus).
 */
import { Type } from 'typebox'
import { readIndexState } from '../../indexer/queries/readIndexState.ts'
import { NotReadyError } from '../errors.ts'
import type { RoutePlugin } from './shared.ts'

const Ready = Type.Object({
  ready: Type.Boolean(),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'why not ready' }),
  indexedBlock: Type.Union([Type.Integer(), Type.Null()]),
  head: Type.Union([Type.Integer(), Type.Null()]),
  finalBlock: Type.Union([Type.Integer(), Type.Null()]),
  finalityDepth: Type.Union([Type.Integer(), Type.Null()]),
})

export const opsRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process answers and its database is readable',
        response: { 200: Type.Object({ ok: Type.Boolean() }), 503: Type.Ref('Error') },
      },
    },
    async () => {
      try {
        await readIndexState(ctx.db)
      } catch (error) {
        throw new NotReadyError('the index database cannot be read; see the server log', { cause: error })
      }
      return { ok: true }
    },
  )

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary:
          'Readiness: 200 when the index has reached the chain head minus the finality depth, else 503',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_req, reply) => {
      const s = await readIndexState(ctx.db)
      const n = (v: bigint | null) => (v === null ? null : Number(v))
      const indexed = s.block?.number ?? null
      let reason: string | null = null
      if (s.halted) reason = `the indexer halted: ${s.halted}`
      else if (indexed === null || s.head === null) reason = 'the indexer has not indexed a block yet'
      else if (s.finalBlock !== null && indexed < s.finalBlock)
        reason = `indexed block ${indexed} is behind the final block ${s.finalBlock} (head ${s.head})`
      if (indexed !== null) ctx.metrics.indexedBlock.set(Number(indexed))
      if (s.head !== null) ctx.metrics.chainHead.set(Number(s.head))
      if (s.finalBlock !== null) ctx.metrics.finalBlock.set(Number(s.finalBlock))
      const body = {
        ready: reason === null,
        reason,
        indexedBlock: n(indexed),
        head: n(s.head),
        finalBlock: n(s.finalBlock),
        finalityDepth: s.finalityDepth,
      }
      return reply.status(reason === null ? 200 : 503).send(body)
    },
  )

  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus metrics (text format)' } },
    async (_req, reply) => {
      try {
        const s = await readIndexState(ctx.db)
        if (s.block) ctx.metrics.indexedBlock.set(Number(s.block.number))
        if (s.head !== null) ctx.metrics.chainHead.set(Number(s.head))
        if (s.finalBlock !== null) ctx.metrics.finalBlock.set(Number(s.finalBlock))
      } catch {
        // the gauges keep their last values; the scrape still answers
      }
      return reply.type('text/plain; version=0.0.4').send(ctx.metrics.registry.render())
    },
  )
}
