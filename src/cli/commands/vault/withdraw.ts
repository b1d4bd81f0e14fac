import { InvalidInputError } from '../../../errors.ts'
import { operatorVaultAbi, readVault, requestWithdrawal } from '../../../sdk/index.ts'
import { requireVault, vaultLabel } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, parseAddress, SIGNER_HELP, str } from '../../lib/options.ts'
import { duration, when } from '../../lib/time.ts'
import { formatToken, parseAmount } from '../../lib/units.ts'

export const sub: Sub = {
  summary: 'request a withdrawal of your shares (claimable after the withdrawal delay)',
  usage: `--vault ADDRESS (--shares AMOUNT | --amount AMOUNT | --all)

Queues shares for withdrawal: --shares in vault shares, --amount in the stake token (converted at today's
price, rounded down), or --all of them. Queued shares earn nothing and stay slashable; after the vault's
withdrawal delay \`surety vault claim\` pays the lower of their value at request and at claim.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'vault withdraw',
      args,
      {
        vault: { type: 'string' },
        shares: { type: 'string' },
        amount: { type: 'string' },
        all: { type: 'boolean' },
      },
      (v) => {
        parseAddress('--vault', str(v, 'vault'))
        const given = ['shares', 'amount', 'all'].filter((k) => v[k] !== undefined)
        if (given.length !== 1) throw new InvalidInputError('give exactly one of --shares, --amount or --all')
      },
    )
    const vault = await requireVault(s.ctx, parseAddress('--vault', str(s.values, 'vault')))
    const [view, label, balance, now] = await Promise.all([
      readVault(s.ctx.reader, vault),
      vaultLabel(s.ctx, vault),
      s.ctx.reader.public.readContract({
        address: vault,
        abi: operatorVaultAbi,
        functionName: 'balanceOf',
        args: [s.account.address],
      }),
      s.ctx.now(),
    ])
    const shareToken = { symbol: label.symbol, decimals: 18 }
    let shares: bigint
    if (s.values.all) shares = balance
    else if (str(s.values, 'shares') !== undefined)
      shares = parseAmount('shares', str(s.values, 'shares'), shareToken)
    else {
      const assets = parseAmount('amount', str(s.values, 'amount'), s.ctx.stake)
      shares = await s.ctx.reader.public.readContract({
        address: vault,
        abi: operatorVaultAbi,
        functionName: 'previewDeposit',
        args: [assets],
      })
    }
    if (balance === 0n)
      throw new InvalidInputError(`${s.account.address} holds no ${label.symbol} shares of vault ${vault}`)
    if (shares > balance)
      throw new InvalidInputError(
        `not enough shares: you have ${formatToken(balance, shareToken)}, the withdrawal needs ${formatToken(shares, shareToken)}`,
      )
    if (shares === 0n) throw new InvalidInputError('that is less than one share: withdraw more')
    const value = await s.ctx.reader.public.readContract({
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'previewRedeem',
      args: [shares],
    })
    const readyAt = now + BigInt(view.withdrawalDelay)
    await write(
      s,
      {
        explain: [
          `request a withdrawal of ${formatToken(shares, shareToken)} (worth ≈ ${formatToken(value, s.ctx.stake)} now) from vault ${vault}:`,
          `  claimable from about ${when(readyAt, now)}; until then the shares earn nothing and stay slashable`,
          `  the claim pays the lower of their value now and at claim (pending slashes priced in)`,
        ],
        call: { address: vault, abi: operatorVaultAbi, functionName: 'requestWithdrawal', args: [shares] },
        send: () => requestWithdrawal(s.client, { vault, shares }),
      },
      (id) => [
        `withdrawal #${id} requested: ${formatToken(shares, shareToken)}, claimable in ${duration(view.withdrawalDelay)}`,
        `  then: surety vault claim --vault ${vault} --id ${id}`,
      ],
    )
  },
}
