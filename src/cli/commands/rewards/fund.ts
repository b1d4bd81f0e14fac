import { InvalidInputError } from '../../../errors.ts'
import { rewardsDistributorAbi, serviceRegistryAbi } from '../../../sdk/abis.ts'
import { fundSubsidy, setSubsidyRate } from '../../../sdk/index.ts'
import { readServiceRewards } from '../../../sdk/readRewards.ts'
import { requireService } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, parseId, SIGNER_HELP, str } from '../../lib/options.ts'
import { duration } from '../../lib/time.ts'
import { formatToken, parseAmount } from '../../lib/units.ts'

export const sub: Sub = {
  summary: "fund a service's subsidy (--amount, anyone) and set its rate per second (--rate, owner)",
  usage: `--service ID [--amount AMOUNT] [--rate AMOUNT]

--amount adds to the service's subsidy (approves the rewards contract first if needed); --rate, the service
owner only, sets how much of it streams to the allocated stake per second, from now.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'rewards fund',
      args,
      { service: { type: 'string' }, amount: { type: 'string' }, rate: { type: 'string' } },
      (v) => {
        parseId('--service', str(v, 'service'))
        if (v.amount === undefined && v.rate === undefined)
          throw new InvalidInputError(
            'give --amount AMOUNT to fund, --rate AMOUNT to set the rate per second, or both',
          )
      },
    )
    const serviceId = await requireService(s.ctx, parseId('--service', str(s.values, 'service')))
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    const rewards = s.ctx.deployment.addresses.rewards
    const stream = await readServiceRewards(s.ctx.reader, serviceId)
    const amount =
      str(s.values, 'amount') === undefined
        ? undefined
        : parseAmount('amount', str(s.values, 'amount'), s.ctx.stake)
    const rate =
      str(s.values, 'rate') === undefined
        ? undefined
        : parseAmount('rate', str(s.values, 'rate'), s.ctx.stake, { allowZero: true })
    if (rate !== undefined) {
      const owner = await s.ctx.reader.public.readContract({
        address: s.ctx.deployment.addresses.registry,
        abi: serviceRegistryAbi,
        functionName: 'serviceOwner',
        args: [serviceId],
      })
      if (owner.toLowerCase() !== s.account.address.toLowerCase())
        throw new InvalidInputError(
          `only service #${serviceId}'s owner ${owner} may set its subsidy rate (anyone may fund it)`,
        )
    }
    if (amount !== undefined) {
      await write(
        s,
        {
          explain: [
            `fund the subsidy of service #${serviceId} with ${t(amount)}: ${t(stream.subsidyBalance)} → ${t(stream.subsidyBalance + amount)}`,
          ],
          call: {
            address: rewards,
            abi: rewardsDistributorAbi,
            functionName: 'fundSubsidy',
            args: [serviceId, amount],
          },
          approval: {
            token: s.ctx.deployment.addresses.stakeToken,
            spender: rewards,
            amount,
            spenderName: 'rewards distributor',
          },
          send: () => fundSubsidy(s.client, { serviceId, amount }),
        },
        () => `funded service #${serviceId}'s subsidy with ${t(amount)}`,
      )
    }
    if (rate !== undefined) {
      const balance = stream.subsidyBalance + (amount ?? 0n)
      await write(
        s,
        {
          explain: [
            `stream service #${serviceId}'s subsidy at ${t(rate)} per second (was ${t(stream.ratePerSecond)})${rate > 0n ? `: ${t(balance)} lasts about ${duration(balance / rate)}` : ''}`,
          ],
          call: {
            address: rewards,
            abi: rewardsDistributorAbi,
            functionName: 'setSubsidyRate',
            args: [serviceId, rate],
          },
          send: () => setSubsidyRate(s.client, { serviceId, ratePerSecond: rate }),
        },
        () => `service #${serviceId}'s subsidy streams at ${t(rate)} per second`,
      )
    }
  },
}
