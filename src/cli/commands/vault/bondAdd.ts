import { depositBond, operatorVaultAbi, readVault } from '../../../sdk/index.ts'
import { vaultOf } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, SIGNER_HELP, str } from '../../lib/options.ts'
import { formatToken, parseAmount } from '../../lib/units.ts'

export const sub: Sub = {
  summary: "add to your vault's first-loss bond (operator)",
  usage: `--amount AMOUNT

The operator adds AMOUNT of the stake token to its bond: slashes take from it before they touch stakers, and
allocations need a minimum bond. Approves the vault first if needed.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite('vault bond add', args, { amount: { type: 'string' } })
    const vault = await vaultOf(s.ctx, s.account.address)
    const amount = parseAmount('amount', str(s.values, 'amount'), s.ctx.stake)
    const view = await readVault(s.ctx.reader, vault)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    await write(
      s,
      {
        explain: [
          `add ${t(amount)} to the first-loss bond of your vault ${vault}: ${t(view.bondAssets)} → ${t(view.bondAssets + amount)}`,
          `  the bond is slashed before stakers and stays slashable until a bond withdrawal is claimed`,
        ],
        call: { address: vault, abi: operatorVaultAbi, functionName: 'depositBond', args: [amount] },
        approval: {
          token: s.ctx.deployment.addresses.stakeToken,
          spender: vault,
          amount,
          spenderName: 'vault',
        },
        send: () => depositBond(s.client, { vault, amount }),
      },
      () => `bond of vault ${vault} is now ${t(view.bondAssets + amount)}`,
    )
  },
}
