import { InvalidInputError } from '../../../errors.ts'
import { serviceRegistryAbi } from '../../../sdk/abis.ts'
import { applyServiceChange, cancelServiceChange, queueServiceChange } from '../../../sdk/index.ts'
import { requireService } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, parseId, SIGNER_HELP, str } from '../../lib/options.ts'
import { parseServiceSpec } from '../../lib/serviceSpec.ts'
import { duration, when } from '../../lib/time.ts'
import { classLine, readService, termLines } from './read.ts'
import { queuedChange } from './show.ts'

export const sub: Sub = {
  summary: "queue a change of a service's terms (--spec), apply it when due (--apply) or drop it (--cancel)",
  usage: `ID (--spec FILE | --apply | --cancel)

--spec queues new terms (owner): fields the file leaves out keep their current values; \`classes\`, if given,
replaces them all (a class may not get harsher). The change applies after the registry's change delay, long
enough for every staker to leave; then anyone applies it with --apply. --cancel drops it (owner).

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'service change',
      args,
      { spec: { type: 'string' }, apply: { type: 'boolean' }, cancel: { type: 'boolean' } },
      (v, pos) => {
        parseId('ID', pos[0])
        if ([v.spec, v.apply, v.cancel].filter((x) => x !== undefined).length !== 1)
          throw new InvalidInputError('give one of --spec FILE, --apply or --cancel')
      },
    )
    const serviceId = await requireService(s.ctx, parseId('ID', s.positionals[0]))
    const registry = s.ctx.deployment.addresses.registry
    const [change, now] = await Promise.all([queuedChange(s.ctx, serviceId), s.ctx.now()])
    if (s.values.apply || s.values.cancel) {
      if (!change) throw new InvalidInputError(`service #${serviceId} has no queued change`)
      const apply = s.values.apply === true
      if (apply && now < change.readyAt)
        throw new InvalidInputError(
          `the change of service #${serviceId} may apply only from ${when(change.readyAt, now)}`,
        )
      await write(
        s,
        {
          explain: [
            `${apply ? 'apply' : 'cancel'} the queued change of service #${serviceId} (due ${when(change.readyAt, now)})`,
          ],
          call: {
            address: registry,
            abi: serviceRegistryAbi,
            functionName: apply ? 'applyServiceChange' : 'cancelServiceChange',
            args: [serviceId],
          },
          send: () =>
            apply
              ? applyServiceChange(s.client, { serviceId })
              : cancelServiceChange(s.client, { serviceId }),
        },
        () => `service #${serviceId}: change ${apply ? 'applied' : 'cancelled'}`,
      )
      return
    }
    const current = await readService(s.ctx, serviceId)
    const spec = parseServiceSpec(str(s.values, 'spec')!, s.ctx.stake)
    if (spec.attesters)
      throw new InvalidInputError(
        'spec.attesters: a change cannot replace the committee; approve or remove attesters instead',
      )
    const params = { ...current.params, ...spec.params }
    const classes = spec.classes ?? current.classes
    const delay = BigInt(s.ctx.deployment.paramChangeDelay)
    await write(
      s,
      {
        explain: [
          `queue new terms for service #${serviceId}; they apply after ${duration(delay)}, from ${when(now + delay, now)}:`,
          ...termLines(s.ctx, params).map((l) => `  ${l}`),
          ...classes.map((c, i) => `  ${classLine(c, i)}`),
        ],
        call: {
          address: registry,
          abi: serviceRegistryAbi,
          functionName: 'queueServiceChange',
          args: [serviceId, params, classes],
        },
        send: () => queueServiceChange(s.client, { serviceId, params, classes }),
      },
      () =>
        `change of service #${serviceId} queued; apply it from ${when(now + delay, now)} with \`surety service change ${serviceId} --apply\``,
    )
  },
}
