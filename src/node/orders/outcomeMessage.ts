/**
 * The message attesters exchange about an order outcome: the EIP-712 OrderOutcome itself (order id, parameters
 * hash, vault, milestone, success, class) and the signatures the sender holds. The reply has the same shape with the receiver's
 * signatures, so one round trip moves signatures both ways (as for slash reports, report/peerMessage.ts).
 */
import type { Address, Hex } from 'viem'
import { z } from 'zod'
import type { OrderOutcome } from '../../sdk/types.ts'
import { decodeSignatures, parseMessage, signaturesSchema } from '../report/signedMessage.ts'
import type { StoredSignature } from '../store/reportRepo.ts'

export const outcomeMessageSchema = z
  .object({
    outcome: z
      .object({
        orderId: z.string().regex(/^\d{1,78}$/, 'must be a decimal integer'),
        paramsHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be 32 bytes of hex'),
        vault: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 20-byte address in hex'),
        milestone: z.number().int().min(0).max(255),
        success: z.boolean(),
        classId: z.number().int().min(0).max(255),
      })
      .strict(),
    signatures: signaturesSchema,
  })
  .strict()

export type OutcomeMessage = { outcome: OrderOutcome; signatures: StoredSignature[] }

export function encodeOutcomeMessage(m: OutcomeMessage): unknown {
  return {
    outcome: { ...m.outcome, orderId: m.outcome.orderId.toString() },
    signatures: m.signatures,
  }
}

export function decodeOutcomeMessage(
  raw: unknown,
): { ok: true; message: OutcomeMessage } | { ok: false; error: string } {
  const parsed = parseMessage(outcomeMessageSchema, raw)
  if (!parsed.ok) return parsed
  const p = parsed.data
  return {
    ok: true,
    message: {
      outcome: {
        ...p.outcome,
        orderId: BigInt(p.outcome.orderId),
        paramsHash: p.outcome.paramsHash.toLowerCase() as Hex,
        vault: p.outcome.vault.toLowerCase() as Address,
      },
      signatures: decodeSignatures(p.signatures),
    },
  }
}
