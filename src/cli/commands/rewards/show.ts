import { vaultFactoryAbi } from '../../../sdk/abis.ts'
import { readClaimableRewards, readServiceRewards, readUnsweptFees } from '../../../sdk/readRewards.ts'
import { readAllocation } from '../../../sdk/readVault.ts'
import { requireService, requireVault, serviceCount } from '../../lib/chain.ts'
import { beginRead } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { CONNECTION_HELP, optionalAddress, parseId, str } from '../../lib/options.ts'
import { table } from '../../lib/table.ts'
import { duration } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'

export const sub: Sub = {
  summary: "each service's subsidy stream and what each vault can claim",
  usage: `[--service ID] [--vault ADDRESS]

${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('rewards show', args, {
      service: { type: 'string' },
      vault: { type: 'string' },
    })
    const only =
      str(s.values, 'service') === undefined
        ? undefined
        : await requireService(s.ctx, parseId('--service', str(s.values, 'service')))
    const vaultGiven = optionalAddress('--vault', str(s.values, 'vault'))
    if (vaultGiven) await requireVault(s.ctx, vaultGiven)
    const ids = only
      ? [only]
      : Array.from({ length: Number(await serviceCount(s.ctx)) }, (_, i) => BigInt(i + 1))
    const vaults = vaultGiven
      ? [vaultGiven]
      : await s.ctx.reader.public.readContract({
          address: s.ctx.deployment.addresses.factory,
          abi: vaultFactoryAbi,
          functionName: 'allVaults',
        })
    const services = await Promise.all(
      ids.map(async (serviceId) => {
        const [stream, unswept] = await Promise.all([
          readServiceRewards(s.ctx.reader, serviceId),
          readUnsweptFees(s.ctx.reader, serviceId),
        ])
        const claims = (
          await Promise.all(
            vaults.map(async (vault) => ({
              vault,
              claimable: await readClaimableRewards(s.ctx.reader, serviceId, vault),
              weight: (await readAllocation(s.ctx.reader, vault, serviceId)).weight,
            })),
          )
        ).filter((c) => c.claimable > 0n || c.weight > 0n)
        return { serviceId, ...stream, unsweptFees: unswept, vaults: claims }
      }),
    )
    if (s.json) return void printJson(services)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    for (const x of services) {
      const left =
        x.ratePerSecond === 0n ? '' : `, lasting ${duration(x.subsidyBalance / x.ratePerSecond)} at that rate`
      console.log(
        `service #${x.serviceId}: subsidy ${t(x.ratePerSecond)}/s, ${t(x.subsidyBalance)} funded${left}; ${t(x.totalStake)} stake counted; ${t(x.unsweptFees)} order fees not yet swept`,
      )
      if (x.vaults.length)
        console.log(
          table(
            ['  vault', 'weight', 'claimable'],
            x.vaults.map((v) => [`  ${v.vault}`, t(v.weight), t(v.claimable)]),
            ['left', 'right', 'right'],
          ),
        )
    }
  },
}
