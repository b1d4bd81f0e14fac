/** A service: its SLA terms, violation classes, queued change, stake and rewards. */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { amount, optionalTime } from '../format.ts'
import { Address, Amount, Time } from './common.ts'
import { EntityMeta, entityMeta } from './meta.ts'

export const ViolationClass = Type.Object({
  classId: Type.Integer(),
  basePenaltyBps: Type.Integer(),
  jailDurationSeconds: Type.Integer(),
  permanentBan: Type.Boolean(),
})

export const ServiceTerms = Type.Object({
  disputeWindowSeconds: Type.Integer(),
  resolutionDeadlineSeconds: Type.Integer(),
  quorumBps: Type.Integer(),
  reporterShareBps: Type.Integer(),
  clientShareBps: Type.Integer(),
  disputeBond: Amount,
  correlationWindowSeconds: Type.Integer(),
  correlationMultiplierBps: Type.Integer(),
  incidentCapBps: Type.Integer(),
  windowCapBps: Type.Integer(),
  attesterPenaltyBps: Type.Integer(),
  minAttesterBond: Amount,
  orderFeeBps: Type.Integer(),
  collateralFactorBps: Type.Integer(),
  collateralFloorBps: Type.Integer(),
  declaredValue: Amount,
  minAllocationDelaySeconds: Type.Integer({
    description: 'the least exposure delay a vault allocating to the service must have',
  }),
})

export const Service = Type.Object(
  {
    id: Type.String({ description: 'service id (uint64, decimal)' }),
    owner: Address,
    resolver: Address,
    sink: Address,
    terms: ServiceTerms,
    classes: Type.Array(ViolationClass),
    pendingChange: Type.Union([
      Type.Object({
        readyAt: Type.Union([Time, Type.Null()]),
        change: Type.Unknown({
          description: 'the queued ServiceParams and classes, as the event published them',
        }),
      }),
      Type.Null(),
    ]),
    totalAllocated: Amount,
    rewardStake: Amount,
    rewards: Type.Object({
      accPerStake: Type.String({ description: 'reward-per-stake accumulator (raw, scaled as on chain)' }),
      distributed: Amount,
      feesAdded: Amount,
      feesSwept: Amount,
      subsidyFunded: Amount,
      subsidyBalance: Amount,
      subsidyRatePerSecond: Amount,
    }),
    ...EntityMeta,
  },
  { description: 'a service: a market with its SLA terms' },
)

export function serviceJson(
  s: View<'services'>,
  classes: View<'service_classes'>[],
  finalNumber: number,
  decimals: number,
) {
  const a = (v: bigint) => amount(v, decimals)
  return {
    id: String(s.serviceId),
    owner: s.owner,
    resolver: s.resolver,
    sink: s.sink,
    terms: {
      disputeWindowSeconds: s.disputeWindow,
      resolutionDeadlineSeconds: s.resolutionDeadline,
      quorumBps: s.quorumBps,
      reporterShareBps: s.reporterShareBps,
      clientShareBps: s.clientShareBps,
      disputeBond: a(s.disputeBond),
      correlationWindowSeconds: s.correlationWindow,
      correlationMultiplierBps: s.correlationMultiplierBps,
      incidentCapBps: s.incidentCapBps,
      windowCapBps: s.windowCapBps,
      attesterPenaltyBps: s.attesterPenaltyBps,
      minAttesterBond: a(s.minAttesterBond),
      orderFeeBps: s.orderFeeBps,
      collateralFactorBps: s.collateralFactorBps,
      collateralFloorBps: s.collateralFloorBps,
      declaredValue: a(s.declaredValue),
      minAllocationDelaySeconds: s.minAllocationDelay,
    },
    classes: classes.map((c) => ({
      classId: c.classId,
      basePenaltyBps: c.basePenaltyBps,
      jailDurationSeconds: c.jailDuration,
      permanentBan: c.permanentBan === 1,
    })),
    pendingChange:
      s.pendingChange === null
        ? null
        : { readyAt: optionalTime(s.pendingReadyAt), change: JSON.parse(s.pendingChange) as unknown },
    totalAllocated: a(s.totalAllocated),
    rewardStake: a(s.rewardStake),
    rewards: {
      accPerStake: s.accPerStake.toString(),
      distributed: a(s.rewardsDistributed),
      feesAdded: a(s.feesAdded),
      feesSwept: a(s.feesSwept),
      subsidyFunded: a(s.subsidyFunded),
      subsidyBalance: a(s.subsidyBalance),
      subsidyRatePerSecond: a(s.subsidyRatePerSecond),
    },
    ...entityMeta(s, finalNumber),
  }
}
