/**
 * Vaults from the HTTP API in the shapes `readNetwork`, `readVault` and `readAllocation` give, so `vault list` and
 * `vault show` print the same lines, and the same JSON, from either source. What the index does not keep is read
 * from the chain by plain calls, never a log scan: the share token's name and symbol, the least bond the vault's
 * allocations require (a factory constant times them), and each allocation's slashable stake (it depends on the
 * allocation's share of the vault's whole stake).
 */
import { type Address, getAddress } from 'viem'
import { operatorVaultAbi } from '../../../sdk/abis.ts'
import { type ApiClient, collect } from '../../../sdk/api/index.ts'
import { displayText, NAME_MAX, SYMBOL_MAX } from '../../../sdk/displayText.ts'
import type { AllocationView, VaultView } from '../../../sdk/readVault.ts'
import type { Context } from '../../lib/connect.ts'
import { unlessNotIndexed } from '../../lib/readSource.ts'

const big = (a: { base: string }) => BigInt(a.base)
const unix = (t: { unix: number } | null | undefined) => BigInt(t?.unix ?? 0)

/** Every vault as `readNetwork` lists them: creation order, the three tranches' figures. */
export async function vaultsFromApi(api: ApiClient) {
  const vaults = await collect(api.vaults.all({ sort: 'created', order: 'asc', limit: 500 }))
  return vaults.map((v) => ({
    vault: getAddress(v.address),
    operator: getAddress(v.operator),
    bondAssets: big(v.bond),
    poolAssets: big(v.poolAssets),
    pendingLiabilities: big(v.pendingLiabilities),
  }))
}

/**
 * One vault as `vault show` reports it (readVault's view, its queued terms and bond withdrawal, its allocations), or
 * undefined when the index does not hold it (yet): the caller reads the chain.
 */
export async function vaultReportFromApi(ctx: Context, api: ApiClient, vault: Address) {
  const answer = await unlessNotIndexed(api.vaults.get(vault))
  if (!answer) return undefined
  const v = answer.data
  const read = <F extends 'minimumBond' | 'slashableStake' | 'name' | 'symbol'>(
    functionName: F,
    args: readonly bigint[] = [],
  ) => ctx.reader.public.readContract({ address: vault, abi: operatorVaultAbi, functionName, args } as never)
  const [allocations, queued, minimumBond, name, symbol] = await Promise.all([
    collect(api.allocations.all({ vault, limit: 500 })),
    // the shares the vault holds for queued withdrawals: those of every withdrawal not yet claimed
    collect(api.vaults.withdrawals.all(vault, { claimed: false, limit: 500 })),
    read('minimumBond') as Promise<bigint>,
    // the operator wrote both: never print its escape sequences or hidden characters
    (read('name') as Promise<string>).then((n) => displayText(n, NAME_MAX)),
    (read('symbol') as Promise<string>).then((s) => displayText(s, SYMBOL_MAX)),
  ])
  const live = allocations
    .filter((a) => big(a.amount) > 0n || a.queuedIncrease !== null || a.deallocation !== null)
    .sort((a, b) => Number(BigInt(a.serviceId) - BigInt(b.serviceId)))
  const slashable = await Promise.all(
    live.map((a) => read('slashableStake', [BigInt(a.serviceId)]) as Promise<bigint>),
  )
  const view: VaultView = {
    vault: getAddress(v.address),
    operator: getAddress(v.operator),
    withdrawalDelay: v.withdrawalDelaySeconds,
    bondAssets: big(v.bond),
    poolAssets: big(v.poolAssets),
    pendingLiabilities: big(v.pendingLiabilities),
    queuedShares: queued.reduce((sum, w) => sum + big(w.shares), 0n),
    totalSupply: big(v.totalShares),
    netPoolAssets: big(v.netPoolAssets),
    sharePrice: big(v.sharePrice),
    totalAllocated: big(v.totalAllocated),
    commissionBps: v.commissionBps,
    restakingCapBps: v.restakingCapBps,
    // OperatorVault: EXPOSURE_DELAY = 2 * withdrawalDelay
    exposureDelay: 2 * v.withdrawalDelaySeconds,
    minimumBond,
  }
  const views: AllocationView[] = live.map((a, i) => ({
    serviceId: BigInt(a.serviceId),
    amount: big(a.amount),
    pendingSlashes: big(a.pendingSlash),
    queuedDecrease: a.deallocation ? big(a.deallocation.amount) : 0n,
    decreaseReadyAt: unix(a.deallocation?.readyAt),
    slashableStake: slashable[i]!,
    queuedIncrease: a.queuedIncrease ? big(a.queuedIncrease.amount) : 0n,
    increaseReadyAt: unix(a.queuedIncrease?.readyAt),
    weight: big(a.rewardStake),
  }))
  const terms = v.pendingTerms
  return {
    view,
    label: { name, symbol },
    allocations: views,
    pendingTerms: terms
      ? {
          commissionBps: terms.commissionBps,
          restakingCapBps: terms.restakingCapBps,
          readyAt: Number(unix(terms.readyAt)),
        }
      : null,
    bondWithdrawal: v.bondWithdrawal
      ? { amount: big(v.bondWithdrawal.amount), readyAt: Number(unix(v.bondWithdrawal.readyAt)) }
      : null,
  }
}
