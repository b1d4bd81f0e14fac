import { deposit, operatorVaultAbi, readOpenSlashes, readVault } from '../../../sdk/index.ts'
import { operatorOf, requireVault, vaultLabel } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, optionalAddress, parseAddress, SIGNER_HELP, str } from '../../lib/options.ts'
import { plural } from '../../lib/table.ts'
import { duration } from '../../lib/time.ts'
import { formatToken, parseAmount } from '../../lib/units.ts'

export const sub: Sub = {
  summary: "deposit stake into a vault's pool for its shares",
  usage: `--vault ADDRESS --amount AMOUNT [--receiver ADDRESS]

Deposits AMOUNT of the stake token (e.g. 100, 0.5, or base units like 1500wei) into the vault's pool and mints
its shares to you (or --receiver). Shares are priced net of pending slashes. Approves the vault first if needed.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'vault deposit',
      args,
      {
        vault: { type: 'string' },
        amount: { type: 'string' },
        receiver: { type: 'string' },
      },
      (v) => {
        parseAddress('--vault', str(v, 'vault'))
        optionalAddress('--receiver', str(v, 'receiver'))
      },
    )
    const vault = await requireVault(s.ctx, parseAddress('--vault', str(s.values, 'vault')))
    const assets = parseAmount('amount', str(s.values, 'amount'), s.ctx.stake)
    const receiver = optionalAddress('--receiver', str(s.values, 'receiver')) ?? s.account.address
    const [view, label, operator, shares, slashes] = await Promise.all([
      readVault(s.ctx.reader, vault),
      vaultLabel(s.ctx, vault),
      operatorOf(s.ctx, vault),
      s.ctx.reader.public.readContract({
        address: vault,
        abi: operatorVaultAbi,
        functionName: 'previewDeposit',
        args: [assets],
      }),
      readOpenSlashes(s.ctx.reader, s.ctx.fromBlock),
    ])
    const pending = slashes.filter((x) => x.details.vault.toLowerCase() === vault.toLowerCase())
    const shareToken = { symbol: label.symbol, decimals: 18 }
    // a share is worth about 0.001 STK (the vault's 1,000 virtual shares guard against the inflation attack), so
    // the price is quoted per 1,000 shares, as the dashboard does
    await write(
      s,
      {
        explain: [
          `deposit ${formatToken(assets, s.ctx.stake)} into vault ${vault} ("${label.name}") of operator ${operator}:`,
          `  ${receiver === s.account.address ? 'you receive' : `${receiver} receives`} ≈ ${formatToken(shares, shareToken)} at ${formatToken(view.sharePrice * 1000n, s.ctx.stake)} per 1,000 shares`,
          pending.length > 0
            ? `  ${plural(pending.length, 'pending slash', 'pending slashes')} (${formatToken(view.pendingLiabilities, s.ctx.stake)}) ${pending.length === 1 ? 'is' : 'are'} priced in`
            : '  no pending slashes',
          `  withdrawals wait ${duration(view.withdrawalDelay)} and stay slashable until paid`,
        ],
        call: { address: vault, abi: operatorVaultAbi, functionName: 'deposit', args: [assets, receiver] },
        approval: {
          token: s.ctx.deployment.addresses.stakeToken,
          spender: vault,
          amount: assets,
          spenderName: 'vault',
        },
        send: () => deposit(s.client, { vault, assets, receiver }),
      },
      (minted) =>
        `deposited ${formatToken(assets, s.ctx.stake)}; minted ${formatToken(minted, shareToken)} to ${receiver}`,
    )
  },
}
