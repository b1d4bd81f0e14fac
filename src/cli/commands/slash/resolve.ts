import { InvalidInputError } from '../../../errors.ts'
import { serviceRegistryAbi, slashingCourtAbi } from '../../../sdk/abis.ts'
import { resolveSlash } from '../../../sdk/index.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, SIGNER_HELP, str } from '../../lib/options.ts'
import { when } from '../../lib/time.ts'
import { formatToken, parseAmount } from '../../lib/units.ts'
import { checkSlashId, slashTarget } from './target.ts'

export const sub: Sub = {
  summary: "the service's resolver rules on a disputed slash: --uphold [AMOUNT] or --overturn",
  usage: `SLASH_ID (--uphold [--amount AMOUNT] | --overturn)

--uphold lets the slash go ahead (all of it, or --amount of it) and pays the dispute bond to the reporters;
--overturn cancels it, returns the dispute bond and takes the penalty from the signing attesters' bonds.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'slash resolve',
      args,
      { uphold: { type: 'boolean' }, overturn: { type: 'boolean' }, amount: { type: 'string' } },
      (v, pos) => {
        checkSlashId(v, pos)
        if (!v.uphold === !v.overturn) throw new InvalidInputError('give one of --uphold or --overturn')
        if (v.overturn && v.amount !== undefined)
          throw new InvalidInputError('--amount goes with --uphold only')
      },
    )
    const { id, slash, now } = await slashTarget(s)
    const d = slash.details
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    const resolver = await s.ctx.reader.public.readContract({
      address: s.ctx.deployment.addresses.registry,
      abi: serviceRegistryAbi,
      functionName: 'resolverOf',
      args: [d.serviceId],
    })
    if (resolver.toLowerCase() !== s.account.address.toLowerCase())
      throw new InvalidInputError(
        `only service #${d.serviceId}'s resolver ${resolver} may rule on slash ${id.slice(0, 10)}…`,
      )
    if (slash.status !== 'Disputed')
      throw new InvalidInputError(
        `slash ${id.slice(0, 10)}… is ${slash.status.toLowerCase()}: only a disputed slash is resolved`,
      )
    if (now > slash.resolveBy)
      throw new InvalidInputError(
        `the resolution deadline of slash ${id.slice(0, 10)}… passed ${when(slash.resolveBy, now)}: it can only lapse now`,
      )
    const upheld = s.values.overturn
      ? 0n
      : str(s.values, 'amount') === undefined
        ? d.amount
        : parseAmount('amount', str(s.values, 'amount'), s.ctx.stake)
    if (upheld > d.amount)
      throw new InvalidInputError(`--amount ${t(upheld)} is more than the slash of ${t(d.amount)}`)
    await write(
      s,
      {
        explain: [
          upheld === 0n
            ? `overturn slash ${id.slice(0, 10)}… of ${t(d.amount)}: cancelled; the operator gets its dispute bond back and the signing attesters are penalised`
            : `uphold ${t(upheld)} of slash ${id.slice(0, 10)}… (${t(d.amount)} requested): anyone may then execute it; the dispute bond goes to the reporters`,
        ],
        call: {
          address: s.ctx.deployment.addresses.court,
          abi: slashingCourtAbi,
          functionName: 'resolve',
          args: [d, upheld],
        },
        send: () => resolveSlash(s.client, { details: d, upheldAmount: upheld }),
      },
      () =>
        upheld === 0n
          ? `slash ${id} overturned`
          : `slash ${id} upheld at ${t(upheld)}: execute it with \`surety slash execute ${id}\``,
    )
  },
}
