/** Fresh rows: what an entity is before its first event says more (every amount 0, nothing queued). */
import { zeroAddress } from 'viem'
import type { NewRow } from './types.ts'

export const newVault = (vault: string): NewRow<'vaults'> => ({
  vault,
  operator: zeroAddress,
  withdrawal_delay: 0,
  commission_bps: 0,
  restaking_cap_bps: 0,
  pending_commission_bps: null,
  pending_restaking_cap_bps: null,
  pending_terms_ready_at: null,
  bond: 0n,
  bond_withdrawal_requested: 0n,
  bond_withdrawal_ready_at: null,
  pool_assets: 0n,
  pending_liabilities: 0n,
  total_supply: 0n,
  total_allocated: 0n,
  total_reserved: 0n,
  queued_assets: 0n,
  deposited: 0n,
  withdrawn: 0n,
  rewards_claimed: 0n,
  commission_earned: 0n,
  slashed_from_bond: 0n,
  slashed_from_pool: 0n,
})

export const newPosition = (vault: string, staker: string): NewRow<'positions'> => ({
  vault,
  staker,
  shares: 0n,
  deposited: 0n,
  withdrawn: 0n,
})

export const newAllocation = (vault: string, serviceId: number): NewRow<'allocations'> => ({
  vault,
  service_id: serviceId,
  amount: 0n,
  queued_increase: 0n,
  queued_ready_at: null,
  deallocation_requested: 0n,
  deallocation_ready_at: null,
  reserved: 0n,
  pending_slash: 0n,
  reward_stake: 0n,
  jailed_until: 0,
  banned: 0,
  reputation_score: 0n,
  reputation_scored_at: 0,
  order_successes: 0,
  order_failures: 0,
  rewards_claimed: 0n,
})

export const newAttester = (serviceId: number, attester: string): NewRow<'attesters'> => ({
  service_id: serviceId,
  attester,
  committee_index: null,
  bond: 0n,
  status: 'approval-queued',
  ready_at: null,
  slashed: 0n,
})

export const newCredit = (holder: string, account: string, kind: 'credit' | 'owed'): NewRow<'credits'> => ({
  holder,
  account,
  kind,
  credited: 0n,
  withdrawn: 0n,
})

export const newMilestone = (orderId: number, milestone: number): NewRow<'milestones'> => ({
  order_id: orderId,
  milestone,
  amount: null,
  fee: null,
  by_attesters: null,
  paid_at: null,
  result_hash: null,
})
