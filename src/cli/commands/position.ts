/**
 * `surety position` — a staker's positions across every vault: shares and their value, the pending slashes priced
 * in, what can be slashed and until when, queued withdrawals with their ETA, and the subsidy yield with its inputs.
 */
import { type Address, getAddress } from 'viem'
import { InvalidInputError } from '../../errors.ts'
import { toAssetsDown } from '../../model/sharesMath.ts'
import { operatorVaultAbi } from '../../sdk/abis.ts'
import { collect } from '../../sdk/api/createApiClient.ts'
import { readServiceRewards } from '../../sdk/readRewards.ts'
import { readAllocation, readVault } from '../../sdk/readVault.ts'
import { allVaults } from '../lib/allVaults.ts'
import { serviceCount, vaultLabel } from '../lib/chain.ts'
import { beginRead } from '../lib/command.ts'
import { printJson } from '../lib/json.ts'
import { CONNECTION_HELP, optionalAddress, str } from '../lib/options.ts'
import { type ApiSource, chooseSource, sourceLine } from '../lib/readSource.ts'
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
    const source = await chooseSource(s.ctx, s.values)
    const now = await s.ctx.now()
    const positions = source
      ? await positionsFromApi(s.ctx, source, staker, only, now)
      : await positionsFromChain(s.ctx, staker, only, now)
    if (s.json) return void printJson({ staker, now, positions })
    const origin = source ? `\n${sourceLine(source)}` : ''
    if (positions.length === 0)
      return void console.log(`${staker} holds no vault shares and has no withdrawals queued${origin}`)
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
    if (source) console.log(origin)
  },
}

async function positionsFromChain(ctx: Ctx, staker: Address, only: Address | undefined, now: bigint) {
  const vaults = only ? [only] : await allVaults(ctx)
  const count = await serviceCount(ctx)
  return (await Promise.all(vaults.map((v) => positionIn(ctx, v, staker, count, now)))).filter(
    (p) => p.shares > 0n || p.withdrawals.length > 0,
  )
}

type PositionView = Awaited<ReturnType<typeof positionsFromChain>>[number]

/**
 * What the subsidy stream pays the pool a year at the current rate: the vault's share of the stream (its weight of
 * the service's counted stake), less commission, over the pool net of pending slashes. Rounded down (an estimate
 * must not promise more than is paid).
 */
function yieldOf(
  r: { ratePerSecond: bigint; totalStake: bigint },
  weight: bigint,
  commissionBps: number,
  pool: bigint,
) {
  const toVault = r.totalStake === 0n ? 0n : (r.ratePerSecond * YEAR * weight) / r.totalStake
  const toPool = (toVault * BigInt(10_000 - commissionBps)) / 10_000n
  return pool === 0n ? null : Number((toPool * 10_000n) / pool)
}

/**
 * The same positions from the API: the staker's positions and unclaimed withdrawals, each vault's figures and
 * allocations, the services' subsidy rates. What the index does not hold is read from the chain by plain calls (no
 * log scan): the vault's name and symbol, and each allocation's slashable stake (it depends on the allocation's
 * share of the vault, which the index does not keep).
 */
async function positionsFromApi(
  ctx: Ctx,
  source: ApiSource,
  staker: Address,
  only: Address | undefined,
  now: bigint,
): Promise<PositionView[]> {
  const { api } = source
  const [held, queued] = await Promise.all([
    collect(api.stakers.positions.all(staker, { limit: 500 })),
    collect(api.stakers.withdrawals.all(staker, { claimed: false, limit: 500 })),
  ])
  const addresses = new Set([
    ...held.filter((p) => BigInt(p.shares.base) > 0n).map((p) => p.vault),
    ...queued.filter((w) => BigInt(w.shares.base) > 0n).map((w) => w.vault),
  ])
  if (only) for (const a of [...addresses]) if (a !== only.toLowerCase()) addresses.delete(a)
  const vaults = (await Promise.all([...addresses].map((a) => api.vaults.get(a).then((r) => r.data)))).sort(
    (a, b) => a.createdBlock - b.createdBlock,
  )
  const rates = new Map<string, Promise<{ ratePerSecond: bigint; totalStake: bigint }>>()
  const rewardsOf = (serviceId: string) => {
    let r = rates.get(serviceId)
    if (!r) {
      r = api.services.get(serviceId).then(({ data }) => ({
        ratePerSecond: BigInt(data.rewards.subsidyRatePerSecond.base),
        totalStake: BigInt(data.rewardStake.base),
      }))
      rates.set(serviceId, r)
    }
    return r
  }
  return Promise.all(
    vaults.map(async (v) => {
      const vault = getAddress(v.address)
      const big = (a: { base: string }) => BigInt(a.base)
      const shares = big(held.find((p) => p.vault === v.address)?.shares ?? { base: '0' })
      const pool = big(v.netPoolAssets)
      const totalShares = big(v.totalShares)
      const [label, allocations] = await Promise.all([
        vaultLabel(ctx, vault),
        collect(api.allocations.all({ vault: v.address, limit: 500 })),
      ])
      const live = allocations
        .filter((a) => big(a.amount) > 0n)
        .sort((a, b) => Number(BigInt(a.serviceId) - BigInt(b.serviceId)))
      const slashable = await Promise.all(
        live.map((a) =>
          ctx.reader.public.readContract({
            address: vault,
            abi: operatorVaultAbi,
            functionName: 'slashableStake',
            args: [BigInt(a.serviceId)],
          }),
        ),
      )
      const yields = await Promise.all(
        live.map(async (a) => {
          const r = await rewardsOf(a.serviceId)
          const weight = big(a.rewardStake)
          return {
            serviceId: BigInt(a.serviceId),
            ratePerSecond: r.ratePerSecond,
            totalStake: r.totalStake,
            weight,
            aprBps: yieldOf(r, weight, v.commissionBps, pool),
          }
        }),
      )
      const withdrawals = queued
        .filter((w) => w.vault === v.address && big(w.shares) > 0n)
        .sort((a, b) => a.id - b.id)
        .map((w) => {
          // a claim pays min(assets at the request's rate, the shares' value now), as previewWithdrawal reads it
          const valueNow = toAssetsDown(big(w.shares), pool, totalShares)
          const atRequest = big(w.assets)
          return {
            id: BigInt(w.id),
            shares: big(w.shares),
            assetsAtRequest: atRequest,
            claimableNow: atRequest < valueNow ? atRequest : valueNow,
            readyAt: BigInt(w.readyAt.unix),
          }
        })
      return {
        vault,
        name: label.name,
        symbol: label.symbol,
        operator: getAddress(v.operator),
        shares,
        value: shares === 0n ? 0n : toAssetsDown(shares, pool, totalShares),
        poolShareBps: totalShares === 0n ? 0 : Number((shares * 10_000n) / totalShares),
        pendingSlashes: big(v.pendingLiabilities),
        bond: big(v.bond),
        pool,
        commissionBps: v.commissionBps,
        slashable: slashable.reduce((sum, x) => sum + x, 0n),
        allocations: live.map((a, i) => ({ serviceId: BigInt(a.serviceId), slashable: slashable[i]! })),
        exitAt: now + BigInt(v.withdrawalDelaySeconds),
        withdrawals,
        yields,
      }
    }),
  )
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
        const aprBps = yieldOf(r, a.weight, view.commissionBps, view.netPoolAssets)
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
