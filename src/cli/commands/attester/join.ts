import { InvalidInputError } from '../../../errors.ts'
import { serviceRegistryAbi } from '../../../sdk/abis.ts'
import { joinCommittee } from '../../../sdk/index.ts'
import { requireService } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, parseId, SIGNER_HELP, str } from '../../lib/options.ts'
import { when } from '../../lib/time.ts'
import { formatToken, parseAmount } from '../../lib/units.ts'
import { readService } from '../service/read.ts'
import { attesterInfo } from './info.ts'

export const sub: Sub = {
  summary: "join a service's committee by posting a bond (approved attesters)",
  usage: `--service ID --bond AMOUNT

An attester the service owner approved (or a founding one) joins the committee by posting at least the
service's minimum attester bond; its weight in a quorum is its bond. Approves the registry first if needed.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'attester join',
      args,
      { service: { type: 'string' }, bond: { type: 'string' } },
      (v) => {
        parseId('--service', str(v, 'service'))
      },
    )
    const serviceId = await requireService(s.ctx, parseId('--service', str(s.values, 'service')))
    const bond = parseAmount('bond', str(s.values, 'bond'), s.ctx.stake)
    const [service, info, now] = await Promise.all([
      readService(s.ctx, serviceId),
      attesterInfo(s.ctx, serviceId, s.account.address),
      s.ctx.now(),
    ])
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    if (info.active)
      throw new InvalidInputError(
        `${s.account.address} is already an attester of service #${serviceId} (bond ${t(info.bond)}): add bond with \`surety attester bond\``,
      )
    if (info.approvedAt === 0n)
      throw new InvalidInputError(
        `${s.account.address} is not approved for service #${serviceId}: ask its owner ${service.owner} to approve it`,
      )
    if (info.approvedAt > now)
      throw new InvalidInputError(
        `${s.account.address} may join service #${serviceId} only from ${when(info.approvedAt, now)}`,
      )
    if (bond < service.params.minAttesterBond)
      throw new InvalidInputError(
        `the bond must be at least ${t(service.params.minAttesterBond)} on service #${serviceId}; you offered ${t(bond)}`,
      )
    const registry = s.ctx.deployment.addresses.registry
    await write(
      s,
      {
        explain: [
          `join the committee of service #${serviceId} with a bond of ${t(bond)} (${service.committee.length} members now)`,
          `  a report you sign that the resolver overturns costs ${service.params.attesterPenaltyBps / 100}% of your bond; leaving keeps it locked for the change delay`,
        ],
        call: {
          address: registry,
          abi: serviceRegistryAbi,
          functionName: 'joinCommittee',
          args: [serviceId, bond],
        },
        approval: {
          token: s.ctx.deployment.addresses.stakeToken,
          spender: registry,
          amount: bond,
          spenderName: 'service registry',
        },
        send: () => joinCommittee(s.client, { serviceId, bond }),
      },
      () => `${s.account.address} joined the committee of service #${serviceId} with ${t(bond)}`,
    )
  },
}
