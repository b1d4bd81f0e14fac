/**
 * What slash reports (peerMessage.ts, book.ts) and order outcomes (orders/outcomeMessage.ts, orders/outcomeBook.ts)
 * share in the messages attesters exchange: the wire form of the signatures, decoding errors, and taking a peer's
 * signatures in — each only if it recovers to its claimed signer and that signer is on the service's committee.
 */
import { type Address, type Hex, recoverAddress } from 'viem'
import { z } from 'zod'
import { InvalidInputError } from '../../errors.ts'
import type { CommitteeCache } from '../chain/committee.ts'
import type { NodeConfig } from '../config.ts'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { OwnStance, StoredSignature } from '../store/reportRepo.ts'
import type { Store } from '../store/store.ts'

export const addressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address')

export const signaturesSchema = z
  .array(
    z
      .object({
        signer: addressSchema,
        signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, 'must be 65 bytes'),
      })
      .strict(),
  )
  .max(64)
  // one signature per signer: a repeated signer is refused while decoding, before any recovery
  .refine((sigs) => new Set(sigs.map((s) => s.signer.toLowerCase())).size === sigs.length, 'repeated signer')

/** Parses `raw` with `schema`; the first issue, if any, as `path: message`. */
export function parseMessage<S extends z.ZodTypeAny>(
  schema: S,
  raw: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; error: string } {
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return { ok: false, error: `${issue.path.join('.') || 'body'}: ${issue.message}` }
  }
  return { ok: true, data: parsed.data }
}

export const decodeSignatures = (signatures: { signer: string; signature: string }[]): StoredSignature[] =>
  signatures.map((s) => ({
    signer: s.signer.toLowerCase() as Address,
    signature: s.signature as Hex,
  }))

/** More signatures than the committee has members: at most one recovery per member is ever done for a message. */
export class TooManySignaturesError extends InvalidInputError {
  override name = 'TooManySignaturesError'
  constructor(members: number) {
    super(`more signatures than the committee's ${members} members`)
  }
}

/**
 * The peer's signatures on `digest` this node does not hold yet and that check out: the signer is a member of
 * the committee and the signature recovers to it (one recovery per signature).
 */
export async function verifiedSignatures(o: {
  store: Store
  committee: Awaited<ReturnType<CommitteeCache['get']>>
  digest: Hex
  signatures: StoredSignature[]
  kind: 'report' | 'outcome'
  metrics: NodeMetrics
  log: Logger
}): Promise<StoredSignature[]> {
  const { digest, metrics, kind } = o
  if (o.signatures.length > o.committee.members.size)
    throw new TooManySignaturesError(o.committee.members.size)
  const held = new Map(o.store.reports.signatures(digest).map((s) => [s.signer, s.signature]))
  const fresh: StoredSignature[] = []
  for (const s of o.signatures) {
    const signer = s.signer.toLowerCase() as Address
    if (held.get(signer) === s.signature) continue
    if (!o.committee.members.has(signer)) {
      metrics.signatureChecks.inc({ kind, result: 'not_member' })
      continue
    }
    const valid = await recoverAddress({ hash: digest, signature: s.signature }).then(
      (a) => a.toLowerCase() === signer,
      () => false,
    )
    metrics.signatureChecks.inc({ kind, result: valid ? 'valid' : 'invalid' })
    if (valid) fresh.push({ signer, signature: s.signature })
    else o.log.warn(`invalid ${kind} signature from peer`, { digest, signer })
  }
  return fresh
}

/**
 * Stores verified signatures with their item, creating the item (state collecting) if new — only when there is
 * something to store or the item is already known. Returns how many signatures were new.
 */
export function storeReceived(o: {
  store: Store
  digest: Hex
  fresh: StoredSignature[]
  known: boolean
  create: () => boolean
  onCreated: () => void
  now: () => number
}): number {
  if (!o.fresh.length && !o.known) return 0
  return o.store.transaction(() => {
    if (o.create()) o.onCreated()
    let n = 0
    for (const s of o.fresh) if (o.store.reports.addSignature(o.digest, s, o.now())) n++
    return n
  })
}

/** True when this node has signed the item at `digest` and holds its own signature on it (attesting is a no-op). */
export const alreadySigned = (store: Store, digest: Hex, self: Address, own: OwnStance | undefined) =>
  store.reports.signatures(digest).some((s) => s.signer === self) && own === 'signed'

/**
 * Stores this node's own signature on an item in one transaction with its verdict: the item is created (or its
 * stance set to signed), the signature added, then `also` runs. Returns true when the item was created.
 */
export function storeOwnSignature(o: {
  store: Store
  digest: Hex
  signature: StoredSignature
  putVerdict: () => void
  create: () => boolean
  setOwn: (digest: Hex, own: OwnStance, now: number) => void
  also?: () => void
  now: () => number
}): boolean {
  return o.store.transaction(() => {
    o.putVerdict()
    const created = o.create()
    if (!created) o.setOwn(o.digest, 'signed', o.now())
    o.store.reports.addSignature(o.digest, o.signature, o.now())
    o.also?.()
    return created
  })
}

/**
 * A row this node signs again starts gathering again: one that expired or failed before this node judged (a
 * peer's copy, stored earlier) must not swallow the new signature.
 */
export function reopen(state: string | undefined, setState: (state: 'collecting') => void): void {
  if (state === 'expired') setState('collecting')
}

/**
 * The signatures of an undecided item (one this node has not judged) whose signers are still under their cap of
 * undecided items; the others are refused before any recovery. Bounds what one member can make this node store.
 */
export function capUndecided(
  store: Store,
  digest: Hex,
  signatures: StoredSignature[],
  config: NodeConfig,
): { kept: StoredSignature[]; refused: Address[] } {
  const kept: StoredSignature[] = []
  const refused: Address[] = []
  for (const s of signatures) {
    if (store.reports.undecidedBy(s.signer, digest) >= config.limits.undecidedPerSigner)
      refused.push(s.signer)
    else kept.push(s)
  }
  return { kept, refused }
}
