/**
 * /v1/orders/{id}/readings: a shipment's device-signed readings, gathered from the service's attester nodes (GET
 * /v1/telemetry on each, see docs/node.md), every copy checked here against the device in the indexed order
 * terms, merged by (device, seq) with the attesters that held it. Never cached: the readings live on the nodes,
 * not in the index, so they change without the indexed block moving.
 */
import { Type } from 'typebox'
import type { Address } from 'viem'
import { toView } from '../../indexer/db/codec.ts'
import { orderKey } from '../../node/orders/fold.ts'
import { read } from '../context.ts'
import { NodesUnavailableError, NotFoundError } from '../errors.ts'
import { optionalTime, time } from '../format.ts'
import { askNodes } from '../nodes/askNodes.ts'
import { committeeAnswers } from '../nodes/committeeAnswers.ts'
import { mergeReadings, type NodeReading } from '../nodes/mergeReadings.ts'
import { DecimalId, errorResponses, itemResponse } from '../schemas/common.ts'
import { OrderReadings } from '../schemas/nodeReads.ts'
import { type NodeReadsPlugin, noResponseCache, requireNodes } from './nodeReadsShared.ts'

const ZERO = '0x0000000000000000000000000000000000000000'

type TelemetryAnswer = {
  address: string
  chainId: number
  total: number
  truncated: boolean
  readings: NodeReading[]
}

export const orderReadingsRoutes: NodeReadsPlugin = async (app, { ctx, nodes }) => {
  app.get(
    '/v1/orders/:id/readings',
    {
      schema: {
        tags: ['orders'],
        summary: 'A shipment’s device-signed readings, gathered from the attester nodes and verified',
        params: Type.Object({ id: DecimalId }, { additionalProperties: false }),
        response: { 200: itemResponse(OrderReadings), ...errorResponses },
      },
    },
    async (req, reply) => {
      noResponseCache(reply)
      const { block, data } = await read(ctx, async ({ db, state }) => {
        const id = Number(req.params.id)
        const row = Number.isSafeInteger(id)
          ? await db.selectFrom('orders').selectAll().where('order_id', '=', id).executeTakeFirst()
          : undefined
        if (!row) throw new NotFoundError(`no order ${req.params.id} is indexed`)
        const attesters = await db
          .selectFrom('attesters')
          .select('attester')
          .where('service_id', '=', row.service_id)
          .execute()
        return {
          order: toView('orders', row),
          attesters: attesters.map((a) => a.attester),
          chainId: state.chainId,
        }
      })
      const { order } = data
      const shipment = order.device !== ZERO
      const base = {
        orderId: String(order.orderId),
        shipment,
        device: shipment ? order.device : null,
        minTempCentiC: order.minTempCentiC,
        maxTempCentiC: order.maxTempCentiC,
        pickupBy: optionalTime(order.pickupBy),
        deadline: optionalTime(order.deadline),
        committee: data.attesters.length,
      }
      const empty = {
        answered: 0,
        readings: [],
        rejected: { unsigned: 0, badSignature: 0, wrongDevice: 0, wrongOrder: 0 },
        conflicts: 0,
        truncated: false,
        nodes: [],
      }
      if (!shipment) return { block, data: { ...base, ...empty } }
      requireNodes(nodes, `the readings of order ${order.orderId}`)
      const key = orderKey(BigInt(order.orderId))
      const answers = await askNodes<TelemetryAnswer>(
        nodes.urls,
        `/v1/telemetry?order=${key}&limit=2000`,
        nodes,
      )
      const chainId = data.chainId ?? 0
      const { counted, sources } = committeeAnswers(answers, new Set(data.attesters), chainId)
      if (counted.length === 0)
        throw new NodesUnavailableError(
          `no attester node of service ${order.serviceId} answered for order ${order.orderId} (${sources
            .map((s) => `${s.url}: ${s.status}${s.error ? ` (${s.error})` : ''}`)
            .join('; ')}); the readings are on the nodes — retry when one is up`,
        )
      const merged = await mergeReadings(
        counted.map((c) => ({
          attester: c.attester,
          readings: Array.isArray(c.body.readings) ? c.body.readings : [],
        })),
        { key, device: order.device as Address, chainId },
      )
      return {
        block,
        data: {
          ...base,
          answered: counted.length,
          readings: merged.readings.map(({ timestamp, ...r }) => ({ ...r, time: time(timestamp) })),
          rejected: {
            unsigned: merged.rejected.unsigned,
            badSignature: merged.rejected['bad-signature'],
            wrongDevice: merged.rejected['wrong-device'],
            wrongOrder: merged.rejected['wrong-order'],
          },
          conflicts: merged.conflicts,
          truncated: counted.some((c) => c.body.truncated === true),
          nodes: sources,
        },
      }
    },
  )
}
