import { InvalidInputError } from '../../../errors.ts'
import { slashingCourtAbi } from '../../../sdk/abis.ts'
import { lapseSlash } from '../../../sdk/index.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, SIGNER_HELP } from '../../lib/options.ts'
import { when } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { checkSlashId, slashTarget } from './target.ts'

export const sub: Sub = {
  summary: 'cancel a disputed slash the resolver left unresolved past its deadline (anyone)',
  usage: `SLASH_ID

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite('slash lapse', args, {}, checkSlashId)
    const { id, slash, now } = await slashTarget(s)
    const short = `${id.slice(0, 10)}…`
    if (slash.status !== 'Disputed')
      throw new InvalidInputError(
        `slash ${short} is ${slash.status.toLowerCase()}: only a disputed slash can lapse`,
      )
    if (now <= slash.resolveBy)
      throw new InvalidInputError(
        `the resolver may still rule on slash ${short} until ${when(slash.resolveBy, now)}`,
      )
    await write(
      s,
      {
        explain: [
          `lapse slash ${short} of ${formatToken(slash.details.amount, s.ctx.stake)}: the resolver missed its deadline (${when(slash.resolveBy, now)}); the slash is cancelled and the dispute bond returned`,
        ],
        call: {
          address: s.ctx.deployment.addresses.court,
          abi: slashingCourtAbi,
          functionName: 'lapse',
          args: [slash.details],
        },
        send: () => lapseSlash(s.client, { details: slash.details }),
      },
      () => `slash ${id} lapsed`,
    )
  },
}
