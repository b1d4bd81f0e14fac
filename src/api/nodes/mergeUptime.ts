/**
 * A vault's uptime as the committee measured it: per service and epoch, each attester's fraction of successful
 * probes and the committee's median. The median, not the mean: one attester with a bad network (or a lying one)
 * moves it by at most one rank, as it moves the quorum's verdict by at most one signature. Integers only: the
 * lower median of basis points, so every API replica shows the same figure.
 */
import type { Address } from 'viem'

export type NodeEpoch = {
  epoch: number
  samples: number
  ok: number
  uptimeBps: number
  verdict: string | null
}
export type NodeService = {
  serviceId: string
  epochSeconds: number
  minUptimeBps: number
  epochs: NodeEpoch[]
}

export type MergedEpoch = {
  epoch: number
  start: number
  attesters: { attester: Address; samples: number; ok: number; uptimeBps: number; verdict: string | null }[]
  medianBps: number
}
export type MergedService = {
  serviceId: string
  epochSeconds: number
  minUptimeBps: number
  epochs: MergedEpoch[]
}

/** The lower median (of an even count, the smaller middle value): never above what half the committee saw. */
export function lowerMedian(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('the median of no values')
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}

/** `copies`: each counted attester's services (only the services it is on the committee of). */
export function mergeUptime(copies: { attester: Address; services: NodeService[] }[]): MergedService[] {
  const services = new Map<string, MergedService & { byEpoch: Map<number, MergedEpoch> }>()
  for (const { attester, services: own } of copies) {
    for (const s of own) {
      // the first node's policy stands for the service; nodes of one committee are configured alike
      const m = services.get(s.serviceId) ?? { ...s, epochs: [], byEpoch: new Map<number, MergedEpoch>() }
      services.set(s.serviceId, m)
      for (const e of s.epochs) {
        // an epoch without a probe says nothing about the operator (the node was down, or just started)
        if (!Number.isSafeInteger(e.samples) || e.samples <= 0) continue
        const me = m.byEpoch.get(e.epoch) ?? {
          epoch: e.epoch,
          start: e.epoch * m.epochSeconds,
          attesters: [],
          medianBps: 0,
        }
        m.byEpoch.set(e.epoch, me)
        // recomputed from the counts rather than trusted, rounded down as the verdict rounds
        const ok = Math.max(0, Math.min(e.ok, e.samples))
        me.attesters.push({
          attester,
          samples: e.samples,
          ok,
          uptimeBps: Math.floor((ok * 10_000) / e.samples),
          verdict: e.verdict,
        })
      }
    }
  }
  return [...services.values()]
    .map(({ byEpoch, ...s }) => ({
      ...s,
      epochs: [...byEpoch.values()]
        .map((e) => ({
          ...e,
          attesters: e.attesters.sort((a, b) => (a.attester < b.attester ? -1 : 1)),
          medianBps: lowerMedian(e.attesters.map((a) => a.uptimeBps)),
        }))
        .sort((a, b) => a.epoch - b.epoch),
    }))
    .sort((a, b) => Number(BigInt(a.serviceId) - BigInt(b.serviceId)))
}
