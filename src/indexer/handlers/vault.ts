/**
 * OperatorVault events: the bond, the share pool and its exchange rate, stakers' positions and withdrawals,
 * allocations (queued increases, deallocations), reserved collateral, pending slashes, rewards claimed, credits.
 * `e.address` is the vault.
 */
import { zeroAddress } from 'viem'
import { time } from '../db/codec.ts'
import type { Row } from '../db/schema.ts'
import type { EventMeta } from '../events.ts'
import { ORDER_RESULTS } from '../status.ts'
import { newAllocation, newCredit, newPosition, newVault } from './rows.ts'
import { type ContractHandlers, type HandlerContext, lc, read } from './types.ts'

const vaultKey = (e: EventMeta) => ({ vault: lc(e.address) })
const vaultRead = (e: EventMeta) => read('vaults', vaultKey(e))
const allocKey = (e: EventMeta, serviceId: bigint) => ({
  vault: lc(e.address),
  service_id: Number(serviceId),
})

export const changeVault = (ctx: HandlerContext, vault: string, fn: (v: Row<'vaults'>) => void) =>
  ctx.change('vaults', { vault }, fn, () => newVault(vault))

/** The vault's share price inputs after this event: one exchange-rate row per vault and block (the last wins). */
export function recordRate(ctx: HandlerContext, e: EventMeta, v: Row<'vaults'>, cause: string) {
  ctx.append('vault_rates', {
    vault: v.vault,
    block_number: Number(e.blockNumber),
    log_index: e.logIndex,
    timestamp: Number(e.timestamp),
    pool_assets: v.pool_assets,
    pending_liabilities: v.pending_liabilities,
    total_supply: v.total_supply,
    bond: v.bond,
    cause,
  })
}

const changeAllocation = (
  ctx: HandlerContext,
  e: EventMeta,
  serviceId: bigint,
  fn: (a: Row<'allocations'>) => void,
) =>
  ctx.change('allocations', allocKey(e, serviceId), fn, () => newAllocation(lc(e.address), Number(serviceId)))

const changePosition = (
  ctx: HandlerContext,
  vault: string,
  staker: string,
  fn: (p: Row<'positions'>) => void,
) => ctx.change('positions', { vault, staker }, fn, () => newPosition(vault, staker))

