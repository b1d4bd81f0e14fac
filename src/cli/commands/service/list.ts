import { serviceCount } from '../../lib/chain.ts'
import { beginRead } from '../../lib/command.ts'
import type { Context } from '../../lib/connect.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { serviceRef } from '../../lib/labels.ts'
import { CONNECTION_HELP } from '../../lib/options.ts'
import { chooseSource, sourceLine } from '../../lib/readSource.ts'
import { percent, table } from '../../lib/table.ts'
import { duration } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { servicesFromApi } from './fromApi.ts'
import { readService } from './read.ts'

export const sub: Sub = {
  summary: 'every service with its owner, committee, quorum, allocated stake and dispute window',
  usage: `\n\n${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('service list', args)
    const source = await chooseSource(s.ctx, s.values)
    const services = source ? await servicesFromApi(source.api) : await servicesFromChain(s.ctx)
    if (s.json) return void printJson(services)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    console.log(`Services (${services.length})`)
    if (services.length > 0)
      console.log(
        table(
          ['id', 'owner', 'attesters', 'quorum', 'allocated', 'declared value', 'dispute window'],
          services.map((x) => [
            serviceRef(s.ctx, x.serviceId),
            x.owner,
            String(x.committee.length),
            percent(x.params.quorumBps),
            t(x.allocated),
            t(x.params.declaredValue),
            duration(x.params.disputeWindow),
          ]),
          ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
        ),
      )
    if (source) console.log(sourceLine(source))
  },
}

async function servicesFromChain(ctx: Context) {
  const count = await serviceCount(ctx)
  return Promise.all(Array.from({ length: Number(count) }, (_, i) => readService(ctx, BigInt(i + 1))))
}
