import { InvalidInputError } from '../../../errors.ts'
import { serviceRegistryAbi } from '../../../sdk/abis.ts'
import { createService } from '../../../sdk/index.ts'
import { defaultServiceParams } from '../../../sdk/serviceDefaults.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, SIGNER_HELP, str } from '../../lib/options.ts'
import { parseServiceSpec } from '../../lib/serviceSpec.ts'
import { plural } from '../../lib/table.ts'
import { classLine, termLines } from './read.ts'

export const sub: Sub = {
  summary: 'create a service from a YAML or JSON spec file (you own it)',
  usage: `--spec FILE

FILE (YAML or JSON) names the ServiceParams fields (docs/cli.md, docs/protocol.md); what it leaves out takes the
defaults (a 2-day dispute window, 3-day resolution, 60% quorum, …; resolver: you). Durations as 2h or 3d,
*Bps fields as 60% or basis points, amounts in the stake token. \`classes\` lists the violation classes
(basePenaltyBps, jailDuration, permanentBan) and \`attesters\` the founding committee, who then join with
\`surety attester join\`. Example: examples/service.yaml.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite('service create', args, { spec: { type: 'string' } }, (v) => {
      if (!str(v, 'spec'))
        throw new InvalidInputError('--spec FILE is required (YAML or JSON; see examples/service.yaml)')
    })
    const spec = parseServiceSpec(str(s.values, 'spec')!, s.ctx.stake)
    if (!spec.classes) throw new InvalidInputError('spec.classes is required: at least one violation class')
    const params = defaultServiceParams(s.account.address, spec.params)
    const attesters = spec.attesters ?? []
    await write(
      s,
      {
        explain: [
          `create a service owned by ${s.account.address} with ${plural(spec.classes.length, 'violation class', 'violation classes')} and ${plural(attesters.length, 'founding attester')}:`,
          ...termLines(s.ctx, params).map((l) => `  ${l}`),
          ...spec.classes.map((c, i) => `  ${classLine(c, i)}`),
        ],
        call: {
          address: s.ctx.deployment.addresses.registry,
          abi: serviceRegistryAbi,
          functionName: 'createService',
          args: [params, spec.classes, attesters],
        },
        send: () => createService(s.client, { params, classes: spec.classes!, attesters }),
      },
      (id) => [
        `service #${id} created`,
        attesters.length
          ? `  next: each attester joins with \`surety attester join --service ${id} --bond AMOUNT\``
          : `  next: approve attesters, then operators allocate with \`surety allocate --service ${id}\``,
      ],
    )
  },
}
