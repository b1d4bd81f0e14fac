/** A slash, the whole story in one object: the report, the dispute, the ruling, the execution and its payouts. */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { SLASH_STATUSES } from '../../indexer/status.ts'
import { amount, optionalTime, time } from '../format.ts'
import { Address, Amount, Bytes32, StringEnum, Time } from './common.ts'
import { EntityMeta, entityMeta } from './meta.ts'

export const SlashStatusSchema = StringEnum(SLASH_STATUSES)

export const Slash = Type.Object(
  {
    id: Bytes32,
    status: SlashStatusSchema,
    serviceId: Type.String(),
    vault: Address,
    classId: Type.Integer(),
    incidentId: Bytes32,
    orderId: Type.Union([Type.String(), Type.Null()], { description: 'set for an order’s collateral slash' }),
    report: Type.Object({
      client: Address,
      reporter: Address,
      signers: Type.Array(Address, { description: 'the attesters whose signatures made the quorum' }),
      signersBitmap: Type.String(),
      requestedAt: Time,
      txHash: Bytes32,
      seq: Type.Integer(),
    }),
    requestedAmount: Amount,
    amount: { ...Amount, description: 'what the court holds now (lowered by a partial uphold)' },
    terms: Type.Object({
      sink: Address,
      disputeBond: Amount,
      clientShareBps: Type.Integer(),
      reporterShareBps: Type.Integer(),
      jailDurationSeconds: Type.Integer(),
      permanentBan: Type.Boolean(),
      resolutionDeadlineSeconds: Type.Integer(),
    }),
    disputeEnds: Time,
    dispute: Type.Union([
      Type.Object({
        by: Address,
        bond: Type.Union([Amount, Type.Null()]),
        resolveBy: Type.Union([Time, Type.Null()]),
        block: Type.Union([Type.Integer(), Type.Null()]),
      }),
      Type.Null(),
    ]),
    ruling: Type.Union([
      Type.Object({ block: Type.Integer(), attestersSlashed: Type.Union([Amount, Type.Null()]) }),
      Type.Null(),
    ]),
    execution: Type.Union([
      Type.Object({
        block: Type.Integer(),
        txHash: Type.Union([Bytes32, Type.Null()]),
        fromBond: Amount,
        fromPool: Amount,
        toClient: Amount,
        toReporter: Amount,
        toSink: Amount,
      }),
      Type.Null(),
    ]),
    jailedUntil: Type.Union([Time, Type.Null()]),
    banned: Type.Boolean(),
    ...EntityMeta,
  },
  { description: 'a slash from report to payouts' },
)

export const AttesterPenalty = Type.Object({
  attester: Address,
  amount: Amount,
  recipient: Address,
  block: Type.Integer(),
  txHash: Bytes32,
})

export const SlashDetail = Type.Object({
  ...Slash.properties,
  attesterPenalties: Type.Array(AttesterPenalty),
})

export function slashJson(s: View<'slashes'>, finalNumber: number, decimals: number) {
  const a = (v: bigint) => amount(v, decimals)
  const z = (v: bigint | null) => a(v ?? 0n)
  return {
    id: s.slashId,
    status: s.status as (typeof SLASH_STATUSES)[number],
    serviceId: String(s.serviceId),
    vault: s.vault,
    classId: s.classId,
    incidentId: s.incidentId,
    orderId: s.orderId === null ? null : String(s.orderId),
    report: {
      client: s.client,
      reporter: s.reporter,
      signers: JSON.parse(s.signers) as string[],
      signersBitmap: s.signersBitmap.toString(),
      requestedAt: time(s.requestedAt),
      txHash: s.requestedTx,
      seq: s.seq,
    },
    requestedAmount: a(s.requestedAmount),
    amount: a(s.amount),
    terms: {
      sink: s.sink,
      disputeBond: a(s.disputeBond),
      clientShareBps: s.clientShareBps,
      reporterShareBps: s.reporterShareBps,
      jailDurationSeconds: s.jailDuration,
      permanentBan: s.permanentBan === 1,
      resolutionDeadlineSeconds: s.resolutionDeadline,
    },
    disputeEnds: time(s.disputeEnd),
    dispute:
      s.disputedBy === null
        ? null
        : {
            by: s.disputedBy,
            bond: s.disputeBondPosted === null ? null : a(s.disputeBondPosted),
            resolveBy: optionalTime(s.resolveBy),
            block: s.disputedBlock,
          },
    ruling:
      s.ruledBlock === null
        ? null
        : {
            block: s.ruledBlock,
            attestersSlashed: s.attestersSlashed === null ? null : a(s.attestersSlashed),
          },
    execution:
      s.executedBlock === null
        ? null
        : {
            block: s.executedBlock,
            txHash: s.executedTx,
            fromBond: z(s.fromBond),
            fromPool: z(s.fromPool),
            toClient: z(s.toClient),
            toReporter: z(s.toReporter),
            toSink: z(s.toSink),
          },
    jailedUntil: optionalTime(s.jailedUntil),
    banned: s.banned === 1,
    ...entityMeta(s, finalNumber),
  }
}

export function penaltyJson(p: View<'attester_penalties'>, decimals: number) {
  return {
    attester: p.attester,
    amount: amount(p.amount, decimals),
    recipient: p.recipient,
    block: p.blockNumber,
    txHash: p.txHash,
  }
}
