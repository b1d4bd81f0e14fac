/** An incident: every slash requested under one incident id (one outage across vaults), summed up. */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { amount, time } from '../format.ts'
import { Address, Amount, Bytes32, Time } from './common.ts'
import { Slash, slashJson } from './slash.ts'

export const Incident = Type.Object(
  {
    id: Bytes32,
    serviceId: Type.String(),
    isOrder: Type.Boolean({
      description: 'an order failure (its collateral slash) rather than an SLA report',
    }),
    firstRequestedAt: Time,
    vaults: Type.Array(Address),
    requestedAmount: { ...Amount, description: 'sum of the slashes as requested' },
    executedAmount: { ...Amount, description: 'sum taken from vaults by executed slashes' },
    toClients: Amount,
    statuses: Type.Record(Type.String(), Type.Integer(), { description: 'slash count by status' }),
    slashes: Type.Array(Slash),
  },
  { description: 'an incident and the slashes it caused' },
)

export function incidentJson(slashes: View<'slashes'>[], finalNumber: number, decimals: number) {
  const first = slashes.reduce((a, b) => (b.requestedAt < a.requestedAt ? b : a))
  const statuses: Record<string, number> = {}
  let requested = 0n
  let executed = 0n
  let toClients = 0n
  for (const s of slashes) {
    statuses[s.status] = (statuses[s.status] ?? 0) + 1
    requested += s.requestedAmount
    executed += (s.fromBond ?? 0n) + (s.fromPool ?? 0n)
    toClients += s.toClient ?? 0n
  }
  return {
    id: first.incidentId,
    serviceId: String(first.serviceId),
    isOrder: first.isOrder === 1,
    firstRequestedAt: time(first.requestedAt),
    vaults: [...new Set(slashes.map((s) => s.vault))],
    requestedAmount: amount(requested, decimals),
    executedAmount: amount(executed, decimals),
    toClients: amount(toClients, decimals),
    statuses,
    slashes: slashes.map((s) => slashJson(s, finalNumber, decimals)),
  }
}
