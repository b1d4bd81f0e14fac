/** An operator vault: bond, pool, shares and their price, allocations' totals, pending terms. */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { netPoolAssets, toAssetsDown } from '../../model/sharesMath.ts'
import { amount, optionalTime } from '../format.ts'
import { Address, Amount, Time } from './common.ts'
import { EntityMeta, entityMeta } from './meta.ts'

const ONE_SHARE = 10n ** 18n

export const Vault = Type.Object(
  {
    address: Address,
    operator: Address,
    withdrawalDelaySeconds: Type.Integer(),
    commissionBps: Type.Integer(),
    restakingCapBps: Type.Integer(),
    pendingTerms: Type.Union([
      Type.Object({
        commissionBps: Type.Integer(),
        restakingCapBps: Type.Integer(),
        readyAt: Type.Union([Time, Type.Null()]),
      }),
      Type.Null(),
    ]),
    bond: Amount,
    bondWithdrawal: Type.Union([
      Type.Object({ amount: Amount, readyAt: Type.Union([Time, Type.Null()]) }),
      Type.Null(),
    ]),
    poolAssets: Amount,
    pendingLiabilities: Amount,
    netPoolAssets: {
      ...Amount,
      description: 'pool assets less the part of pending slashes the bond cannot cover',
    },
    totalShares: Amount,
    sharePrice: {
      ...Amount,
      description: 'assets one whole share (10^18 base units) is worth now, rounded down as a withdrawal is',
    },
    totalAllocated: Amount,
    totalReserved: Amount,
    queuedAssets: Amount,
    deposited: Amount,
    withdrawn: Amount,
    rewardsClaimed: Amount,
    commissionEarned: Amount,
    slashedFromBond: Amount,
    slashedFromPool: Amount,
    ...EntityMeta,
  },
  { description: "an operator's vault: first-loss bond and delegated pool" },
)

/** The value of `shares` in this vault now: net of pending slashes, rounded down as a withdrawal would be. */
export function sharesValue(
  v: Pick<View<'vaults'>, 'poolAssets' | 'bond' | 'pendingLiabilities' | 'totalSupply'>,
  shares: bigint,
) {
  return toAssetsDown(shares, netPoolAssets(v.poolAssets, v.bond, v.pendingLiabilities), v.totalSupply)
}

export function vaultJson(v: View<'vaults'>, finalNumber: number, decimals: number) {
  const a = (x: bigint) => amount(x, decimals)
  return {
    address: v.vault,
    operator: v.operator,
    withdrawalDelaySeconds: v.withdrawalDelay,
    commissionBps: v.commissionBps,
    restakingCapBps: v.restakingCapBps,
    pendingTerms:
      v.pendingTermsReadyAt === null
        ? null
        : {
            commissionBps: v.pendingCommissionBps ?? v.commissionBps,
            restakingCapBps: v.pendingRestakingCapBps ?? v.restakingCapBps,
            readyAt: optionalTime(v.pendingTermsReadyAt),
          },
    bond: a(v.bond),
    bondWithdrawal:
      v.bondWithdrawalRequested === 0n
        ? null
        : { amount: a(v.bondWithdrawalRequested), readyAt: optionalTime(v.bondWithdrawalReadyAt) },
    poolAssets: a(v.poolAssets),
    pendingLiabilities: a(v.pendingLiabilities),
    netPoolAssets: a(netPoolAssets(v.poolAssets, v.bond, v.pendingLiabilities)),
    totalShares: amount(v.totalSupply, 18),
    sharePrice: a(sharesValue(v, ONE_SHARE)),
    totalAllocated: a(v.totalAllocated),
    totalReserved: a(v.totalReserved),
    queuedAssets: a(v.queuedAssets),
    deposited: a(v.deposited),
    withdrawn: a(v.withdrawn),
    rewardsClaimed: a(v.rewardsClaimed),
    commissionEarned: a(v.commissionEarned),
    slashedFromBond: a(v.slashedFromBond),
    slashedFromPool: a(v.slashedFromPool),
    ...entityMeta(v, finalNumber),
  }
}
