import { InvalidInputError } from '../../../errors.ts'
import { slashingCourtAbi } from '../../../sdk/abis.ts'
import { withdrawCredit } from '../../../sdk/index.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, optionalAddress, SIGNER_HELP, str } from '../../lib/options.ts'
import { formatToken } from '../../lib/units.ts'
import { readCredits } from './read.ts'

export const sub: Sub = {
  summary: 'withdraw your credits (StakeCredits.withdrawCredit) from the court and every vault',
  usage: `[--from ADDRESS] [--receiver ADDRESS]

Withdraws what the court or a vault credited you because the stake token refused a transfer to you (a
blacklist, for instance); --from limits it to one of them, --receiver sends it elsewhere (an address the token
accepts).

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'credit withdraw',
      args,
      { from: { type: 'string' }, receiver: { type: 'string' } },
      (v) => {
        optionalAddress('--from', str(v, 'from'))
        optionalAddress('--receiver', str(v, 'receiver'))
      },
    )
    const from = optionalAddress('--from', str(s.values, 'from'))
    const receiver = optionalAddress('--receiver', str(s.values, 'receiver')) ?? s.account.address
    const credits = (await readCredits(s.ctx, s.account.address)).filter(
      (c) => !from || c.from.toLowerCase() === from.toLowerCase(),
    )
    if (credits.length === 0)
      throw new InvalidInputError(
        `nothing is credited to ${s.account.address}${from ? ` in ${from}` : ''}: nothing to withdraw`,
      )
    for (const c of credits) {
      await write(
        s,
        {
          explain: [
            `withdraw ${formatToken(c.amount, s.ctx.stake)} credited to you in the ${c.what}, to ${receiver}`,
          ],
          call: { address: c.from, abi: slashingCourtAbi, functionName: 'withdrawCredit', args: [receiver] },
          send: () => withdrawCredit(s.client, { from: c.from, receiver }),
        },
        () => `withdrew ${formatToken(c.amount, s.ctx.stake)} from the ${c.what}`,
      )
    }
  },
}
