/**
 * `surety position` — a staker's positions across every vault: shares and their value, the pending slashes priced
 * in, what can be slashed and until when, queued withdrawals with their ETA, and the subsidy yield with its inputs.
 */
import type { Address } from 'viem'
import { InvalidInputError } from '../../errors.ts'
import { operatorVaultAbi, vaultFactoryAbi } from '../../sdk/abis.ts'
import { readServiceRewards } from '../../sdk/readRewards.ts'
import { readAllocation, readVault } from '../../sdk/readVault.ts'
import { serviceCount, vaultLabel } from '../lib/chain.ts'
import { beginRead } from '../lib/command.ts'
import { printJson } from '../lib/json.ts'
import { CONNECTION_HELP, optionalAddress, str } from '../lib/options.ts'
import { loadAccount } from '../lib/signer.ts'
import { percent, plural } from '../lib/table.ts'
import { when } from '../lib/time.ts'
import { formatToken } from '../lib/units.ts'
import { readQueuedWithdrawals } from '../lib/withdrawals.ts'
import type { Command } from '../main.ts'

const YEAR = 365n * 86_400n

const usage = `Usage: surety position [--staker ADDRESS] [--vault ADDRESS]

A staker's position in every vault it holds shares of (or has withdrawals queued in): shares and what they are
worth net of pending slashes, what the vault's allocations can slash and until when, queued withdrawals with
when they can be claimed, and the subsidy yield with its inputs. --staker defaults to the signer's address.

${CONNECTION_HELP}`

export const command: Command = {
  summary: "a staker's shares, value, pending slashes, slashable stake, queued withdrawals and yield",
  usage,
  async run(args) {
    const s = await beginRead(
      'position',
      args,
      { staker: { type: 'string' }, vault: { type: 'string' }, keystore: { type: 'string' } },
      (v) => {
        optionalAddress('--staker', str(v, 'staker'))
        optionalAddress('--vault', str(v, 'vault'))
      },
    )
    let staker = optionalAddress('--staker', str(s.values, 'staker'))
    if (!staker) {
      if (!process.env.SURETY_PRIVATE_KEY && !s.values.keystore && !process.env.SURETY_KEYSTORE)
        throw new InvalidInputError('whose position? pass --staker ADDRESS, or set your key to see your own')
      staker = (await loadAccount(s.values)).address
    }
    const only = optionalAddress('--vault', str(s.values, 'vault'))
    const vaults = only
      ? [only]
      : await s.ctx.reader.public.readContract({
          address: s.ctx.deployment.addresses.factory,
          abi: vaultFactoryAbi,
          functionName: 'allVaults',
        })
    const [count, now] = await Promise.all([serviceCount(s.ctx), s.ctx.now()])
    const positions = (
      await Promise.all(vaults.map((v) => positionIn(s.ctx, v, staker!, count, now)))
    ).filter((p) => p.shares > 0n || p.withdrawals.length > 0)
    if (s.json) return void printJson({ staker, now, positions })
    if (positions.length === 0)
      return void console.log(`${staker} holds no vault shares and has no withdrawals queued`)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    console.log(`Position of ${staker}`)
    for (const p of positions) {
      const shareToken = { symbol: p.symbol, decimals: 18 }
      console.log(`\nvault ${p.vault} "${p.name}" (operator ${p.operator})`)
      console.log(
        `  shares            ${formatToken(p.shares, shareToken)} worth ${t(p.value)} (${percent(p.poolShareBps)} of the pool)`,
      )
      console.log(
        `  pending slashes   ${p.pendingSlashes > 0n ? `${t(p.pendingSlashes)} on the vault, priced into your value (bond ${t(p.bond)} absorbs them first)` : 'none'}`,
      )
      if (p.allocations.length === 0) console.log('  slashable         nothing: the vault backs no service')
      else {
        console.log(
          `  slashable now     up to ${t(p.slashable)} of the vault across ${plural(p.allocations.length, 'service')} (${p.allocations.map((a) => `#${a.serviceId}: ${t(a.slashable)}`).join(', ')}); the bond ${t(p.bond)} goes first`,
        )
        console.log(
          `  slashable until   your shares are withdrawn: a withdrawal requested now is paid from ${when(p.exitAt, now)}`,
        )
      }
      for (const w of p.withdrawals)
        console.log(
          `  withdrawal #${w.id}     ${formatToken(w.shares, shareToken)}, pays ≈ ${t(w.claimableNow)}; ${w.readyAt <= now ? 'claimable now' : `claimable ${when(w.readyAt, now)}`} (slashable until then)`,
        )
      for (const y of p.yields)
        console.log(
          `  yield from #${y.serviceId}   ≈ ${y.aprBps === null ? 'n/a' : percent(y.aprBps)} a year: subsidy ${t(y.ratePerSecond)}/s × the vault's weight ${t(y.weight)} of ${t(y.totalStake)} counted, less ${percent(p.commissionBps)} commission, over a pool of ${t(p.pool)} (order fees come on top)`,
        )
    }
  },
}

type Ctx = Parameters<typeof serviceCount>[0]

async function positionIn(ctx: Ctx, vault: Address, staker: Address, count: bigint, now: bigint) {
  const [shares, view, label, withdrawals] = await Promise.all([
    ctx.reader.public.readContract({
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'balanceOf',
      args: [staker],
    }),
    readVault(ctx.reader, vault),
    vaultLabel(ctx, vault),
    readQueuedWithdrawals(ctx, vault, staker),
  ])
  if (shares === 0n && withdrawals.length === 0)
    return { vault, shares, withdrawals, allocations: [] } as unknown as Awaited<ReturnType<typeof full>>
  return full()
  async function full() {
    const value =
      shares === 0n
        ? 0n
        : await ctx.reader.public.readContract({
            address: vault,
            abi: operatorVaultAbi,
            functionName: 'previewRedeem',
            args: [shares],
          })
    const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1))
    const allocations = (await Promise.all(ids.map((id) => readAllocation(ctx.reader, vault, id)))).filter(
      (a) => a.amount > 0n,
    )
    const yields = await Promise.all(
      allocations.map(async (a) => {
        const r = await readServiceRewards(ctx.reader, a.serviceId)
        // what the pool earns a year at the current subsidy rate: the vault's share of the stream, less commission
        const toVault = r.totalStake === 0n ? 0n : (r.ratePerSecond * YEAR * a.weight) / r.totalStake
        const toPool = (toVault * BigInt(10_000 - view.commissionBps)) / 10_000n
        const aprBps = view.netPoolAssets === 0n ? null : Number((toPool * 10_000n) / view.netPoolAssets)
        return {
          serviceId: a.serviceId,
          ratePerSecond: r.ratePerSecond,
          totalStake: r.totalStake,
          weight: a.weight,
          aprBps,
        }
      }),
    )
    return {
      vault,
      name: label.name,
      symbol: label.symbol,
      operator: view.operator,
      shares,
      value,
      poolShareBps: view.totalSupply === 0n ? 0 : Number((shares * 10_000n) / view.totalSupply),
      pendingSlashes: view.pendingLiabilities,
      bond: view.bondAssets,
      pool: view.netPoolAssets,
      commissionBps: view.commissionBps,
      slashable: allocations.reduce((sum, a) => sum + a.slashableStake, 0n),
      allocations: allocations.map((a) => ({ serviceId: a.serviceId, slashable: a.slashableStake })),
      exitAt: now + BigInt(view.withdrawalDelay),
      withdrawals,
      yields,
    }
  }
}
