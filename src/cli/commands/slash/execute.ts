import { InvalidInputError } from '../../../errors.ts'
import { slashingCourtAbi } from '../../../sdk/abis.ts'
import { executeSlash } from '../../../sdk/index.ts'
import { readSlash } from '../../../sdk/readSlash.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, SIGNER_HELP } from '../../lib/options.ts'
import { percent } from '../../lib/table.ts'
import { when } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { checkSlashId, slashTarget } from './target.ts'

export const sub: Sub = {
  summary: 'execute a slash whose dispute window closed, or an upheld one (anyone)',
  usage: `SLASH_ID

Takes the slash from the operator's bond first, then the pool, and pays the client, the reporter and the sink.
A vault's slashes execute in the order they were requested.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite('slash execute', args, {}, checkSlashId)
    const { id, slash, now } = await slashTarget(s)
    const d = slash.details
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    const short = `${id.slice(0, 10)}…`
    if (slash.status === 'Pending' && now <= slash.disputeEnd)
      throw new InvalidInputError(
        `slash ${short} is in its dispute window until ${when(slash.disputeEnd, now)}: it can be executed only after that`,
      )
    if (slash.status === 'Disputed')
      throw new InvalidInputError(
        `slash ${short} is disputed: the resolver rules by ${when(slash.resolveBy, now)}`,
      )
    if (slash.status !== 'Pending' && slash.status !== 'Upheld')
      throw new InvalidInputError(`slash ${short} is ${slash.status.toLowerCase()}: nothing to execute`)
    await write(
      s,
      {
        explain: [
          `execute slash ${short}: ${t(d.amount)} from vault ${d.vault} (bond first, then the pool)`,
          `  pays ${percent(d.clientShareBps)} to the client ${d.client}, ${percent(d.reporterShareBps)} to the reporter, the rest to ${d.sink}`,
        ],
        call: {
          address: s.ctx.deployment.addresses.court,
          abi: slashingCourtAbi,
          functionName: 'executeSlash',
          args: [d],
        },
        send: () => executeSlash(s.client, { details: d }),
      },
      async () =>
        `slash ${id} ${(await readSlash(s.ctx.reader, id, s.ctx.fromBlock)).status.toLowerCase()}: ${t(d.amount)} taken from vault ${d.vault}`,
    )
  },
}
