import { InvalidInputError } from '../../../errors.ts'
import { slashingCourtAbi } from '../../../sdk/abis.ts'
import { disputeSlash } from '../../../sdk/index.ts'
import { operatorOf } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, SIGNER_HELP } from '../../lib/options.ts'
import { duration, when } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { checkSlashId, slashTarget } from './target.ts'

export const sub: Sub = {
  summary: 'the operator disputes a pending slash within its window, posting the dispute bond',
  usage: `SLASH_ID

The slashed vault's operator disputes within the dispute window, posting the dispute bond (approves the court
first if needed). The service's resolver then upholds or overturns; if it does not rule in time, the slash lapses.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite('slash dispute', args, {}, checkSlashId)
    const { id, slash, now } = await slashTarget(s)
    const d = slash.details
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    const operator = await operatorOf(s.ctx, d.vault)
    if (operator.toLowerCase() !== s.account.address.toLowerCase())
      throw new InvalidInputError(
        `only the operator of vault ${d.vault} (${operator}) may dispute slash ${id.slice(0, 10)}…`,
      )
    if (slash.status !== 'Pending')
      throw new InvalidInputError(
        `slash ${id.slice(0, 10)}… is ${slash.status.toLowerCase()}: only a pending slash can be disputed`,
      )
    if (now > slash.disputeEnd)
      throw new InvalidInputError(
        `the dispute window of slash ${id.slice(0, 10)}… closed ${when(slash.disputeEnd, now)}`,
      )
    const court = s.ctx.deployment.addresses.court
    await write(
      s,
      {
        explain: [
          `dispute slash ${id.slice(0, 10)}… of ${t(d.amount)} on vault ${d.vault}, posting a bond of ${t(d.disputeBond)}`,
          `  the resolver has ${duration(d.resolutionDeadline)} to rule: overturned, you get the bond back and the signers lose theirs; upheld, the bond goes to the reporters`,
        ],
        call: { address: court, abi: slashingCourtAbi, functionName: 'dispute', args: [d] },
        approval:
          d.disputeBond > 0n
            ? {
                token: s.ctx.deployment.addresses.stakeToken,
                spender: court,
                amount: d.disputeBond,
                spenderName: 'slashing court',
              }
            : undefined,
        send: () => disputeSlash(s.client, { details: d }),
      },
      () => `slash ${id} disputed; the resolver rules by ${when(now + BigInt(d.resolutionDeadline), now)}`,
    )
  },
}
