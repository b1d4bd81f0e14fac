import type { Address } from 'viem'
import { InvalidInputError } from '../../../errors.ts'
import { operatorVaultAbi } from '../../../sdk/abis.ts'
import { readAllocation, readVault } from '../../../sdk/readVault.ts'
import { requireVault, serviceCount, vaultLabel, vaultOf } from '../../lib/chain.ts'
import { beginRead } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { CONNECTION_HELP, optionalAddress } from '../../lib/options.ts'
import { chooseSource, sourceLine } from '../../lib/readSource.ts'
import { loadAccount } from '../../lib/signer.ts'
import { percent, table } from '../../lib/table.ts'
import { duration, when } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { vaultReportFromApi } from './fromApi.ts'

export const sub: Sub = {
  summary: "a vault's tranches, share price, terms and allocations with what applies when",
  usage: `[VAULT]

Shows VAULT, or the signer's own vault when none is given (key from SURETY_PRIVATE_KEY or --keystore).

${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('vault show', args, { keystore: { type: 'string' } })
    let vault = optionalAddress('VAULT', s.positionals[0])
    if (vault) await requireVault(s.ctx, vault)
    else {
      if (!process.env.SURETY_PRIVATE_KEY && !s.values.keystore && !process.env.SURETY_KEYSTORE)
        throw new InvalidInputError(
          'which vault? pass VAULT (see `surety vault list`), or set your key to see your own',
        )
      vault = await vaultOf(s.ctx, (await loadAccount(s.values)).address)
    }
    const source = await chooseSource(s.ctx, s.values)
    const [fromApi, now] = await Promise.all([
      source ? vaultReportFromApi(s.ctx, source.api, vault) : undefined,
      s.ctx.now(),
    ])
    // a vault the index does not hold yet (created since its block) is read from the chain
    const { view, label, ...rest } = fromApi ?? (await vaultReportFromChain(s.ctx, vault))
    const report = { ...view, ...label, now, ...rest }
    if (s.json) return void printJson(report)
    printVault(s.ctx, report)
    if (source && fromApi) console.log(sourceLine(source))
  },
}

type Ctx = Parameters<typeof requireVault>[0]

type VaultReport = NonNullable<Awaited<ReturnType<typeof vaultReportFromApi>>>

async function vaultReportFromChain(ctx: Ctx, vault: Address): Promise<VaultReport> {
  const read = (functionName: 'pendingTerms' | 'bondWithdrawal') =>
    ctx.reader.public.readContract({ address: vault, abi: operatorVaultAbi, functionName })
  const [view, label, count, pendingTerms, bondWithdrawal] = await Promise.all([
    readVault(ctx.reader, vault),
    vaultLabel(ctx, vault),
    serviceCount(ctx),
    read('pendingTerms'),
    read('bondWithdrawal'),
  ])
  const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1))
  const allocations = (await Promise.all(ids.map((id) => readAllocation(ctx.reader, vault, id)))).filter(
    (a) => a.amount > 0n || a.queuedIncrease > 0n || a.queuedDecrease > 0n,
  )
  const [commissionBps, restakingCapBps, termsReadyAt] = pendingTerms as readonly [number, number, number]
  const [bondAmount, bondReadyAt] = bondWithdrawal as readonly [bigint, number]
  return {
    view,
    label,
    allocations,
    pendingTerms: termsReadyAt > 0 ? { commissionBps, restakingCapBps, readyAt: termsReadyAt } : null,
    bondWithdrawal: bondAmount > 0n ? { amount: bondAmount, readyAt: bondReadyAt } : null,
  }
}

function printVault(
  ctx: Ctx,
  r: VaultReport['view'] & VaultReport['label'] & Omit<VaultReport, 'view' | 'label'> & { now: bigint },
) {
  const t = (x: bigint) => formatToken(x, ctx.stake)
  const price = formatToken(r.sharePrice, ctx.stake)
  console.log(`Vault ${r.vault}  "${r.name}" (${r.symbol})`)
  console.log(`  operator          ${r.operator}`)
  console.log(`  bond (first loss) ${t(r.bondAssets)}   minimum for its allocations ${t(r.minimumBond)}`)
  console.log(
    `  pool (stakers)    ${t(r.poolAssets)}   in ${formatToken(r.totalSupply, { symbol: r.symbol, decimals: 18 })}`,
  )
  console.log(`  pending slashes   ${t(r.pendingLiabilities)}   (priced into deposits and withdrawals)`)
  console.log(`  share price       ${price} per ${r.symbol}, net of pending slashes`)
  console.log(
    `  allocated         ${t(r.totalAllocated)} of a cap of ${percent(r.restakingCapBps)} of the stake`,
  )
  console.log(
    `  terms             commission ${percent(r.commissionBps)}; withdrawals wait ${duration(r.withdrawalDelay)}, allocation increases ${duration(r.exposureDelay)}`,
  )
  if (r.pendingTerms)
    console.log(
      `  queued terms      commission ${percent(r.pendingTerms.commissionBps)}, cap ${percent(r.pendingTerms.restakingCapBps)}: may apply from ${when(r.pendingTerms.readyAt, r.now)}`,
    )
  if (r.bondWithdrawal)
    console.log(
      `  bond withdrawal   ${t(r.bondWithdrawal.amount)} claimable from ${when(r.bondWithdrawal.readyAt, r.now)} for a day`,
    )
  if (r.allocations.length === 0) return console.log('  no allocations')
  console.log('')
  console.log(
    table(
      ['service', 'allocated', 'counted', 'slashable now', 'held by slashes', 'queued'],
      r.allocations.map((a) => [
        `#${a.serviceId}`,
        t(a.amount),
        t(a.weight),
        t(a.slashableStake),
        t(a.pendingSlashes),
        [
          a.queuedIncrease > 0n ? `+${t(a.queuedIncrease)} from ${when(a.increaseReadyAt, r.now)}` : '',
          a.queuedDecrease > 0n ? `-${t(a.queuedDecrease)} from ${when(a.decreaseReadyAt, r.now)}` : '',
        ]
          .filter(Boolean)
          .join('; ') || '-',
      ]),
      ['left', 'right', 'right', 'right', 'right', 'left'],
    ),
  )
}
