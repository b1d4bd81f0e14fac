import { InvalidInputError } from '../../../errors.ts'
import {
  claimBondWithdrawal,
  operatorVaultAbi,
  readVault,
  requestBondWithdrawal,
} from '../../../sdk/index.ts'
import { vaultOf } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, SIGNER_HELP, str } from '../../lib/options.ts'
import { when } from '../../lib/time.ts'
import { formatToken, parseAmount } from '../../lib/units.ts'

export const sub: Sub = {
  summary: 'request a bond withdrawal (--amount), or claim a matured one (--claim)',
  usage: `(--amount AMOUNT | --claim)

--amount queues a withdrawal of that much bond (replacing a queued one); it stays slashable and is claimable
after the vault's withdrawal delay, for one day. --claim pays a matured one: at most the bond beyond pending
slashes, orders' collateral and the minimum bond the allocations need.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'vault bond withdraw',
      args,
      { amount: { type: 'string' }, claim: { type: 'boolean' } },
      (v) => {
        if ((v.amount === undefined) === (v.claim === undefined))
          throw new InvalidInputError('give one of --amount AMOUNT or --claim')
      },
    )
    const vault = await vaultOf(s.ctx, s.account.address)
    const [view, queued, now] = await Promise.all([
      readVault(s.ctx.reader, vault),
      s.ctx.reader.public.readContract({
        address: vault,
        abi: operatorVaultAbi,
        functionName: 'bondWithdrawal',
      }),
      s.ctx.now(),
    ])
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    if (s.values.claim) {
      const [amount, readyAt] = queued as readonly [bigint, number]
      if (amount === 0n)
        throw new InvalidInputError('no bond withdrawal is queued: request one with --amount AMOUNT')
      if (BigInt(readyAt) > now)
        throw new InvalidInputError(
          `the bond withdrawal of ${t(amount)} is claimable only from ${when(readyAt, now)}`,
        )
      await write(
        s,
        {
          explain: [
            `claim the bond withdrawal of ${t(amount)} from your vault ${vault} (at most what pending slashes, orders and the minimum bond leave)`,
          ],
          call: { address: vault, abi: operatorVaultAbi, functionName: 'claimBondWithdrawal', args: [] },
          send: () => claimBondWithdrawal(s.client, { vault }),
        },
        (paid) => `bond withdrawal claimed: ${t(paid)} paid`,
      )
      return
    }
    const amount = parseAmount('amount', str(s.values, 'amount'), s.ctx.stake)
    if (amount > view.bondAssets)
      throw new InvalidInputError(`the bond is ${t(view.bondAssets)}: you cannot withdraw ${t(amount)}`)
    const readyAt = now + BigInt(view.withdrawalDelay)
    await write(
      s,
      {
        explain: [
          `request a withdrawal of ${t(amount)} of your bond in vault ${vault}:`,
          `  claimable from about ${when(readyAt, now)}, for one day, with \`surety vault bond withdraw --claim\`; slashable until then`,
        ],
        call: {
          address: vault,
          abi: operatorVaultAbi,
          functionName: 'requestBondWithdrawal',
          args: [amount],
        },
        send: () => requestBondWithdrawal(s.client, { vault, amount }),
      },
      () => `bond withdrawal of ${t(amount)} requested; claim it from ${when(readyAt, now)}`,
    )
  },
}
