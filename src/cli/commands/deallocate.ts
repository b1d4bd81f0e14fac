/** `surety deallocate` — queue an allocation decrease, or complete a matured one (--complete). */
import { InvalidInputError } from '../../errors.ts'
import {
  completeDeallocation,
  operatorVaultAbi,
  requestDeallocation,
  serviceRegistryAbi,
} from '../../sdk/index.ts'
import { ALLOCATION_OPTIONS, allocationTarget, checkAllocationArgs } from '../lib/allocation.ts'
import { beginWrite, write } from '../lib/command.ts'
import { CONNECTION_HELP, SIGNER_HELP, str } from '../lib/options.ts'
import { duration, when } from '../lib/time.ts'
import { formatToken, parseAmount } from '../lib/units.ts'
import type { Command } from '../main.ts'

const usage = `Usage: surety deallocate --service ID (--amount AMOUNT | --complete) [--vault ADDRESS]

--amount queues a decrease of the operator's allocation to the service; it waits out the service's slashing
pipeline (dispute window + resolution deadline), so no reported incident escapes. --complete applies a matured
decrease (anyone), never below what pending slashes and open orders hold.

${CONNECTION_HELP}

${SIGNER_HELP}`

export const command: Command = {
  summary: 'queue an allocation decrease, or complete a matured one (--complete)',
  usage,
  async run(args) {
    const s = await beginWrite(
      'deallocate',
      args,
      { ...ALLOCATION_OPTIONS, amount: { type: 'string' }, complete: { type: 'boolean' } },
      (v) => {
        checkAllocationArgs(v)
        if ((v.amount === undefined) === (v.complete === undefined))
          throw new InvalidInputError('give one of --amount AMOUNT or --complete')
      },
    )
    const { vault, serviceId, allocation, now } = await allocationTarget(s)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    if (s.values.complete) {
      if (allocation.queuedDecrease === 0n)
        throw new InvalidInputError(
          `vault ${vault} has no decrease queued on service #${serviceId}: queue one with --amount`,
        )
      if (now < allocation.decreaseReadyAt)
        throw new InvalidInputError(
          `the decrease of ${t(allocation.queuedDecrease)} can be completed only from ${when(allocation.decreaseReadyAt, now)}`,
        )
      await write(
        s,
        {
          explain: [
            `complete the decrease of ${t(allocation.queuedDecrease)} on service #${serviceId} for vault ${vault}: ${t(allocation.amount)} → ${t(allocation.amount - allocation.queuedDecrease)}`,
          ],
          call: {
            address: vault,
            abi: operatorVaultAbi,
            functionName: 'completeDeallocation',
            args: [serviceId],
          },
          send: () => completeDeallocation(s.client, { vault, serviceId }),
        },
        () => `decrease completed on service #${serviceId}`,
      )
      return
    }
    const decrease = parseAmount('amount', str(s.values, 'amount'), s.ctx.stake)
    if (decrease > allocation.amount)
      throw new InvalidInputError(
        `vault ${vault} has only ${t(allocation.amount)} allocated to service #${serviceId}: cannot decrease by ${t(decrease)}`,
      )
    const pipeline = await s.ctx.reader.public.readContract({
      address: s.ctx.deployment.addresses.registry,
      abi: serviceRegistryAbi,
      functionName: 'pipelineLength',
      args: [serviceId],
    })
    const readyAt = now + pipeline
    await write(
      s,
      {
        explain: [
          `queue -${t(decrease)} on service #${serviceId} for vault ${vault}: ${t(allocation.amount)} → ${t(allocation.amount - decrease)}`,
          `  it waits out the service's slashing pipeline (${duration(pipeline)}): complete it from ${when(readyAt, now)} with --complete`,
          `  until then the whole allocation stays slashable`,
        ],
        call: {
          address: vault,
          abi: operatorVaultAbi,
          functionName: 'requestDeallocation',
          args: [serviceId, decrease],
        },
        send: () => requestDeallocation(s.client, { vault, serviceId, decrease }),
      },
      () => `decrease of ${t(decrease)} queued; complete it from ${when(readyAt, now)}`,
    )
  },
}
