import { InvalidInputError } from '../../../errors.ts'
import { claimWithdrawal, operatorVaultAbi } from '../../../sdk/index.ts'
import { requireVault } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, parseAddress, parseId, SIGNER_HELP, str } from '../../lib/options.ts'
import { when } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { readQueuedWithdrawals } from '../../lib/withdrawals.ts'

export const sub: Sub = {
  summary: 'claim matured withdrawals (all of them, or --id N)',
  usage: `--vault ADDRESS [--id N] [--receiver ADDRESS]

Pays each of your matured withdrawal requests on the vault (or only request N) at the lower of its value at
request and now. Requests not yet matured are listed with when they will be.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'vault claim',
      args,
      {
        vault: { type: 'string' },
        id: { type: 'string' },
        receiver: { type: 'string' },
      },
      (v) => {
        parseAddress('--vault', str(v, 'vault'))
        if (str(v, 'id') !== undefined) parseId('--id', str(v, 'id'), { zero: true })
      },
    )
    const vault = await requireVault(s.ctx, parseAddress('--vault', str(s.values, 'vault')))
    const receiver = str(s.values, 'receiver')
      ? parseAddress('--receiver', str(s.values, 'receiver'))
      : s.account.address
    const [queued, now] = await Promise.all([
      readQueuedWithdrawals(s.ctx, vault, s.account.address),
      s.ctx.now(),
    ])
    const wanted =
      str(s.values, 'id') === undefined ? undefined : parseId('--id', str(s.values, 'id'), { zero: true })
    const chosen = wanted === undefined ? queued : queued.filter((w) => w.id === wanted)
    if (wanted !== undefined && chosen.length === 0)
      throw new InvalidInputError(
        `you have no open withdrawal request #${wanted} on vault ${vault}${queued.length ? ` (open: ${queued.map((w) => `#${w.id}`).join(', ')})` : ''}`,
      )
    if (chosen.length === 0)
      throw new InvalidInputError(
        `you have no withdrawal requests on vault ${vault}: request one with \`surety vault withdraw\``,
      )
    const ready = chosen.filter((w) => w.readyAt <= now)
    if (ready.length === 0)
      throw new InvalidInputError(
        `not claimable yet: ${chosen.map((w) => `request #${w.id} matures ${when(w.readyAt, now)}`).join('; ')}`,
      )
    for (const w of chosen.filter((x) => x.readyAt > now))
      console.error(`request #${w.id} is not matured yet: ${when(w.readyAt, now)}`)
    for (const w of ready) {
      await write(
        s,
        {
          explain: [
            `claim withdrawal #${w.id} from vault ${vault}: pays ${formatToken(w.claimableNow, s.ctx.stake)} to ${receiver}`,
            `  (the lower of ${formatToken(w.assetsAtRequest, s.ctx.stake)} at request and its value now)`,
          ],
          call: {
            address: vault,
            abi: operatorVaultAbi,
            functionName: 'claimWithdrawal',
            args: [w.id, receiver],
          },
          send: () => claimWithdrawal(s.client, { vault, id: w.id, receiver }),
        },
        (paid) => `withdrawal #${w.id} claimed: ${formatToken(paid, s.ctx.stake)} paid to ${receiver}`,
      )
    }
  },
}
