/** RewardsDistributor events: fees and subsidies in, distributions (the reward-per-stake accumulator), weights. */
import type { Row } from '../db/schema.ts'
import type { EventMeta } from '../events.ts'
import { newAllocation } from './rows.ts'
import { type ContractHandlers, type HandlerContext, lc, read } from './types.ts'

const changeService = (ctx: HandlerContext, serviceId: bigint, fn: (s: Row<'services'>) => void) =>
  ctx.change('services', { service_id: Number(serviceId) }, fn)

function rewardEvent(
  ctx: HandlerContext,
  e: EventMeta,
  kind: Row<'reward_events'>['kind'],
  serviceId: bigint,
  account: string | null,
  amount: bigint,
  after: bigint | null,
) {
  ctx.append('reward_events', {
    block_number: Number(e.blockNumber),
    log_index: e.logIndex,
    timestamp: Number(e.timestamp),
    kind,
    service_id: Number(serviceId),
    account,
    amount,
    commission: null,
    after,
  })
}

export const rewardsHandlers: ContractHandlers<'rewards'> = {
  FeeAdded: {
    reads: (e) => [read('services', { service_id: Number(e.args.serviceId) })],
    apply(e, ctx) {
      changeService(ctx, e.args.serviceId, (s) => {
        s.fees_added += e.args.amount
      })
      rewardEvent(ctx, e, 'fee', e.args.serviceId, lc(e.args.from), e.args.amount, null)
    },
  },
  SubsidyFunded: {
    reads: (e) => [read('services', { service_id: Number(e.args.serviceId) })],
    apply(e, ctx) {
      changeService(ctx, e.args.serviceId, (s) => {
        s.subsidy_funded += e.args.amount
        s.subsidy_balance = e.args.balance
      })
      rewardEvent(ctx, e, 'subsidy', e.args.serviceId, lc(e.args.from), e.args.amount, e.args.balance)
    },
  },
  SubsidyRateSet: {
    reads: (e) => [read('services', { service_id: Number(e.args.serviceId) })],
    apply(e, ctx) {
      changeService(ctx, e.args.serviceId, (s) => {
        s.subsidy_rate_per_second = e.args.ratePerSecond
      })
    },
  },
  RewardsDistributed: {
    reads: (e) => [read('services', { service_id: Number(e.args.serviceId) })],
    apply(e, ctx) {
      changeService(ctx, e.args.serviceId, (s) => {
        s.rewards_distributed += e.args.amount
        s.acc_per_stake = e.args.accPerStake
      })
      rewardEvent(ctx, e, 'distributed', e.args.serviceId, null, e.args.amount, e.args.accPerStake)
    },
  },
  VaultStakeChanged: {
    reads: (e) => [
      read('services', { service_id: Number(e.args.serviceId) }),
      read('allocations', { vault: lc(e.args.vault), service_id: Number(e.args.serviceId) }),
    ],
    apply(e, ctx) {
      const vault = lc(e.args.vault)
      const id = Number(e.args.serviceId)
      ctx.change(
        'allocations',
        { vault, service_id: id },
        (a) => {
          a.reward_stake = e.args.stake
        },
        () => newAllocation(vault, id),
      )
      changeService(ctx, e.args.serviceId, (s) => {
        s.reward_stake = e.args.totalStake
      })
    },
  },
}
