/**
 * Probes every operator endpoint of every attested service on its interval, and keeps per-epoch aggregates.
 *
 * Each target gets one probe per interval slot, the slots phased by a hash of its vault so 1,000 operators at 10 s
 * make a steady 100 probes a second rather than a burst of 1,000, and each probe at an offset into its slot that
 * only this attester can predict (schedule.ts). Aggregates live in memory and are flushed to the store every second in
 * one transaction; a node restarted mid-epoch picks the stored aggregate up and keeps adding to it.
 */
import type { Address, Hex } from 'viem'
import type { NodeConfig } from '../config.ts'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { EpochSamples } from '../store/measureRepo.ts'
import type { Store } from '../store/store.ts'
import { type ProbeResult, probeOnce } from './probe.ts'
import { createProbeClock } from './schedule.ts'
import { epochOf } from './verdict.ts'

export type ProbeTarget = {
  serviceId: bigint
  vault: Address
  endpoint: string
  intervalMs: number
  timeoutMs: number
  /** Immediate re-probes that confirm a failure before it counts. */
  retries: number
  epochSeconds: number
  /** Reference endpoints: a failure is counted only if one of them answers (see config probe.references). */
  references: readonly string[]
  /** Health answers are read up to this many bytes (after decoding). */
  maxBodyBytes: number
  /** Probe at this attester's secret offsets into each slot (schedule.ts), not at the slot's start. */
  randomizeTiming: boolean
}

export const sampleKey = (serviceId: bigint, vault: string, epoch: number) =>
  `${serviceId}:${vault.toLowerCase()}:${epoch}`

export function probeTargets(config: NodeConfig): ProbeTarget[] {
  return config.services.flatMap((s) =>
    s.operators.map((o) => ({
      serviceId: BigInt(s.serviceId),
      vault: o.vault.toLowerCase() as Address,
      endpoint: o.endpoint,
      intervalMs: s.probe.intervalMs,
      timeoutMs: s.probe.timeoutMs,
      retries: s.probe.retries,
      epochSeconds: s.epochSeconds,
      references: s.probe.references,
      maxBodyBytes: s.probe.maxBodyBytes,
      randomizeTiming: s.probe.randomizeTiming,
    })),
  )
}

export type Prober = ReturnType<typeof createProber>

