import { requireService } from '../../lib/chain.ts'
import { beginRead } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { CONNECTION_HELP, parseId, str } from '../../lib/options.ts'
import { chooseSource, sourceLine } from '../../lib/readSource.ts'
import { percent, table } from '../../lib/table.ts'
import { formatToken } from '../../lib/units.ts'
import { serviceWithChangeFromApi } from '../service/fromApi.ts'
import { readService } from '../service/read.ts'

export const sub: Sub = {
  summary: "a service's committee: each attester's bond and weight",
  usage: `--service ID

${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('attester list', args, { service: { type: 'string' } })
    const serviceId = await requireService(s.ctx, parseId('--service', str(s.values, 'service')))
    const source = await chooseSource(s.ctx, s.values)
    const fromApi = source ? (await serviceWithChangeFromApi(source.api, serviceId))?.service : undefined
    // a service the index does not hold yet (created since its block) is read from the chain
    const service = fromApi ?? (await readService(s.ctx, serviceId))
    if (s.json) return void printJson(service.committee)
    const total = service.committee.reduce((sum, m) => sum + m.bond, 0n)
    console.log(
      `Committee of service #${serviceId} (${service.committee.length}; quorum ${percent(service.params.quorumBps)} of the bond)`,
    )
    console.log(
      table(
        ['attester', 'bond', 'weight'],
        service.committee.map((m) => [
          m.attester,
          formatToken(m.bond, s.ctx.stake),
          total === 0n ? '-' : percent((m.bond * 10_000n) / total),
        ]),
        ['left', 'right', 'right'],
      ),
    )
    if (source && fromApi) console.log(sourceLine(source))
  },
}
