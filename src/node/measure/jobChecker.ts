/**
 * Checks each configured job's result once it is available: fetched, hashed against the commitment, and, for
 * sampled deterministic jobs, re-executed. A result that cannot be fetched is not evidence of anything (the
 * network between this node and the operator may be at fault; downtime probes judge availability), so it is
 * retried and never reported. A wrong output is a finding of class `wrongOutput`.
 */
import { type Hex, zeroAddress } from 'viem'
import type { NodeConfig } from '../config.ts'
import { errorFields, type Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { ReportBook } from '../report/book.ts'
import type { Store } from '../store/store.ts'
import { readBounded } from './boundedBody.ts'
import { checkJobResult, inSample } from './jobs.ts'

/** Results larger than this are not fetched past it (see boundedBody.ts); config `limits.maxResultBytes`. */
export const DEFAULT_MAX_RESULT_BYTES = 16 * 1024 * 1024

/**
 * A job's result bytes, or undefined when they cannot be fetched (not evidence of anything: retried later). A
 * result over `maxBytes` (after decoding) is abandoned at the cap and reported through `onTooLarge`.
 */
export async function fetchResult(
  url: string,
  timeoutMs = 5_000,
  maxBytes = DEFAULT_MAX_RESULT_BYTES,
  onTooLarge?: (reason: string) => void,
): Promise<Uint8Array | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined)
      return undefined
    }
    const body = await readBounded(response, maxBytes)
    if (!body.ok) {
      onTooLarge?.(body.reason)
      return undefined
    }
    return body.bytes
  } catch {
    return undefined
  }
}

export const jobSubject = (serviceId: number | bigint, jobId: string) => `job:${serviceId}:${jobId}`

export function createJobChecker(deps: {
  config: NodeConfig
  store: Store
  book: ReportBook
  metrics: NodeMetrics
  log: Logger
  attester: boolean
  timeoutMs?: number
  now?: () => number
}) {
  const { config, store, book, metrics, log } = deps
  const now = deps.now ?? Date.now

  async function tick(): Promise<void> {
    for (const s of config.services) {
      for (const job of s.jobs) {
        const subject = jobSubject(s.serviceId, job.id)
        if (store.measure.verdict(subject)) continue
        try {
          const result = await fetchResult(
            job.resultUrl,
            deps.timeoutMs,
            config.limits.maxResultBytes,
            (reason) => log.warn('job result too large: not judged', { jobId: job.id, reason }),
          )
          if (!result) {
            metrics.verdicts.inc({ kind: 'job', result: 'unavailable' })
            continue
          }
          const check = checkJobResult({
            committedHash: job.resultHash as Hex,
            result,
            reexecute: job.reexecute
              ? { executor: job.reexecute.executor, input: job.reexecute.input as Hex }
              : undefined,
            sampled: inSample(job.id, s.jobSampleBps),
          })
          metrics.verdicts.inc({ kind: 'job', result: check.verdict })
          if (check.verdict === 'unverifiable') {
            log.warn('job cannot be verified', { job: job.id, reason: check.reason })
            continue
          }
          const classId = s.classes.wrongOutput
          if (deps.attester && classId !== undefined) {
            const finding = {
              kind: 'wrong-output' as const,
              subject: job.id,
              serviceId: BigInt(s.serviceId),
              vault: job.vault,
              classId,
              client: job.client ?? zeroAddress,
            }
            if (check.verdict === 'wrong-output') await book.attest(finding)
            else book.clear(finding)
          }
          store.measure.putVerdict({
            subject,
            kind: 'job',
            verdict: check.verdict,
            detail: check,
            judgedAt: now(),
          })
          if (check.verdict === 'wrong-output')
            log.info('wrong job output', { job: job.id, reason: check.reason })
        } catch (error) {
          metrics.loopErrors.inc({ duty: 'jobs' })
          log.error('job check failed', { job: job.id, ...errorFields(error) })
        }
      }
    }
  }

  return { tick }
}
