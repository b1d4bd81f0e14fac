/**
 * The epoch verdict: a pure function of one epoch's probe aggregate and the service's policy. Every honest
 * attester applies the same function, so attesters that saw the same thing reach the same verdict; integer
 * milliseconds and basis points keep it free of floating-point ties.
 */
export type EpochPolicy = {
  /** Fewer samples than this (the node was down, or joined mid-epoch) gives no verdict at all. */
  minSamples: number
  minUptimeBps: number
  /** Latency bound on successful probes at `latencyQuantileBps`; absent: latency is not judged. */
  maxLatencyMs?: number | undefined
  latencyQuantileBps: number
}

export type EpochAggregate = { samples: number; ok: number; latencies: readonly number[] }

export type EpochViolation = 'downtime' | 'latency'

export type EpochVerdict = {
  status: 'insufficient' | 'ok' | 'violation'
  samples: number
  uptimeBps: number
  /** The latency quantile of successful probes, when there were any. */
  latencyMs: number | undefined
  violations: EpochViolation[]
}

/** Nearest-rank quantile of integer values (q in basis points). */
export function quantile(values: readonly number[], qBps: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((qBps * sorted.length) / 10_000)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export function judgeEpoch(agg: EpochAggregate, policy: EpochPolicy): EpochVerdict {
  const uptimeBps = agg.samples === 0 ? 0 : Math.floor((agg.ok * 10_000) / agg.samples)
  const latencyMs = quantile(agg.latencies, policy.latencyQuantileBps)
  if (agg.samples < policy.minSamples) {
    return { status: 'insufficient', samples: agg.samples, uptimeBps, latencyMs, violations: [] }
  }
  const violations: EpochViolation[] = []
  if (uptimeBps < policy.minUptimeBps) violations.push('downtime')
  if (policy.maxLatencyMs !== undefined && latencyMs !== undefined && latencyMs > policy.maxLatencyMs)
    violations.push('latency')
  return {
    status: violations.length ? 'violation' : 'ok',
    samples: agg.samples,
    uptimeBps,
    latencyMs,
    violations,
  }
}

/** Epoch number of a wall-clock instant: epochs are aligned to the Unix epoch, so every node numbers them alike. */
export const epochOf = (ms: number, epochSeconds: number): number => Math.floor(ms / (epochSeconds * 1000))

/** When this node's view of a whole service is too uniformly bad to be about the operators. */
export type MassFailureRule = {
  /** Share of judged operators (bps) that must be down in the same epoch for the epoch to be voided. */
  thresholdBps: number
  /** Fewer judged operators than this never void an epoch (two operators failing together is no pattern). */
  minOperators: number
}

/**
 * True when most operators of a service failed at once from this node in one epoch: a DNS or outbound-network
 * outage here, not that many independent operators went down together. The epoch is then voided for all of
 * them (no verdict, no signature) rather than slashing every operator at once; an outage that is real is still
 * reported by the attesters whose network was fine.
 */
export function isMassFailure(verdicts: readonly EpochVerdict[], rule: MassFailureRule): boolean {
  const judged = verdicts.filter((v) => v.status !== 'insufficient')
  if (judged.length < rule.minOperators) return false
  const down = judged.filter((v) => v.violations.includes('downtime')).length
  // strictly more than the threshold: "most", not "half"
  return down * 10_000 > rule.thresholdBps * judged.length
}
