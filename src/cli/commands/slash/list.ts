import { slashingCourtAbi } from '../../../sdk/abis.ts'
import { readOpenSlashes } from '../../../sdk/readOpenSlashes.ts'
import { readSlash, type SlashView } from '../../../sdk/readSlash.ts'
import { beginRead } from '../../lib/command.ts'
import type { Context } from '../../lib/connect.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { classRef, serviceRef } from '../../lib/labels.ts'
import { CONNECTION_HELP } from '../../lib/options.ts'
import { chooseSource, sourceLine } from '../../lib/readSource.ts'
import { table } from '../../lib/table.ts'
import { formatToken } from '../../lib/units.ts'
import { nextStep } from './clock.ts'
import { slashesFromApi } from './fromApi.ts'

export const sub: Sub = {
  summary: 'slashes not yet settled (--all: every slash) with what happens next and when',
  usage: `[--all]

${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('slash list', args, { all: { type: 'boolean' } })
    const source = await chooseSource(s.ctx, s.values)
    const all = s.values.all === true
    const [slashes, now] = await Promise.all([
      source ? slashesFromApi(source, all) : slashesFromChain(s.ctx, all),
      s.ctx.now(),
    ])
    if (s.json) return void printJson(slashes)
    console.log(`${all ? 'Slashes' : 'Open slashes'} (${slashes.length})`)
    if (slashes.length > 0)
      console.log(
        table(
          ['slash', 'status', 'service', 'vault', 'class', 'amount', 'next'],
          slashes.map((x) => [
            x.slashId,
            x.status,
            serviceRef(s.ctx, x.details.serviceId),
            x.details.vault,
            classRef(s.ctx, x.details.serviceId, x.details.classId),
            formatToken(x.details.amount, s.ctx.stake),
            nextStep(x, now),
          ]),
          ['left', 'left', 'left', 'left', 'left', 'right', 'left'],
        ),
      )
    if (source) console.log(sourceLine(source))
  },
}

/** Every slash from the court's SlashRequested events (`all`), or the open ones; scans the logs. */
async function slashesFromChain(ctx: Context, all: boolean): Promise<SlashView[]> {
  if (!all) return readOpenSlashes(ctx.reader, ctx.fromBlock)
  const events = await ctx.reader.public.getContractEvents({
    address: ctx.deployment.addresses.court,
    abi: slashingCourtAbi,
    eventName: 'SlashRequested',
    fromBlock: ctx.fromBlock,
  })
  return Promise.all(events.map((e) => readSlash(ctx.reader, e.args.slashId!, ctx.fromBlock)))
}
