/** `surety allocate` — the operator queues an allocation increase; it applies after the exposure delay. */
import { InvalidInputError } from '../../errors.ts'
import { allocate, operatorVaultAbi } from '../../sdk/index.ts'
import { ALLOCATION_OPTIONS, APPLY_WINDOW, allocationTarget, checkAllocationArgs } from '../lib/allocation.ts'
import { beginWrite, write } from '../lib/command.ts'
import { CONNECTION_HELP, SIGNER_HELP, str } from '../lib/options.ts'
import { percent } from '../lib/table.ts'
import { duration, when } from '../lib/time.ts'
import { formatToken, parseAmount } from '../lib/units.ts'
import type { Command } from '../main.ts'

const usage = `Usage: surety allocate --service ID --amount AMOUNT [--vault ADDRESS]

The operator queues an increase of its vault's allocation to a service by AMOUNT (replacing an increase already
queued). It does not apply at once: stakers get the vault's exposure delay (twice its withdrawal delay) to leave,
then anyone applies it with \`surety apply --service ID\` within one day (after that it lapses). The restaking
cap, the stake and the minimum bond are checked now and again when it applies.

${CONNECTION_HELP}

${SIGNER_HELP}`

export const command: Command = {
  summary: 'queue an allocation increase to a service (applies after the exposure delay)',
  usage,
  async run(args) {
    const s = await beginWrite(
      'allocate',
      args,
      { ...ALLOCATION_OPTIONS, amount: { type: 'string' } },
      checkAllocationArgs,
    )
    const { vault, serviceId, view, allocation, now } = await allocationTarget(s)
    const increase = parseAmount('amount', str(s.values, 'amount'), s.ctx.stake)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    const stake = await s.ctx.reader.public.readContract({
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'totalStake',
    })
    const total = view.totalAllocated + increase
    if (stake === 0n)
      throw new InvalidInputError(
        `vault ${vault} has no stake yet: add bond (surety vault bond add) or take deposits first`,
      )
    const ratioBps = (total * 10_000n) / stake
    if (ratioBps > BigInt(view.restakingCapBps))
      throw new InvalidInputError(
        `this allocation would take the vault to ${percent(ratioBps)} of its stake (${t(total)} allocated of ${t(stake)}); its restaking cap is ${percent(view.restakingCapBps)}: allocate at most ${t((stake * BigInt(view.restakingCapBps)) / 10_000n - view.totalAllocated)} more`,
      )
    const readyAt = now + BigInt(view.exposureDelay)
    await write(
      s,
      {
        explain: [
          `queue +${t(increase)} on service #${serviceId} for vault ${vault}: ${t(allocation.amount)} → ${t(allocation.amount + increase)}`,
          `  the vault would then be ${percent(ratioBps)} allocated (cap ${percent(view.restakingCapBps)})`,
          allocation.queuedIncrease > 0n ? `  replaces the queued +${t(allocation.queuedIncrease)}` : '',
          `  stakers get ${duration(view.exposureDelay)} to leave; then apply it with \`surety apply --service ${serviceId}\` from ${when(readyAt, now)} until ${when(readyAt + APPLY_WINDOW, now)}`,
        ].filter(Boolean),
        call: {
          address: vault,
          abi: operatorVaultAbi,
          functionName: 'allocate',
          args: [serviceId, increase],
        },
        send: () => allocate(s.client, { vault, serviceId, increase }),
      },
      () =>
        `queued +${t(increase)} on service #${serviceId}; it may apply from ${when(readyAt, now)} (surety apply --service ${serviceId})`,
    )
  },
}
