/**
 * GET /v1/stream: server-sent events of new contract events, head moves (with the resources they changed) and
 * retractions when a reorg removes something already sent. Resumable: `Last-Event-ID` (browsers send it on
 * reconnect) or `?from=` (a block number or a message id). The protocol is in docs/api.md.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { InvalidInputError } from '../../errors.ts'
import type { ApiContext } from '../context.ts'
import { streamSource } from '../queries/streamSource.ts'
import { createHub } from '../stream/hub.ts'
import { parseCursor, parseFrom, type StreamCursor } from '../stream/protocol.ts'
import { createSession } from '../stream/session.ts'

const HEARTBEAT_MS = 15_000

export const streamRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext; pollMs: number }> = async (
  app,
  { ctx, pollMs },
) => {
  const source = streamSource(ctx.db)
  const hub = createHub(source, pollMs, (error) => app.log.warn({ err: error }, 'stream poll failed'))
  app.addHook('onClose', async () => hub.close())

  app.get(
    '/v1/stream',
    {
      schema: {
        tags: ['stream'],
        summary: 'Live events, head moves and reorg retractions (server-sent events)',
        description:
          'Messages: `event` (a contract event), `head` (the index moved; `changed` lists the resources to refetch), `retract` (a reorg removed the listed events). Each id is a block cursor; reconnect with Last-Event-ID or ?from= to resume.',
        querystring: Type.Object(
          {
            from: Type.Optional(
              Type.String({
                maxLength: 120,
                description:
                  'a block number to start at, or a message id to resume after; default: live from now',
              }),
            ),
            names: Type.Optional(
              Type.String({
                pattern: '^[A-Za-z][A-Za-z0-9]*(,[A-Za-z][A-Za-z0-9]*)*$',
                maxLength: 2000,
                description: 'comma-separated event names to send (retractions and heads are always sent)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 120 })) }),
        response: {
          200: {
            description: 'an event stream (text/event-stream)',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          400: Type.Ref('Error'),
        },
      },
    },
    async (req, reply) => {
      // Validate before the stream opens: a bad cursor is a JSON 400, not a stream that closes at once.
      let start: StreamCursor | undefined
      const last = req.headers['last-event-id']
      if (typeof last === 'string' && last.length > 0) start = parseCursor(last, 'header Last-Event-ID')
      else if (req.query.from !== undefined) start = parseFrom(req.query.from)
      const names = req.query.names ? new Set(req.query.names.split(',')) : undefined
      if (start && start.block < -1n)
        throw new InvalidInputError("query parameter 'from' must not be negative")

      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      res.write(`retry: 2000\n\n`)
      ctx.metrics.streamClients.set(hub.size + 1)

      let closed = false
      const write = (chunk: string) =>
        new Promise<boolean>((resolve) => {
          if (closed) return resolve(false)
          if (res.write(chunk)) return resolve(true)
          res.once('drain', () => resolve(true))
        })
      const session = createSession({
        source,
        write,
        start,
        names,
        onMessage: (type) => ctx.metrics.streamMessages.inc({ type }),
      })
      const heartbeat = setInterval(() => {
        if (!closed) res.write(': keep-alive\n\n')
      }, HEARTBEAT_MS)
      heartbeat.unref()
      const member = {
        step: session.step,
        close: (error?: unknown) => {
          if (error) req.log.warn({ err: error }, 'stream session failed')
          if (!closed) res.end()
        },
      }
      const cleanup = () => {
        closed = true
        clearInterval(heartbeat)
        hub.remove(member)
        ctx.metrics.streamClients.set(hub.size)
      }
      res.on('close', cleanup)
      try {
        await hub.add(member)
      } catch (error) {
        member.close(error)
      }
    },
  )
}