export const vaultHandlers: ContractHandlers<'vault'> = {
  Transfer: {
    reads: (e) => [
      vaultRead(e),
      read('positions', { vault: lc(e.address), staker: lc(e.args.from) }),
      read('positions', { vault: lc(e.address), staker: lc(e.args.to) }),
    ],
    apply(e, ctx) {
      const vault = lc(e.address)
      const from = lc(e.args.from)
      const to = lc(e.args.to)
      const value = e.args.value
      if (from !== zeroAddress)
        changePosition(ctx, vault, from, (p) => {
          p.shares -= value
        })
      if (to !== zeroAddress)
        changePosition(ctx, vault, to, (p) => {
          p.shares += value
        })
      if (from === zeroAddress || to === zeroAddress) {
        const v = changeVault(ctx, vault, (v) => {
          v.total_supply += from === zeroAddress ? value : -value
        })
        recordRate(ctx, e, v!, e.name)
      }
    },
  },
  Deposited: {
    reads: (e) => [vaultRead(e), read('positions', { vault: lc(e.address), staker: lc(e.args.receiver) })],
    apply(e, ctx) {
      const v = changeVault(ctx, lc(e.address), (v) => {
        v.pool_assets += e.args.assets
        v.deposited += e.args.assets
      })
      changePosition(ctx, lc(e.address), lc(e.args.receiver), (p) => {
        p.deposited += e.args.assets
      })
      recordRate(ctx, e, v!, e.name)
    },
  },
  WithdrawalRequested: {
    reads: (e) => [
      vaultRead(e),
      read('withdrawals', {
        vault: lc(e.address),
        owner: lc(e.args.owner),
        withdrawal_id: Number(e.args.id),
      }),
    ],
    apply(e, ctx) {
      const vault = lc(e.address)
      changeVault(ctx, vault, (v) => {
        v.queued_assets += e.args.assets
      })
      const key = { vault, owner: lc(e.args.owner), withdrawal_id: Number(e.args.id) }
      ctx.change(
        'withdrawals',
        key,
        () => {},
        () => ({
          ...key,
          shares: e.args.shares,
          assets: e.args.assets,
          ready_at: time(e.args.readyAt),
          requested_at: Number(e.timestamp),
          claimed: 0,
          claimed_assets: null,
          receiver: null,
        }),
      )
    },
  },
  WithdrawalClaimed: {
    reads: (e) => [
      vaultRead(e),
      read('withdrawals', {
        vault: lc(e.address),
        owner: lc(e.args.owner),
        withdrawal_id: Number(e.args.id),
      }),
      read('positions', { vault: lc(e.address), staker: lc(e.args.owner) }),
    ],
    apply(e, ctx) {
      const vault = lc(e.address)
      const owner = lc(e.args.owner)
      const w = ctx.change('withdrawals', { vault, owner, withdrawal_id: Number(e.args.id) }, (w) => {
        w.claimed = 1
        w.claimed_assets = e.args.assets
        w.receiver = lc(e.args.receiver)
      })
      const v = changeVault(ctx, vault, (v) => {
        v.pool_assets -= e.args.assets
        // the promise made at request leaves the queue, whatever the claim paid (min of the two rates)
        v.queued_assets -= w?.assets ?? 0n
        v.withdrawn += e.args.assets
      })
      changePosition(ctx, vault, owner, (p) => {
        p.withdrawn += e.args.assets
      })
      recordRate(ctx, e, v!, e.name)
    },
  },
  BondDeposited: {
    reads: (e) => [vaultRead(e)],
    apply(e, ctx) {
      const v = changeVault(ctx, lc(e.address), (v) => {
        v.bond = e.args.bond
      })
      recordRate(ctx, e, v!, e.name)
    },
  },
  BondWithdrawalRequested: {
    reads: (e) => [vaultRead(e)],
    apply(e, ctx) {
      changeVault(ctx, lc(e.address), (v) => {
        v.bond_withdrawal_requested = e.args.amount
        v.bond_withdrawal_ready_at = time(e.args.readyAt)
      })
    },
  },
  BondWithdrawn: {
    reads: (e) => [vaultRead(e)],
    apply(e, ctx) {
      const v = changeVault(ctx, lc(e.address), (v) => {
        v.bond = e.args.bond
        v.bond_withdrawal_requested = 0n
        v.bond_withdrawal_ready_at = null
      })
      recordRate(ctx, e, v!, e.name)
    },
  },
  AllocationQueued: {
    reads: (e) => [read('allocations', allocKey(e, e.args.serviceId))],
    apply(e, ctx) {
      changeAllocation(ctx, e, e.args.serviceId, (a) => {
        a.queued_increase = e.args.increase
        a.queued_ready_at = time(e.args.readyAt)
      })
    },
  },
  Allocated: {
    reads: (e) => [vaultRead(e), read('allocations', allocKey(e, e.args.serviceId))],
    apply(e, ctx) {
      changeAllocation(ctx, e, e.args.serviceId, (a) => {
        a.amount = e.args.amount
        a.queued_increase = 0n
        a.queued_ready_at = null
      })
      changeVault(ctx, lc(e.address), (v) => {
        v.total_allocated = e.args.totalAllocated
      })
    },
  },
  DeallocationRequested: {
    reads: (e) => [read('allocations', allocKey(e, e.args.serviceId))],
    apply(e, ctx) {
      changeAllocation(ctx, e, e.args.serviceId, (a) => {
        a.deallocation_requested = e.args.decrease
        a.deallocation_ready_at = time(e.args.readyAt)
      })
    },
  },
  Deallocated: {
    reads: (e) => [vaultRead(e), read('allocations', allocKey(e, e.args.serviceId))],
    apply(e, ctx) {
      changeAllocation(ctx, e, e.args.serviceId, (a) => {
        a.amount = e.args.amount
        a.deallocation_requested = 0n
        a.deallocation_ready_at = null
      })
      changeVault(ctx, lc(e.address), (v) => {
        v.total_allocated = e.args.totalAllocated
      })
    },
  },
  RewardsClaimed: {
    reads: (e) => [vaultRead(e), read('allocations', allocKey(e, e.args.serviceId))],
    apply(e, ctx) {
      // the commission joins the operator's bond, the rest the pool (poolAssets is the pool after it)
      const v = changeVault(ctx, lc(e.address), (v) => {
        v.bond += e.args.commission
        v.pool_assets = e.args.poolAssets
        v.rewards_claimed += e.args.amount
        v.commission_earned += e.args.commission
      })
      changeAllocation(ctx, e, e.args.serviceId, (a) => {
        a.rewards_claimed += e.args.amount
      })
      ctx.append('reward_events', {
        block_number: Number(e.blockNumber),
        log_index: e.logIndex,
        timestamp: Number(e.timestamp),
        kind: 'claimed',
        service_id: Number(e.args.serviceId),
        account: lc(e.address),
        amount: e.args.amount,
        commission: e.args.commission,
        after: e.args.poolAssets,
      })
      recordRate(ctx, e, v!, e.name)
    },
  },
  TermsQueued: {
    reads: (e) => [vaultRead(e)],
    apply(e, ctx) {
      changeVault(ctx, lc(e.address), (v) => {
        v.pending_commission_bps = e.args.commissionBps
        v.pending_restaking_cap_bps = e.args.restakingCapBps
        v.pending_terms_ready_at = time(e.args.readyAt)
      })
    },
  },
  TermsChanged: {
    reads: (e) => [vaultRead(e)],
    apply(e, ctx) {
      changeVault(ctx, lc(e.address), (v) => {
        v.commission_bps = e.args.commissionBps
        v.restaking_cap_bps = e.args.restakingCapBps
        v.pending_commission_bps = null
        v.pending_restaking_cap_bps = null
        v.pending_terms_ready_at = null
      })
    },
  },
  SlashReserved: {
    reads: (e) => [vaultRead(e), read('allocations', allocKey(e, e.args.serviceId))],
    apply(e, ctx) {
      const v = changeVault(ctx, lc(e.address), (v) => {
        v.pending_liabilities = e.args.pendingLiabilities
      })
      changeAllocation(ctx, e, e.args.serviceId, (a) => {
        a.pending_slash += e.args.amount
      })
      recordRate(ctx, e, v!, e.name)
    },
  },
  SlashReleased: {
    reads: (e) => [vaultRead(e), read('allocations', allocKey(e, e.args.serviceId))],
    apply(e, ctx) {
      const v = changeVault(ctx, lc(e.address), (v) => {
        v.pending_liabilities = e.args.pendingLiabilities
      })
      changeAllocation(ctx, e, e.args.serviceId, (a) => {
        a.pending_slash -= e.args.amount
      })
      recordRate(ctx, e, v!, e.name)
    },
  },
  CollateralReserved: {
    reads: (e) => [vaultRead(e), read('allocations', allocKey(e, e.args.serviceId))],
    apply(e, ctx) {
      changeAllocation(ctx, e, e.args.serviceId, (a) => {
        a.reserved = e.args.reserved
      })
      changeVault(ctx, lc(e.address), (v) => {
        v.total_reserved = e.args.totalReserved
      })
    },
  },
  CollateralReleased: {
    reads: (e) => [vaultRead(e), read('allocations', allocKey(e, e.args.serviceId))],
    apply(e, ctx) {
      const result = ORDER_RESULTS[e.args.result]
      changeAllocation(ctx, e, e.args.serviceId, (a) => {
        a.reserved -= e.args.amount
        a.reputation_score = e.args.score
        a.reputation_scored_at = Number(e.timestamp)
        if (result === 'Succeeded') a.order_successes++
        else if (result === 'Failed') a.order_failures++
      })
      changeVault(ctx, lc(e.address), (v) => {
        v.total_reserved -= e.args.amount
      })
    },
  },
  Credited: {
    reads: (e) => [read('credits', { holder: lc(e.address), account: lc(e.args.account), kind: 'credit' })],
    apply(e, ctx) {
      changeCredit(ctx, lc(e.address), lc(e.args.account), 'credit', (c) => {
        c.credited += e.args.amount
      })
    },
  },
  CreditWithdrawn: {
    reads: (e) => [read('credits', { holder: lc(e.address), account: lc(e.args.account), kind: 'credit' })],
    apply(e, ctx) {
      changeCredit(ctx, lc(e.address), lc(e.args.account), 'credit', (c) => {
        c.withdrawn += e.args.amount
      })
    },
  },
}

export const changeCredit = (
  ctx: HandlerContext,
  holder: string,
  account: string,
  kind: 'credit' | 'owed',
  fn: (c: Row<'credits'>) => void,
) => ctx.change('credits', { holder, account, kind }, fn, () => newCredit(holder, account, kind))
