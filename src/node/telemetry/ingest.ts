/**
 * Telemetry ingestion: a reading is stored only if it is well-formed, for a known order, signed, signed by the
 * device it names, by the device registered for that order on chain (OrderOpened's terms.device), new (by
 * digest and by device and sequence number), and not from the future; in any order of arrival. Every refusal
 * has one reason, is counted (in the store, so counts survive restarts, and in /metrics) and is answered to the
 * sender; nothing refused is ever used by the judge.
 */
import type { Address, Hex } from 'viem'
import type { OrderSource } from '../orders/source.ts'
import type { Store } from '../store/store.ts'
import type { StoredReading } from '../store/telemetryRepo.ts'
import {
  type Reading,
  readingDigest,
  readingSchema,
  recoverReadingSigner,
  type TelemetryDomain,
} from './reading.ts'

export const REJECT_REASONS = [
  'malformed',
  'unknown-order',
  'unsigned',
  'bad-signature',
  'wrong-device',
  'replay',
  'future-timestamp',
] as const
export type RejectReason = (typeof REJECT_REASONS)[number]

export type IngestResult =
  | { accepted: true; digest: Hex; orderId: Hex }
  | { accepted: false; reason: RejectReason; message: string }

export type IngestContext = {
  store: Store
  /** The running orders and their device keys (the order book's OrderOpened events). */
  orders: Pick<OrderSource, 'get' | 'isDevice'>
  domain: TelemetryDomain
  nowSec: () => number
  maxSkewSeconds: number
  /** The services this node attests: readings for other services' orders are refused (absent: any). */
  serviceIds?: ReadonlySet<bigint>
  /** Called once per signature recovery (for the signature-check metric). */
  onSignatureCheck?: (valid: boolean) => void
}

const reject = (reason: RejectReason, message: string): IngestResult => ({ accepted: false, reason, message })

async function validate(body: unknown, ctx: IngestContext): Promise<IngestResult> {
  const parsed = readingSchema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return reject('malformed', `${issue.path.join('.') || 'body'}: ${issue.message}`)
  }
  const r: Reading = parsed.data
  const orderId = r.orderId.toLowerCase() as Hex
  const order = ctx.orders.get(orderId)
  if (!order) return reject('unknown-order', `order ${orderId} is not known to this node`)
  // readings of another service's orders would be stored (with an fsync each) and never judged here
  if (ctx.serviceIds && !ctx.serviceIds.has(order.serviceId))
    return reject(
      'unknown-order',
      `order ${orderId} is of service ${order.serviceId}, which this node does not attest`,
    )
  if (!r.signature) return reject('unsigned', 'the reading carries no signature')
  const { signature, ...unsigned } = r
  let signer: Address
  try {
    signer = await recoverReadingSigner(ctx.domain, unsigned, signature as Hex)
  } catch {
    ctx.onSignatureCheck?.(false)
    return reject('bad-signature', 'the signature does not decode')
  }
  if (signer.toLowerCase() !== r.device.toLowerCase()) {
    ctx.onSignatureCheck?.(false)
    return reject('bad-signature', `signed by ${signer}, not by the device ${r.device} it names`)
  }
  ctx.onSignatureCheck?.(true)
  if (!ctx.orders.isDevice(orderId, r.device as Address))
    return reject('wrong-device', `device ${r.device} is not registered for order ${orderId}`)
  const digest = readingDigest(ctx.domain, unsigned)
  const device = r.device.toLowerCase() as Address
  if (ctx.store.telemetry.hasDigest(digest) || ctx.store.telemetry.hasSeq(orderId, device, r.seq))
    return reject('replay', `reading ${r.seq} of device ${r.device} was already received`)
  // no order is imposed on arrival: a relay or a gateway uploading a buffer in parallel may deliver the last
  // reading first, and refusing the earlier ones then would erase an excursion. The judge sorts readings by
  // time, and a success waits for any sequence number missing before its proof (orders/decide.ts successHold).
  if (r.timestamp > ctx.nowSec() + ctx.maxSkewSeconds)
    return reject('future-timestamp', `timestamp ${r.timestamp} is more than ${ctx.maxSkewSeconds} s ahead`)
  const stored: StoredReading = {
    digest,
    orderId,
    device,
    seq: r.seq,
    timestamp: r.timestamp,
    kind: r.kind,
    temperatureCentiC: r.temperatureCentiC,
    latE7: r.latE7,
    lonE7: r.lonE7,
    signature: signature as Hex,
  }
  // the insert is the final arbiter: two concurrent copies of one reading cannot both land
  if (!ctx.store.telemetry.insert(stored, Date.now()))
    return reject('replay', `reading ${r.seq} of device ${r.device} was already received`)
  return { accepted: true, digest, orderId }
}

export async function ingestReading(body: unknown, ctx: IngestContext): Promise<IngestResult> {
  const result = await validate(body, ctx)
  if (!result.accepted) ctx.store.telemetry.countRejection(result.reason)
  return result
}
