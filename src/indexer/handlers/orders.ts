/**
 * OrderBook events: orders with their parameters and terms, bids (and who leads), acceptance, milestones and
 * their committed results, lease settlements, the outcome (completed, failed with its slash, cancelled), fees
 * swept to the stakers, and refunds owed.
 */
import { zeroAddress } from 'viem'
import { decay } from '../../model/reputation.ts'
import type { Row } from '../db/schema.ts'
import { newMilestone } from './rows.ts'
import { type ContractHandlers, type HandlerContext, lc, read } from './types.ts'
import { changeCredit } from './vault.ts'

const orderKey = (orderId: bigint) => ({ order_id: Number(orderId) })
const orderRead = (orderId: bigint) => read('orders', orderKey(orderId))

const changeOrder = (ctx: HandlerContext, orderId: bigint, fn: (o: Row<'orders'>) => void) =>
  ctx.change('orders', orderKey(orderId), fn)

const changeMilestone = (
  ctx: HandlerContext,
  orderId: bigint,
  milestone: number,
  fn: (m: Row<'milestones'>) => void,
) =>
  ctx.change('milestones', { order_id: Number(orderId), milestone }, fn, () =>
    newMilestone(Number(orderId), milestone),
  )

/**
 * A vault's reputation on a service at `now` (ReputationLib.decay of the score its last release wrote). The vault
 * is the order's incumbent, known only once the order is read: its allocation is loaded here.
 */
async function reputationAt(
  ctx: HandlerContext,
  vault: string,
  serviceId: number,
  now: bigint,
): Promise<bigint> {
  const key = { vault, service_id: serviceId }
  await ctx.load(read('allocations', key))
  const a = ctx.get('allocations', key)
  if (!a) return 0n
  return decay(a.reputation_score, now - BigInt(a.reputation_scored_at))
}

