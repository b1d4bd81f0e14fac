/** An order (job or lease) with its escrow, terms, bids and milestones. */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { ORDER_STATUSES } from '../../indexer/status.ts'
import { amount, optionalTime, time } from '../format.ts'
import { Address, Amount, Bytes32, StringEnum, Time } from './common.ts'
import { EntityMeta, entityMeta } from './meta.ts'

const ZERO = '0x0000000000000000000000000000000000000000'

export const OrderStatusSchema = StringEnum(ORDER_STATUSES)

export const Bid = Type.Object({
  vault: Address,
  price: Amount,
  collateral: Amount,
  score: Type.String({ description: 'the order book’s ranking score of the bid (raw)' }),
  ...EntityMeta,
})

export const Milestone = Type.Object({
  index: Type.Integer(),
  amount: Type.Union([Amount, Type.Null()]),
  fee: Type.Union([Amount, Type.Null()]),
  byAttesters: Type.Union([Type.Boolean(), Type.Null()]),
  paidAt: Type.Union([Time, Type.Null()]),
  resultHash: Type.Union([Bytes32, Type.Null()]),
  ...EntityMeta,
})

export const Order = Type.Object(
  {
    id: Type.String({ description: 'order id (decimal)' }),
    kind: Type.Union([Type.Literal('job'), Type.Literal('lease')]),
    status: OrderStatusSchema,
    serviceId: Type.String(),
    client: Address,
    paymentToken: Type.Object({
      address: Address,
      isStakeToken: Type.Boolean(),
      decimals: Type.Integer({ description: 'the stake token’s; 18 assumed for another token' }),
    }),
    intent: Type.Boolean({ description: 'opened for bids rather than for a named operator' }),
    namedVault: Type.Union([Address, Type.Null()]),
    vault: Type.Union([Address, Type.Null()], {
      description: 'leading bidder while bidding, the operator after',
    }),
    budget: Amount,
    value: Amount,
    ratePerSecond: Amount,
    price: Amount,
    collateral: Amount,
    biddingEnds: Type.Union([Time, Type.Null()]),
    deadline: Type.Union([Time, Type.Null()]),
    milestoneShares: Type.String({ description: 'packed milestone bps shares as on chain' }),
    feeBps: Type.Integer(),
    collateralFactorBps: Type.Integer(),
    collateralFloorBps: Type.Integer(),
    terms: Type.Object({
      termsHash: Bytes32,
      maxLatencyMs: Type.Integer(),
      minUptimeBps: Type.Integer(),
      minTempCentiC: Type.Integer(),
      maxTempCentiC: Type.Integer(),
      pickupBy: Type.Union([Time, Type.Null()]),
      device: Address,
    }),
    milestonesPaid: Type.Integer(),
    paidOut: Amount,
    fees: Amount,
    refunded: Amount,
    streamed: Amount,
    openedAt: Time,
    acceptedAt: Type.Union([Time, Type.Null()]),
    failedClassId: Type.Union([Type.Integer(), Type.Null()]),
    slashId: Type.Union([Bytes32, Type.Null()]),
    ...EntityMeta,
  },
  { description: 'an order: a job or a lease, with its payment in escrow' },
)

export const OrderDetail = Type.Object({
  ...Order.properties,
  bids: Type.Array(Bid),
  milestones: Type.Array(Milestone),
})

export function orderJson(
  o: View<'orders'>,
  finalNumber: number,
  stakeToken: string | undefined,
  decimals: number,
) {
  const isStake = stakeToken !== undefined && o.paymentToken === stakeToken.toLowerCase()
  const d = isStake ? decimals : 18
  const p = (v: bigint) => amount(v, d)
  const s = (v: bigint) => amount(v, decimals)
  return {
    id: String(o.orderId),
    kind: o.ratePerSecond === 0n ? ('job' as const) : ('lease' as const),
    status: o.status as (typeof ORDER_STATUSES)[number],
    serviceId: String(o.serviceId),
    client: o.client,
    paymentToken: { address: o.paymentToken, isStakeToken: isStake, decimals: d },
    intent: o.namedVault === ZERO,
    namedVault: o.namedVault === ZERO ? null : o.namedVault,
    vault: o.vault === ZERO ? null : o.vault,
    budget: p(o.budget),
    value: s(o.value),
    ratePerSecond: p(o.ratePerSecond),
    price: p(o.price),
    collateral: s(o.collateral),
    biddingEnds: optionalTime(o.biddingEnds),
    deadline: optionalTime(o.deadline),
    milestoneShares: o.milestones,
    feeBps: o.feeBps,
    collateralFactorBps: o.collateralFactorBps,
    collateralFloorBps: o.collateralFloorBps,
    terms: {
      termsHash: o.termsHash,
      maxLatencyMs: o.maxLatencyMs,
      minUptimeBps: o.minUptimeBps,
      minTempCentiC: o.minTempCentiC,
      maxTempCentiC: o.maxTempCentiC,
      pickupBy: optionalTime(o.pickupBy),
      device: o.device,
    },
    milestonesPaid: o.milestonesPaid,
    paidOut: p(o.paidOut),
    fees: p(o.fees),
    refunded: p(o.refunded),
    streamed: p(o.streamed),
    openedAt: time(o.openedAt),
    acceptedAt: optionalTime(o.acceptedAt),
    failedClassId: o.failedClassId,
    slashId: o.slashId,
    ...entityMeta(o, finalNumber),
  }
}

export function bidJson(b: View<'bids'>, finalNumber: number, priceDecimals: number, decimals: number) {
  return {
    vault: b.vault,
    price: amount(b.price, priceDecimals),
    collateral: amount(b.collateral, decimals),
    score: b.score.toString(),
    ...entityMeta(b, finalNumber),
  }
}

export function milestoneJson(m: View<'milestones'>, finalNumber: number, priceDecimals: number) {
  return {
    index: m.milestone,
    amount: m.amount === null ? null : amount(m.amount, priceDecimals),
    fee: m.fee === null ? null : amount(m.fee, priceDecimals),
    byAttesters: m.byAttesters === null ? null : m.byAttesters === 1,
    paidAt: optionalTime(m.paidAt),
    resultHash: m.resultHash,
    ...entityMeta(m, finalNumber),
  }
}
