/**
 * The one message attesters exchange: a report, the finding it comes from (kind and subject, from which the
 * receiver re-derives the incident id), and the signatures the sender holds. The reply has the same shape with
 * the receiver's signatures, so one round trip moves signatures both ways.
 */
import type { Address, Hex } from 'viem'
import { z } from 'zod'
import type { SlashReport } from '../../sdk/types.ts'
import type { FindingKind, ReportState, StoredSignature } from '../store/reportRepo.ts'
import { addressSchema, decodeSignatures, parseMessage, signaturesSchema } from './signedMessage.ts'

const address = addressSchema
const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be 32 bytes of hex')

export const peerMessageSchema = z
  .object({
    kind: z.enum(['downtime', 'latency', 'wrong-output']),
    subject: z.string().min(1).max(200),
    report: z
      .object({
        serviceId: z.string().regex(/^\d+$/, 'must be a decimal integer'),
        vault: address,
        classId: z.number().int().min(0).max(255),
        incidentId: hex32,
        client: address,
      })
      .strict(),
    signatures: signaturesSchema,
  })
  .strict()

export type PeerMessage = {
  kind: FindingKind
  subject: string
  report: SlashReport
  signatures: StoredSignature[]
}

export type PeerReply = PeerMessage & { digest: Hex; state: ReportState | 'unknown' }

export function encodePeerMessage(m: PeerMessage): unknown {
  return {
    kind: m.kind,
    subject: m.subject,
    report: { ...m.report, serviceId: m.report.serviceId.toString() },
    signatures: m.signatures,
  }
}

export function decodePeerMessage(
  raw: unknown,
): { ok: true; message: PeerMessage } | { ok: false; error: string } {
  const parsed = parseMessage(peerMessageSchema, raw)
  if (!parsed.ok) return parsed
  const p = parsed.data
  return {
    ok: true,
    message: {
      kind: p.kind,
      subject: p.subject,
      report: {
        serviceId: BigInt(p.report.serviceId),
        vault: p.report.vault.toLowerCase() as Address,
        classId: p.report.classId,
        incidentId: p.report.incidentId.toLowerCase() as Hex,
        client: p.report.client.toLowerCase() as Address,
      },
      signatures: decodeSignatures(p.signatures),
    },
  }
}
