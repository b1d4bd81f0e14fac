import { InvalidInputError } from '../../../errors.ts'
import { serviceRegistryAbi } from '../../../sdk/abis.ts'
import { addAttesterBond } from '../../../sdk/index.ts'
import { requireService } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, parseId, SIGNER_HELP, str } from '../../lib/options.ts'
import { formatToken, parseAmount } from '../../lib/units.ts'
import { attesterInfo } from './info.ts'

export const sub: Sub = {
  summary: 'add to your attester bond (raises your weight in a quorum)',
  usage: `--service ID --amount AMOUNT

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'attester bond',
      args,
      { service: { type: 'string' }, amount: { type: 'string' } },
      (v) => {
        parseId('--service', str(v, 'service'))
      },
    )
    const serviceId = await requireService(s.ctx, parseId('--service', str(s.values, 'service')))
    const amount = parseAmount('amount', str(s.values, 'amount'), s.ctx.stake)
    const info = await attesterInfo(s.ctx, serviceId, s.account.address)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    if (!info.active)
      throw new InvalidInputError(
        `${s.account.address} is not an active attester of service #${serviceId}: join first with \`surety attester join\``,
      )
    const registry = s.ctx.deployment.addresses.registry
    await write(
      s,
      {
        explain: [
          `add ${t(amount)} to your attester bond on service #${serviceId}: ${t(info.bond)} → ${t(info.bond + amount)}`,
        ],
        call: {
          address: registry,
          abi: serviceRegistryAbi,
          functionName: 'addAttesterBond',
          args: [serviceId, amount],
        },
        approval: {
          token: s.ctx.deployment.addresses.stakeToken,
          spender: registry,
          amount,
          spenderName: 'service registry',
        },
        send: () => addAttesterBond(s.client, { serviceId, amount }),
      },
      () => `attester bond on service #${serviceId} is now ${t(info.bond + amount)}`,
    )
  },
}
