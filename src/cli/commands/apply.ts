/** `surety apply` — applies a matured allocation increase (anyone), within a day of maturing. */
import { InvalidInputError } from '../../errors.ts'
import { applyAllocation, operatorVaultAbi } from '../../sdk/index.ts'
import { ALLOCATION_OPTIONS, APPLY_WINDOW, allocationTarget, checkAllocationArgs } from '../lib/allocation.ts'
import { beginWrite, write } from '../lib/command.ts'
import { CONNECTION_HELP, SIGNER_HELP } from '../lib/options.ts'
import { when } from '../lib/time.ts'
import { formatToken } from '../lib/units.ts'
import type { Command } from '../main.ts'

const usage = `Usage: surety apply --service ID [--vault ADDRESS]

Applies the allocation increase queued with \`surety allocate\` once the vault's exposure delay has passed,
within one day of maturing (later it lapses and must be queued again). Anyone may apply; --vault defaults to the
signer's own vault.

${CONNECTION_HELP}

${SIGNER_HELP}`

export const command: Command = {
  summary: 'apply a matured allocation increase (anyone)',
  usage,
  async run(args) {
    const s = await beginWrite('apply', args, ALLOCATION_OPTIONS, checkAllocationArgs)
    const { vault, serviceId, allocation, now } = await allocationTarget(s)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    const { queuedIncrease: increase, increaseReadyAt: readyAt } = allocation
    if (increase === 0n)
      throw new InvalidInputError(
        `vault ${vault} has no increase queued on service #${serviceId}: queue one with \`surety allocate\``,
      )
    if (now < readyAt)
      throw new InvalidInputError(
        `the increase of ${t(increase)} on service #${serviceId} may apply only from ${when(readyAt, now)}`,
      )
    if (now > readyAt + APPLY_WINDOW)
      throw new InvalidInputError(
        `the increase of ${t(increase)} on service #${serviceId} lapsed ${when(readyAt + APPLY_WINDOW, now)} (not applied within a day of maturing): queue it again with \`surety allocate\``,
      )
    await write(
      s,
      {
        explain: [
          `apply +${t(increase)} on service #${serviceId} for vault ${vault}: ${t(allocation.amount)} → ${t(allocation.amount + increase)}, effective now`,
          `  (matured ${when(readyAt, now)}; lapses ${when(readyAt + APPLY_WINDOW, now)})`,
        ],
        call: { address: vault, abi: operatorVaultAbi, functionName: 'applyAllocation', args: [serviceId] },
        send: () => applyAllocation(s.client, { vault, serviceId }),
      },
      () => `allocation of vault ${vault} to service #${serviceId} is now ${t(allocation.amount + increase)}`,
    )
  },
}
