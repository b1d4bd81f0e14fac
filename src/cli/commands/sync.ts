/** `surety sync` — brings a vault's counted weight on a service to its effective allocation (anyone). */
import { operatorVaultAbi, syncAllocation } from '../../sdk/index.ts'
import { readAllocation } from '../../sdk/readVault.ts'
import { ALLOCATION_OPTIONS, allocationTarget, checkAllocationArgs } from '../lib/allocation.ts'
import { beginWrite, write } from '../lib/command.ts'
import { CONNECTION_HELP, SIGNER_HELP } from '../lib/options.ts'
import { formatToken } from '../lib/units.ts'
import type { Command } from '../main.ts'

const usage = `Usage: surety sync --service ID [--vault ADDRESS]

Brings the vault's reward and correlation weight on the service to its effective allocation (the limit held to
its share of the stake; 0 once banned). Anyone may call it: a vault whose stake fell must stop earning on stake it
no longer has.

${CONNECTION_HELP}

${SIGNER_HELP}`

export const command: Command = {
  summary: "bring a vault's counted weight on a service to its real stake (anyone)",
  usage,
  async run(args) {
    const s = await beginWrite('sync', args, ALLOCATION_OPTIONS, checkAllocationArgs)
    const { vault, serviceId, allocation } = await allocationTarget(s)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    await write(
      s,
      {
        explain: [
          `sync vault ${vault} on service #${serviceId}: counted weight now ${t(allocation.weight)} (allocation limit ${t(allocation.amount)})`,
        ],
        call: { address: vault, abi: operatorVaultAbi, functionName: 'syncAllocation', args: [serviceId] },
        send: () => syncAllocation(s.client, { vault, serviceId }),
      },
      async () =>
        `counted weight of vault ${vault} on service #${serviceId} is now ${t((await readAllocation(s.ctx.reader, vault, serviceId)).weight)}`,
    )
  },
}
