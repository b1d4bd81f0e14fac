/**
 * Identities every honest attester derives alike: the incident id of a finding depends only on its kind and
 * subject (the epoch, the job id), so five nodes that measured the same outage sign byte-identical
 * reports. The court's slash id then binds service, vault and incident, which makes each finding reportable once.
 */
import { type Address, encodeAbiParameters, type Hex, hashTypedData, keccak256, numberToHex } from 'viem'
import { ORDER_INCIDENT_FLAG, type ReportDomain, reportTypedData } from '../../sdk/reports.ts'
import type { SlashReport } from '../../sdk/types.ts'
import type { FindingKind } from '../store/reportRepo.ts'

export const INCIDENT_NAMESPACE = 'surety.node.v1'

/** The top bit is clear: the court reserves incident ids with it set for the OrderBook's failure slashes. */
export function incidentIdOf(kind: FindingKind, subject: string): Hex {
  const hash = keccak256(
    encodeAbiParameters([{ type: 'string' }, { type: 'string' }], [`${INCIDENT_NAMESPACE}.${kind}`, subject]),
  )
  return numberToHex(BigInt(hash) & (ORDER_INCIDENT_FLAG - 1n), { size: 32 })
}

/** keccak256(abi.encode(serviceId, vault, incidentId)), as SlashingCourt computes it. */
export function slashIdOf(serviceId: bigint, vault: Address, incidentId: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint64' }, { type: 'address' }, { type: 'bytes32' }],
      [serviceId, vault, incidentId],
    ),
  )
}

/** The EIP-712 digest attesters sign: what identifies a report between peers. */
export function reportDigest(domain: ReportDomain, report: SlashReport): Hex {
  return hashTypedData(reportTypedData(domain, report))
}

/** A finding this node (or a peer) made: enough to build the report. */
export type Finding = {
  kind: FindingKind
  subject: string
  serviceId: bigint
  vault: Address
  classId: number
  client: Address
}

export function reportOf(f: Finding): SlashReport {
  return {
    serviceId: f.serviceId,
    vault: f.vault.toLowerCase() as Address,
    classId: f.classId,
    incidentId: incidentIdOf(f.kind, f.subject),
    client: f.client.toLowerCase() as Address,
  }
}
