/**
 * What this node would itself report for a (kind, subject, service, vault): the class and client its config
 * assigns. A peer's report is taken in only if it matches exactly; otherwise it is for a service, operator or job
 * this node does not attest, or it names another class or client than the service's terms, and is refused.
 */
import { type Address, zeroAddress } from 'viem'
import type { NodeConfig } from '../config.ts'
import type { FindingKind } from '../store/reportRepo.ts'
import type { Finding } from './incident.ts'

export type Expectation = { ok: true; finding: Finding } | { ok: false; reason: string; status?: number }

/** A decimal epoch number in its one canonical form, within the range a JavaScript number holds exactly. */
export const isCanonicalEpoch = (subject: string) => /^(0|[1-9]\d{0,14})$/.test(subject)

const CLASS_KEY: Record<FindingKind, 'downtime' | 'latency' | 'wrongOutput'> = {
  downtime: 'downtime',
  latency: 'latency',
  'wrong-output': 'wrongOutput',
}

export function expectedFinding(
  config: NodeConfig,
  kind: FindingKind,
  subject: string,
  serviceId: bigint,
  vault: Address,
  clock: { nowMs: number; skewMs: number; ttlMs?: number; judgeDelayMs?: number } = {
    nowMs: Date.now(),
    skewMs: 0,
  },
): Expectation {
  const service = config.services.find((s) => BigInt(s.serviceId) === serviceId)
  if (!service) return { ok: false, reason: `service ${serviceId} is not attested by this node` }
  const classId = service.classes[CLASS_KEY[kind]]
  if (classId === undefined) return { ok: false, reason: `service ${serviceId} reports no ${kind} findings` }
  const v = vault.toLowerCase()
  let client: Address | undefined
  if (kind === 'downtime' || kind === 'latency') {
    const op = service.operators.find((o) => o.vault.toLowerCase() === v)
    if (!op) return { ok: false, reason: `vault ${vault} is not probed by this node` }
    // one spelling per epoch: "7", never "07" (each spelling is another incident id, hence another report)
    if (!isCanonicalEpoch(subject))
      return {
        ok: false,
        reason: 'subject of an epoch finding must be the epoch number, without leading zeros',
      }
    // an epoch that has not ended cannot have been measured: a report of it is a pre-signed claim, refused
    const endMs = (Number(subject) + 1) * service.epochSeconds * 1000
    if (endMs > clock.nowMs + clock.skewMs)
      return { ok: false, status: 425, reason: `epoch ${subject} has not ended yet` }
    // nor is a report older than any a peer can still hold open: judged judgeDelayMs after the epoch, kept for the
    // TTL from that signature, with the peers' clock tolerance; past that it could only be stored, never used
    const openUntil = endMs + (clock.judgeDelayMs ?? 0) + (clock.ttlMs ?? 0) + clock.skewMs
    if (clock.ttlMs !== undefined && openUntil < clock.nowMs)
      return { ok: false, status: 410, reason: `epoch ${subject} ended more than the report TTL ago` }
    client = op.client ?? zeroAddress
  } else {
    const job = service.jobs.find((j) => j.id === subject && j.vault.toLowerCase() === v)
    if (!job) return { ok: false, reason: `job ${subject} of vault ${vault} is not checked by this node` }
    client = job.client ?? zeroAddress
  }
  return {
    ok: true,
    finding: {
      kind,
      subject,
      serviceId,
      vault,
      classId,
      client,
    },
  }
}
