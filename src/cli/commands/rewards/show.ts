import type { Address } from 'viem'
import { readClaimableRewards, readServiceRewards, readUnsweptFees } from '../../../sdk/readRewards.ts'
import { readAllocation } from '../../../sdk/readVault.ts'
import { allVaults } from '../../lib/allVaults.ts'
import { requireService, requireVault, serviceCount } from '../../lib/chain.ts'
import { beginRead } from '../../lib/command.ts'
import type { Context } from '../../lib/connect.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { CONNECTION_HELP, optionalAddress, parseId, str } from '../../lib/options.ts'
import { chooseSource, sourceLine, unlessNotIndexed } from '../../lib/readSource.ts'
import { table } from '../../lib/table.ts'
import { duration } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { rewardsFromApi } from './fromApi.ts'

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
    const source = await chooseSource(s.ctx, s.values)
    // a service the index does not hold yet (created since its block) sends the read to the chain
    const fromApi = source
      ? await unlessNotIndexed(rewardsFromApi(s.ctx, source.api, ids, vaultGiven))
      : undefined
    const services = fromApi ?? (await rewardsFromChain(s.ctx, ids, vaultGiven))
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
    if (source && fromApi) console.log(sourceLine(source))
  },
}

/** The same from the contracts: every vault asked about every service. */
async function rewardsFromChain(ctx: Context, ids: bigint[], vaultGiven: Address | undefined) {
  const vaults = vaultGiven ? [vaultGiven] : await allVaults(ctx)
  return Promise.all(
    ids.map(async (serviceId) => {
      const [stream, unswept] = await Promise.all([
        readServiceRewards(ctx.reader, serviceId),
        readUnsweptFees(ctx.reader, serviceId),
      ])
      const claims = (
        await Promise.all(
          vaults.map(async (vault) => ({
            vault,
            claimable: await readClaimableRewards(ctx.reader, serviceId, vault),
            weight: (await readAllocation(ctx.reader, vault, serviceId)).weight,
          })),
        )
      ).filter((c) => c.claimable > 0n || c.weight > 0n)
      return { serviceId, ...stream, unsweptFees: unswept, vaults: claims }
    }),
  )
}
