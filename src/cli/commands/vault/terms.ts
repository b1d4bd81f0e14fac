import { InvalidInputError } from '../../../errors.ts'
import { applyVaultTerms, operatorVaultAbi, readVault, setVaultTerms } from '../../../sdk/index.ts'
import { requireVault, vaultOf } from '../../lib/chain.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, optionalAddress, SIGNER_HELP, str } from '../../lib/options.ts'
import { percent } from '../../lib/table.ts'
import { when } from '../../lib/time.ts'
import { parseBps } from '../../lib/units.ts'

export const sub: Sub = {
  summary: "change your vault's commission and restaking cap, or apply queued terms (--apply)",
  usage: `[--commission 10%] [--restaking-cap 150%] | --apply [--vault ADDRESS]

Decreases apply at once; increases are queued for the vault's exposure delay so stakers can leave first, then
applied by anyone with --apply within a day.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'vault terms',
      args,
      {
        commission: { type: 'string' },
        'restaking-cap': { type: 'string' },
        apply: { type: 'boolean' },
        vault: { type: 'string' },
      },
      (v) => {
        if (!v.apply && v.commission === undefined && v['restaking-cap'] === undefined)
          throw new InvalidInputError('give --commission and/or --restaking-cap, or --apply')
      },
    )
    const given = optionalAddress('--vault', str(s.values, 'vault'))
    const vault = given ? await requireVault(s.ctx, given) : await vaultOf(s.ctx, s.account.address)
    const [view, pending, now] = await Promise.all([
      readVault(s.ctx.reader, vault),
      s.ctx.reader.public.readContract({
        address: vault,
        abi: operatorVaultAbi,
        functionName: 'pendingTerms',
      }),
      s.ctx.now(),
    ])
    if (s.values.apply) {
      const [c, cap, readyAt] = pending as readonly [number, number, number]
      if (readyAt === 0) throw new InvalidInputError(`vault ${vault} has no queued terms`)
      await write(
        s,
        {
          explain: [
            `apply the queued terms of vault ${vault}: commission ${percent(c)}, restaking cap ${percent(cap)} (ready ${when(readyAt, now)})`,
          ],
          call: { address: vault, abi: operatorVaultAbi, functionName: 'applyTerms', args: [] },
          send: () => applyVaultTerms(s.client, { vault }),
        },
        () => `terms applied: commission ${percent(c)}, restaking cap ${percent(cap)}`,
      )
      return
    }
    const commissionBps =
      str(s.values, 'commission') === undefined
        ? view.commissionBps
        : parseBps('commission', str(s.values, 'commission')!, 5000)
    const restakingCapBps =
      str(s.values, 'restaking-cap') === undefined
        ? view.restakingCapBps
        : parseBps('restaking-cap', str(s.values, 'restaking-cap')!, 100_000)
    const raises = commissionBps > view.commissionBps || restakingCapBps > view.restakingCapBps
    const readyAt = now + BigInt(view.exposureDelay)
    await write(
      s,
      {
        explain: [
          `set the terms of vault ${vault}: commission ${percent(view.commissionBps)} → ${percent(commissionBps)}, restaking cap ${percent(view.restakingCapBps)} → ${percent(restakingCapBps)}`,
          raises
            ? `  an increase: queued until ${when(readyAt, now)}, then \`surety vault terms --apply\` within a day`
            : '  decreases only: they apply at once',
        ],
        call: {
          address: vault,
          abi: operatorVaultAbi,
          functionName: 'setTerms',
          args: [commissionBps, restakingCapBps],
        },
        send: () => setVaultTerms(s.client, { vault, commissionBps, restakingCapBps }),
      },
      () => (raises ? `terms queued; apply them from ${when(readyAt, now)}` : 'terms applied'),
    )
  },
}
