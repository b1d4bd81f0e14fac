import { InvalidInputError } from '../../../errors.ts'
import { serviceRegistryAbi } from '../../../sdk/abis.ts'
import { requestAttesterExit, withdrawAttesterBond } from '../../../sdk/index.ts'
import { requireService } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, parseId, SIGNER_HELP, str } from '../../lib/options.ts'
import { when } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { attesterInfo } from './info.ts'

export const sub: Sub = {
  summary: 'leave a committee; run again after the delay to withdraw the bond',
  usage: `--service ID

The first run leaves the committee at once (you stop counting toward quorum); the bond stays slashable for the
registry's change delay, so a report you signed can still be overturned against it. Run it again after that to
withdraw the bond.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite('attester exit', args, { service: { type: 'string' } }, (v) => {
      parseId('--service', str(v, 'service'))
    })
    const serviceId = await requireService(s.ctx, parseId('--service', str(s.values, 'service')))
    const [info, now] = await Promise.all([attesterInfo(s.ctx, serviceId, s.account.address), s.ctx.now()])
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    const registry = s.ctx.deployment.addresses.registry
    if (info.active) {
      const readyAt = now + BigInt(s.ctx.deployment.paramChangeDelay)
      await write(
        s,
        {
          explain: [
            `leave the committee of service #${serviceId} now; your bond of ${t(info.bond)} stays locked and slashable until ${when(readyAt, now)}`,
          ],
          call: {
            address: registry,
            abi: serviceRegistryAbi,
            functionName: 'requestAttesterExit',
            args: [serviceId],
          },
          send: () => requestAttesterExit(s.client, { serviceId }),
        },
        () =>
          `left the committee of service #${serviceId}; withdraw the bond from ${when(readyAt, now)} with \`surety attester exit --service ${serviceId}\``,
      )
      return
    }
    if (info.bond === 0n)
      throw new InvalidInputError(`${s.account.address} has no bond on service #${serviceId}`)
    if (info.exitReadyAt > now)
      throw new InvalidInputError(
        `your bond of ${t(info.bond)} on service #${serviceId} can be withdrawn only from ${when(info.exitReadyAt, now)}`,
      )
    await write(
      s,
      {
        explain: [`withdraw your attester bond of ${t(info.bond)} from service #${serviceId}`],
        call: {
          address: registry,
          abi: serviceRegistryAbi,
          functionName: 'withdrawAttesterBond',
          args: [serviceId],
        },
        send: () => withdrawAttesterBond(s.client, { serviceId }),
      },
      (amount) => `withdrew ${t(amount)} of attester bond from service #${serviceId}`,
    )
  },
}