export function createProber(deps: {
  targets: ProbeTarget[]
  store: Store
  metrics: NodeMetrics
  log: Logger
  now?: () => number
  maxInFlight?: number
  probe?: (url: string, timeoutMs: number, maxBodyBytes: number) => Promise<ProbeResult>
  /** This attester's schedule secret (schedule.ts scheduleSecret); without it every probe is at its slot's start. */
  scheduleSecret?: Hex
}) {
  const { store, metrics } = deps
  const now = deps.now ?? Date.now
  const probe = deps.probe ?? probeOnce
  const maxInFlight = deps.maxInFlight ?? 512
  const aggregates = new Map<string, EpochSamples>()
  const dirty = new Set<string>()
  const timers = new Set<NodeJS.Timeout>()
  let inFlight = 0
  let stopped = true

  function aggregate(t: ProbeTarget, epoch: number): EpochSamples {
    const key = sampleKey(t.serviceId, t.vault, epoch)
    let agg = aggregates.get(key)
    if (!agg) {
      agg = store.measure.samples(t.serviceId, t.vault, epoch) ?? {
        serviceId: t.serviceId,
        vault: t.vault,
        epoch,
        samples: 0,
        ok: 0,
        latencies: [],
      }
      aggregates.set(key, agg)
    }
    return agg
  }

  /**
   * Whether any reference endpoint answers, remembered for a second so that many failing operators at once cost
   * one round of reference probes, not one each.
   */
  const referenceChecks = new Map<string, { at: number; up: Promise<boolean> }>()
  function referencesUp(t: ProbeTarget): Promise<boolean> {
    const key = t.references.join(' ')
    const cached = referenceChecks.get(key)
    if (cached && now() - cached.at < 1_000) return cached.up
    const up = Promise.all(t.references.map((u) => probe(u, t.timeoutMs, t.maxBodyBytes))).then((rs) =>
      rs.some((r) => r.ok),
    )
    referenceChecks.set(key, { at: now(), up })
    return up
  }

  function record(t: ProbeTarget, startedAt: number, r: ProbeResult) {
    // a sample belongs to the epoch in which the probe started, whenever it ends
    const agg = aggregate(t, epochOf(startedAt, t.epochSeconds))
    agg.samples++
    if (r.ok) {
      agg.ok++
      agg.latencies.push(r.latencyMs)
      metrics.probeLatency.observe(r.latencyMs / 1000)
    }
    dirty.add(sampleKey(t.serviceId, t.vault, agg.epoch))
    metrics.probes.inc({ result: r.ok ? 'ok' : r.error === 'timeout' ? 'timeout' : 'down' })
  }

  async function probeTarget(t: ProbeTarget, due: number) {
    const startedAt = now()
    // a node that cannot keep its own schedule (overloaded, paused, swapping) cannot time anyone else either:
    // its late probes are no samples, never failed ones, so its own trouble never reads as an operator's downtime
    if (inFlight >= maxInFlight || startedAt - due > Math.max(250, t.intervalMs / 2)) {
      metrics.probes.inc({ result: 'skipped' })
      return
    }
    inFlight++
    metrics.probesInFlight.set(inFlight)
    try {
      let result = await probe(t.endpoint, t.timeoutMs, t.maxBodyBytes)
      // a failure is confirmed by an immediate re-probe: one dropped connection is not an outage
      for (let i = 0; !result.ok && !result.local && i < t.retries; i++)
        result = await probe(t.endpoint, t.timeoutMs, t.maxBodyBytes)
      // this node's own failure (descriptors, resolver, route) is no sample at all
      if (result.local) {
        metrics.probes.inc({ result: 'skipped_local' })
        deps.log.debug('probe failed locally: not counted', { vault: t.vault, error: result.error })
        return
      }
      // a failure while the references fail too says more about this node's network than the operator
      if (!result.ok && t.references.length > 0 && !(await referencesUp(t))) {
        metrics.probes.inc({ result: 'skipped_reference' })
        return
      }
      record(t, startedAt, result)
    } finally {
      inFlight--
      metrics.probesInFlight.set(inFlight)
    }
  }

  function schedule(t: ProbeTarget) {
    const secret = t.randomizeTiming ? deps.scheduleSecret : undefined
    const clock = createProbeClock(secret, t, now())
    const arm = () => {
      // a slow probe does not push the schedule back: due times already past are skipped
      let due = clock.next()
      while (due <= now()) due = clock.next()
      const timer = setTimeout(
        () => {
          timers.delete(timer)
          if (stopped) return
          void probeTarget(t, due)
          arm()
        },
        Math.max(0, due - now()),
      )
      timers.add(timer)
    }
    arm()
  }

  function flush() {
    if (dirty.size === 0) return
    const rows = [...dirty].map((k) => aggregates.get(k)!).filter(Boolean)
    dirty.clear()
    store.measure.saveSamples(rows)
  }

  return {
    start() {
      stopped = false
      for (const t of deps.targets) schedule(t)
    },
    stop() {
      stopped = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      flush()
    },
    flush,
    /** The aggregate of one epoch (memory first, then the store). */
    samples(serviceId: bigint, vault: string, epoch: number): EpochSamples | undefined {
      return (
        aggregates.get(sampleKey(serviceId, vault, epoch)) ?? store.measure.samples(serviceId, vault, epoch)
      )
    },
    /** Forgets in-memory aggregates of epochs already judged. */
    forget(serviceId: bigint, vault: string, epoch: number) {
      const key = sampleKey(serviceId, vault, epoch)
      if (!dirty.has(key)) aggregates.delete(key)
    },
    inFlight: () => inFlight,
  }
}
