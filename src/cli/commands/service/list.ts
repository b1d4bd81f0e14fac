import { serviceCount } from '../../lib/chain.ts'
import { beginRead } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { CONNECTION_HELP } from '../../lib/options.ts'
import { percent, table } from '../../lib/table.ts'
import { duration } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { readService } from './read.ts'

export const sub: Sub = {
  summary: 'every service with its owner, committee, quorum, allocated stake and dispute window',
  usage: `\n\n${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('service list', args)
    const count = await serviceCount(s.ctx)
    const services = await Promise.all(
      Array.from({ length: Number(count) }, (_, i) => readService(s.ctx, BigInt(i + 1))),
    )
    if (s.json) return void printJson(services)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    console.log(`Services (${services.length})`)
    if (services.length === 0) return
    console.log(
      table(
        ['id', 'owner', 'attesters', 'quorum', 'allocated', 'declared value', 'dispute window'],
        services.map((x) => [
          `#${x.serviceId}`,
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
  },
}
