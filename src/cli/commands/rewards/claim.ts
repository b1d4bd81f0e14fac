import { InvalidInputError } from '../../../errors.ts'
import { operatorVaultAbi } from '../../../sdk/abis.ts'
import { claimRewards, readVault } from '../../../sdk/index.ts'
import { readClaimableRewards } from '../../../sdk/readRewards.ts'
import { requireService, requireVault } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, parseAddress, parseId, SIGNER_HELP, str } from '../../lib/options.ts'
import { percent } from '../../lib/table.ts'
import { formatToken } from '../../lib/units.ts'

export const sub: Sub = {
  summary: "collect a vault's rewards on a service into its share price (anyone)",
  usage: `--vault ADDRESS --service ID

Collects what the vault earned on the service: the operator's commission joins its bond, the rest raises the
price of every staker's shares (queued withdrawals do not gain). Anyone may run it; stakers usually do.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'rewards claim',
      args,
      { vault: { type: 'string' }, service: { type: 'string' } },
      (v) => {
        parseAddress('--vault', str(v, 'vault'))
        parseId('--service', str(v, 'service'))
      },
    )
    const vault = await requireVault(s.ctx, parseAddress('--vault', str(s.values, 'vault')))
    const serviceId = await requireService(s.ctx, parseId('--service', str(s.values, 'service')))
    const [claimable, view] = await Promise.all([
      readClaimableRewards(s.ctx.reader, serviceId, vault),
      readVault(s.ctx.reader, vault),
    ])
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    if (claimable === 0n)
      throw new InvalidInputError(`vault ${vault} has nothing to claim on service #${serviceId} yet`)
    // the commission rounds down in the vault: stakers get at least this much
    const commission = (claimable * BigInt(view.commissionBps)) / 10_000n
    await write(
      s,
      {
        explain: [
          `claim ≈ ${t(claimable)} of rewards for vault ${vault} on service #${serviceId}:`,
          `  ≈ ${t(claimable - commission)} raises the share price; ≈ ${t(commission)} (${percent(view.commissionBps)} commission) joins the operator's bond`,
        ],
        call: { address: vault, abi: operatorVaultAbi, functionName: 'claimRewards', args: [serviceId] },
        send: () => claimRewards(s.client, { vault, serviceId }),
      },
      (r) =>
        `claimed ${t(r.amount)}: ${t(r.amount - r.commission)} to the stakers, ${t(r.commission)} commission to the operator's bond`,
    )
  },
}
