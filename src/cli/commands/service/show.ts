import { serviceRegistryAbi } from '../../../sdk/abis.ts'
import { requireService } from '../../lib/chain.ts'
import { beginRead } from '../../lib/command.ts'
import type { Context } from '../../lib/connect.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { classRef, serviceRef } from '../../lib/labels.ts'
import { CONNECTION_HELP, parseId } from '../../lib/options.ts'
import { chooseSource, sourceLine } from '../../lib/readSource.ts'
import { table } from '../../lib/table.ts'
import { when } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { serviceWithChangeFromApi } from './fromApi.ts'
import { classLine, readService, termLines } from './read.ts'

export const sub: Sub = {
  summary: 'one service: owner, terms, violation classes, committee and a queued change',
  usage: `ID

${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('service show', args)
    const id = await requireService(s.ctx, parseId('ID', s.positionals[0]))
    const source = await chooseSource(s.ctx, s.values)
    const [fromApi, now] = await Promise.all([
      source ? serviceWithChangeFromApi(source.api, id) : undefined,
      s.ctx.now(),
    ])
    // a service the index does not hold yet (created since its block) is read from the chain
    const { service, change } = fromApi ?? (await serviceWithChangeFromChain(s.ctx, id))
    if (s.json) return void printJson({ ...service, queuedChange: change })
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    console.log(`Service ${serviceRef(s.ctx, id)}, owner ${service.owner}, ${t(service.allocated)} allocated`)
    for (const l of termLines(s.ctx, service.params)) console.log(`  ${l}`)
    for (const [i, c] of service.classes.entries()) console.log(`  ${classLine(c, classRef(s.ctx, id, i))}`)
    if (change)
      console.log(
        `  a change is queued: it may apply from ${when(change.readyAt, now)} (surety service change ${id} --apply)`,
      )
    console.log(`\nCommittee (${service.committee.length})`)
    if (service.committee.length)
      console.log(
        table(
          ['attester', 'bond'],
          service.committee.map((m) => [m.attester, t(m.bond)]),
          ['left', 'right'],
        ),
      )
    if (source && fromApi) console.log(sourceLine(source))
  },
}

async function serviceWithChangeFromChain(ctx: Context, id: bigint) {
  const [service, change] = await Promise.all([readService(ctx, id), queuedChange(ctx, id)])
  return { service, change }
}

/** The change queued and neither applied nor cancelled since, from the registry's events. */
export async function queuedChange(ctx: Context, serviceId: bigint) {
  const ev = (eventName: 'ServiceChangeQueued' | 'ServiceChangeApplied' | 'ServiceChangeCancelled') =>
    ctx.reader.public.getContractEvents({
      address: ctx.deployment.addresses.registry,
      abi: serviceRegistryAbi,
      eventName,
      args: { serviceId },
      fromBlock: ctx.fromBlock,
    })
  const [queued, applied, cancelled] = await Promise.all([
    ev('ServiceChangeQueued'),
    ev('ServiceChangeApplied'),
    ev('ServiceChangeCancelled'),
  ])
  const last = queued.at(-1)
  if (!last) return null
  const settled = [...applied, ...cancelled].some((e) => e.blockNumber > last.blockNumber)
  if (settled) return null
  const args = last.args as { params: unknown; classes: unknown; readyAt: bigint }
  return { readyAt: args.readyAt, params: args.params, classes: args.classes }
}
