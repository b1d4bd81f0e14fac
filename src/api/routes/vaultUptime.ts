/**
 * /v1/vaults/{vault}/uptime: the vault's uptime as the attester nodes measured it (GET /v1/uptime on each, see
 * docs/node.md): per service, per epoch, each attester's fraction up and the committee's median. Only answers from
 * attesters of each service count. Never cached (the samples live on the nodes, not in the index).
 */
import { Type } from 'typebox'
import type { Address } from 'viem'
import { read } from '../context.ts'
import { NodesUnavailableError, NotFoundError } from '../errors.ts'
import { time } from '../format.ts'
import { askNodes } from '../nodes/askNodes.ts'
import { committeeAnswers } from '../nodes/committeeAnswers.ts'
import { mergeUptime, type NodeService } from '../nodes/mergeUptime.ts'
import { Address as AddressSchema, errorResponses, itemResponse } from '../schemas/common.ts'
import { VaultUptime } from '../schemas/nodeReads.ts'
import { type NodeReadsPlugin, noResponseCache, requireNodes } from './nodeReadsShared.ts'

type UptimeAnswer = { address: string; chainId: number; vault: string; services: NodeService[] }

export const vaultUptimeRoutes: NodeReadsPlugin = async (app, { ctx, nodes }) => {
  app.get(
    '/v1/vaults/:vault/uptime',
    {
      schema: {
        tags: ['vaults'],
        summary:
          'The vault’s uptime per service and epoch as the attester nodes measured it, with the median',
        params: Type.Object({ vault: AddressSchema }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            epochs: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 288, default: 48, description: 'how many recent epochs' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: itemResponse(VaultUptime), ...errorResponses },
      },
    },
    async (req, reply) => {
      noResponseCache(reply)
      const vault = req.params.vault.toLowerCase()
      const { block, data } = await read(ctx, async ({ db, state }) => {
        const row = await db
          .selectFrom('vaults')
          .select('vault')
          .where('vault', '=', vault)
          .executeTakeFirst()
        if (!row) throw new NotFoundError(`no vault ${req.params.vault} is indexed`)
        const attesters = await db.selectFrom('attesters').select(['service_id', 'attester']).execute()
        return { attesters, chainId: state.chainId ?? 0 }
      })
      requireNodes(nodes, `the uptime measurements of vault ${vault}`)
      const answers = await askNodes<UptimeAnswer>(
        nodes.urls,
        `/v1/uptime?vault=${vault}&epochs=${req.query.epochs ?? 48}`,
        nodes,
      )
      const anyAttester = new Set(data.attesters.map((a) => a.attester))
      const { counted, sources } = committeeAnswers(answers, anyAttester, data.chainId)
      if (counted.length === 0)
        throw new NodesUnavailableError(
          `no attester node answered for vault ${vault} (${sources
            .map((s) => `${s.url}: ${s.status}${s.error ? ` (${s.error})` : ''}`)
            .join('; ')}); the measurements are on the nodes — retry when one is up`,
        )
      // a node counts for a service only if it is on that service's committee
      const member = new Set(data.attesters.map((a) => `${a.service_id}:${a.attester}`))
      const services = mergeUptime(
        counted.map((c) => ({
          attester: c.attester as Address,
          services: (Array.isArray(c.body.services) ? c.body.services : []).filter((s) =>
            member.has(`${s.serviceId}:${c.attester}`),
          ),
        })),
      )
      return {
        block,
        data: {
          vault,
          services: services.map((s) => ({
            ...s,
            epochs: s.epochs.map((e) => ({ ...e, start: time(e.start) })),
          })),
          nodes: sources,
        },
      }
    },
  )
}
