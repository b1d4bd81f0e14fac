/**
 * The message attesters exchange about an order outcome: the EIP-712 OrderOutcome itself (order id, milestone,
 * success, class) and the signatures the sender holds. The reply has the same shape with the receiver's
 * signatures, so one round trip moves signatures both ways (as for slash reports, report/peerMessage.ts).
 */
import type { Address, Hex } from 'viem'
import { z } from 'zod'
import type { OrderOutcome } from '../../sdk/types.ts'
import type { StoredSignature } from '../store/reportRepo.ts'

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address')

export const outcomeMessageSchema = z
  .object({
    outcome: z
      .object({
        orderId: z.string().regex(/^\d{1,78}$/, 'must be a decimal integer'),
        milestone: z.number().int().min(0).max(255),
        success: z.boolean(),
        classId: z.number().int().min(0).max(255),
      })
      .strict(),
    signatures: z
      .array(
        z
          .object({
            signer: address,
            signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, 'must be 65 bytes'),
          })
          .strict(),
      )
      .max(64),
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
  const parsed = outcomeMessageSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return { ok: false, error: `${issue.path.join('.') || 'body'}: ${issue.message}` }
  }
  const p = parsed.data
  return {
    ok: true,
    message: {
      outcome: { ...p.outcome, orderId: BigInt(p.outcome.orderId) },
      signatures: p.signatures.map((s) => ({
        signer: s.signer.toLowerCase() as Address,
        signature: s.signature as Hex,
      })),
    },
  }
}
