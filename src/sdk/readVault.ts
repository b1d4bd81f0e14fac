import type { Address } from 'viem'
import { netPoolAssets } from '../model/sharesMath.ts'
import { operatorVaultAbi } from './abis.ts'
import type { SuretyReader } from './types.ts'

export type VaultView = {
  vault: Address
  operator: Address
  withdrawalDelay: number
  bondAssets: bigint
  poolAssets: bigint
  pendingLiabilities: bigint
  queuedShares: bigint
  totalSupply: bigint
  /** Pool assets net of the part of pending slashes the bond cannot cover: what shares are priced on. */
  netPoolAssets: bigint
  /** Assets one whole share (10^18 base units) is worth now, net of pending slashes, rounded down. */
  sharePrice: bigint
  totalAllocated: bigint
  commissionBps: number
  restakingCapBps: number
  /** Seconds an exposure increase (allocation, restaking cap) waits: twice the withdrawal delay. */
  exposureDelay: number
  /** The least bond the operator must keep for what it has allocated (MIN_BOND_BPS of the exposure). */
  minimumBond: bigint
}

/** One vault's state and its derived read model, in a single multicall-free batch of reads. */
export async function readVault(reader: SuretyReader, vault: Address): Promise<VaultView> {
  const read = <F extends string>(functionName: F, args: readonly unknown[] = []) =>
    reader.public.readContract({
      address: vault,
      abi: operatorVaultAbi,
      functionName,
      args,
    } as any) as Promise<any>
  const [
    totals,
    totalSupply,
    operator,
    delay,
    totalAllocated,
    commissionBps,
    restakingCapBps,
    sharePrice,
    exposureDelay,
    minimumBond,
  ] = await Promise.all([
    read('totals'),
    read('totalSupply'),
    read('OPERATOR'),
    read('WITHDRAWAL_DELAY'),
    read('totalAllocated'),
    read('commissionBps'),
    read('restakingCapBps'),
    read('previewRedeem', [10n ** 18n]),
    read('EXPOSURE_DELAY'),
    read('minimumBond'),
  ])
  const [bondAssets, poolAssets, pendingLiabilities, queuedShares] = totals as [
    bigint,
    bigint,
    bigint,
    bigint,
  ]
  return {
    vault,
    operator,
    withdrawalDelay: Number(delay),
    bondAssets,
    poolAssets,
    pendingLiabilities,
    queuedShares,
    totalSupply,
    netPoolAssets: netPoolAssets(poolAssets, bondAssets, pendingLiabilities),
    sharePrice,
    totalAllocated,
    commissionBps: Number(commissionBps),
    restakingCapBps: Number(restakingCapBps),
    exposureDelay: Number(exposureDelay),
    minimumBond,
  }
}

export type AllocationView = {
  serviceId: bigint
  amount: bigint
  pendingSlashes: bigint
  queuedDecrease: bigint
  decreaseReadyAt: bigint
  /** What a new slash on this service could still take now (orders' collateral is held like pending slashes). */
  slashableStake: bigint
  /** An increase queued by `allocate`, and when `applyAllocation` may apply it (0 when none is queued). */
  queuedIncrease: bigint
  increaseReadyAt: bigint
  /** What the court and the rewards count: min(allocation, stake) as last synced, 0 once banned. */
  weight: bigint
}

/** A vault's allocation to one service: the limit, what slashes hold, what is slashable, queued changes. */
export async function readAllocation(
  reader: SuretyReader,
  vault: Address,
  serviceId: bigint,
): Promise<AllocationView> {
  const [[amount, pending, decrease, readyAt], slashable, [increase, increaseReadyAt, weight]] =
    await Promise.all([
      reader.public.readContract({
        address: vault,
        abi: operatorVaultAbi,
        functionName: 'allocation',
        args: [serviceId],
      }),
      reader.public.readContract({
        address: vault,
        abi: operatorVaultAbi,
        functionName: 'slashableStake',
        args: [serviceId],
      }),
      reader.public.readContract({
        address: vault,
        abi: operatorVaultAbi,
        functionName: 'exposure',
        args: [serviceId],
      }),
    ])
  return {
    serviceId,
    amount,
    pendingSlashes: pending,
    queuedDecrease: decrease,
    decreaseReadyAt: readyAt,
    slashableStake: slashable,
    queuedIncrease: increase,
    increaseReadyAt,
    weight,
  }
}

export type WithdrawalPreview = {
  shares: bigint
  assetsAtRequest: bigint
  /** What claiming would pay now: min(rate at request, rate now). */
  claimableNow: bigint
  readyAt: bigint
}

/** A queued withdrawal of `owner`'s, by id: its shares, what it was worth at request, what it pays now. */
export async function previewWithdrawal(
  reader: SuretyReader,
  vault: Address,
  owner: Address,
  id: bigint,
): Promise<WithdrawalPreview> {
  const [shares, assets, readyAt] = await reader.public.readContract({
    address: vault,
    abi: operatorVaultAbi,
    functionName: 'withdrawal',
    args: [owner, id],
  })
  const valueNow =
    shares === 0n
      ? 0n
      : await reader.public.readContract({
          address: vault,
          abi: operatorVaultAbi,
          functionName: 'previewRedeem',
          args: [shares],
        })
  return { shares, assetsAtRequest: assets, claimableNow: assets < valueNow ? assets : valueNow, readyAt }
}
