import type { Hex } from 'viem'
import { slashingCourtAbi } from '../../../sdk/abis.ts'
import { readOpenSlashes } from '../../../sdk/readOpenSlashes.ts'
import { readSlash } from '../../../sdk/readSlash.ts'
import { beginRead } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { CONNECTION_HELP } from '../../lib/options.ts'
import { table } from '../../lib/table.ts'
import { formatToken } from '../../lib/units.ts'
import { nextStep } from './clock.ts'

export const sub: Sub = {
  summary: 'slashes not yet settled (--all: every slash) with what happens next and when',
  usage: `[--all]

${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('slash list', args, { all: { type: 'boolean' } })
    const now = await s.ctx.now()
    let slashes: {
      slashId: Hex
      status: string
      disputeEnd: bigint
      resolveBy: bigint
      details: { vault: string; serviceId: bigint; amount: bigint; classId: number }
    }[]
    if (s.values.all) {
      const events = await s.ctx.reader.public.getContractEvents({
        address: s.ctx.deployment.addresses.court,
        abi: slashingCourtAbi,
        eventName: 'SlashRequested',
        fromBlock: s.ctx.fromBlock,
      })
      slashes = await Promise.all(
        events.map((e) => readSlash(s.ctx.reader, e.args.slashId!, s.ctx.fromBlock)),
      )
    } else slashes = await readOpenSlashes(s.ctx.reader, s.ctx.fromBlock)
    if (s.json) return void printJson(slashes)
    console.log(`${s.values.all ? 'Slashes' : 'Open slashes'} (${slashes.length})`)
    if (slashes.length === 0) return
    console.log(
      table(
        ['slash', 'status', 'service', 'vault', 'class', 'amount', 'next'],
        slashes.map((x) => [
          x.slashId,
          x.status,
          `#${x.details.serviceId}`,
          x.details.vault,
          String(x.details.classId),
          formatToken(x.details.amount, s.ctx.stake),
          nextStep(x as never, now),
        ]),
        ['left', 'left', 'left', 'left', 'right', 'right', 'left'],
      ),
    )
  },
}