export const ordersHandlers: ContractHandlers<'orders'> = {
  OrderOpened: {
    reads: (e) => [orderRead(e.args.orderId)],
    apply(e, ctx) {
      const p = e.args.params
      const t = e.args.terms
      const id = Number(e.args.orderId)
      ctx.change(
        'orders',
        { order_id: id },
        () => {},
        () => ({
          order_id: id,
          client: lc(p.client),
          service_id: Number(p.serviceId),
          payment_token: lc(p.paymentToken),
          named_vault: lc(p.vault),
          budget: p.budget,
          value: p.value,
          rate_per_second: p.ratePerSecond,
          bidding_ends: p.biddingEnds,
          deadline: p.deadline,
          milestones: p.milestones.toString(),
          fee_bps: p.feeBps,
          collateral_factor_bps: p.collateralFactorBps,
          collateral_floor_bps: p.collateralFloorBps,
          terms_hash: lc(t.termsHash),
          max_latency_ms: t.maxLatencyMs,
          min_uptime_bps: t.minUptimeBps,
          min_temp_centi_c: t.minTempCentiC,
          max_temp_centi_c: t.maxTempCentiC,
          pickup_by: t.pickupBy,
          device: lc(t.device),
          status: 'Open',
          vault: lc(p.vault),
          // the price the order pays until a bid beats it: a lease's rate or a job's budget
          price: p.ratePerSecond > 0n ? p.ratePerSecond : p.budget,
          collateral: 0n,
          milestones_paid: 0,
          paid_out: 0n,
          fees: 0n,
          refunded: 0n,
          streamed: 0n,
          accepted_at: null,
          failed_class_id: null,
          slash_id: null,
          opened_at: Number(e.timestamp),
        }),
      )
    },
  },
  BidPlaced: {
    reads: (e) => [
      orderRead(e.args.orderId),
      read('bids', { order_id: Number(e.args.orderId), vault: lc(e.args.vault) }),
    ],
    async apply(e, ctx) {
      const vault = lc(e.args.vault)
      const key = { order_id: Number(e.args.orderId), vault }
      const bid = { price: e.args.price, collateral: e.args.collateral, score: e.args.score }
      ctx.change(
        'bids',
        key,
        (b) => void Object.assign(b, bid),
        () => ({ ...key, ...bid }),
      )
      const o = ctx.get('orders', orderKey(e.args.orderId))
      if (!o) return
      // lowest price; on a tie the higher reputation now (the bidder's is in the event), then the incumbent
      const incumbent = o.vault
      const wins =
        incumbent === zeroAddress ||
        incumbent === vault ||
        e.args.price < o.price ||
        (e.args.price === o.price &&
          e.args.score > (await reputationAt(ctx, incumbent, o.service_id, e.timestamp)))
      if (wins) {
        changeOrder(ctx, e.args.orderId, (o) => {
          o.vault = vault
          o.price = e.args.price
        })
      }
    },
  },
  OrderAccepted: {
    reads: (e) => [orderRead(e.args.orderId)],
    apply(e, ctx) {
      changeOrder(ctx, e.args.orderId, (o) => {
        o.status = 'Active'
        o.vault = lc(e.args.vault)
        o.price = e.args.price
        o.collateral = e.args.collateral
        o.accepted_at = Number(e.timestamp)
        o.refunded += e.args.refund
      })
    },
  },
  MilestonePaid: {
    reads: (e) => [
      orderRead(e.args.orderId),
      read('milestones', { order_id: Number(e.args.orderId), milestone: e.args.milestone }),
    ],
    apply(e, ctx) {
      changeOrder(ctx, e.args.orderId, (o) => {
        o.milestones_paid = e.args.milestone + 1
        o.paid_out += e.args.amount
        o.fees += e.args.fee
      })
      changeMilestone(ctx, e.args.orderId, e.args.milestone, (m) => {
        m.amount = e.args.amount
        m.fee = e.args.fee
        m.by_attesters = e.args.byAttesters ? 1 : 0
        m.paid_at = Number(e.timestamp)
      })
    },
  },
  LeaseSettled: {
    reads: (e) => [orderRead(e.args.orderId)],
    apply(e, ctx) {
      changeOrder(ctx, e.args.orderId, (o) => {
        o.streamed = e.args.streamed
        o.paid_out += e.args.amount
        o.fees += e.args.fee
      })
    },
  },
  OrderCompleted: {
    reads: (e) => [orderRead(e.args.orderId)],
    apply(e, ctx) {
      changeOrder(ctx, e.args.orderId, (o) => {
        o.status = 'Completed'
      })
    },
  },
  OrderFailed: {
    reads: (e) => [orderRead(e.args.orderId)],
    apply(e, ctx) {
      changeOrder(ctx, e.args.orderId, (o) => {
        o.status = 'Failed'
        o.refunded += e.args.refund
        o.failed_class_id = e.args.classId
        o.slash_id = BigInt(e.args.slashId) === 0n ? null : lc(e.args.slashId)
      })
    },
  },
  OrderCancelled: {
    reads: (e) => [orderRead(e.args.orderId)],
    apply(e, ctx) {
      changeOrder(ctx, e.args.orderId, (o) => {
        o.status = 'Cancelled'
        o.refunded += e.args.refund
      })
    },
  },
  ResultCommitted: {
    reads: (e) => [read('milestones', { order_id: Number(e.args.orderId), milestone: e.args.milestone })],
    apply(e, ctx) {
      // the first result committed for a milestone is the one that counts
      changeMilestone(ctx, e.args.orderId, e.args.milestone, (m) => {
        m.result_hash ??= lc(e.args.resultHash)
      })
    },
  },
  FeesSwept: {
    reads: (e) => [read('services', { service_id: Number(e.args.serviceId) })],
    apply(e, ctx) {
      ctx.change('services', { service_id: Number(e.args.serviceId) }, (s) => {
        s.fees_swept += e.args.amount
      })
      ctx.append('reward_events', {
        block_number: Number(e.blockNumber),
        log_index: e.logIndex,
        timestamp: Number(e.timestamp),
        kind: 'fees-swept',
        service_id: Number(e.args.serviceId),
        account: null,
        amount: e.args.amount,
        commission: null,
        after: null,
      })
    },
  },
  Owed: {
    reads: (e) => [read('credits', { holder: lc(e.args.token), account: lc(e.args.account), kind: 'owed' })],
    apply(e, ctx) {
      changeCredit(ctx, lc(e.args.token), lc(e.args.account), 'owed', (c) => {
        c.credited += e.args.amount
      })
    },
  },
  OwedWithdrawn: {
    reads: (e) => [read('credits', { holder: lc(e.args.token), account: lc(e.args.account), kind: 'owed' })],
    apply(e, ctx) {
      changeCredit(ctx, lc(e.args.token), lc(e.args.account), 'owed', (c) => {
        c.withdrawn += e.args.amount
      })
    },
  },
}
