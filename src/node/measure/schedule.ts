/**
 * When each probe of a target is taken.
 *
 * With a secret (the default), an attester's probes of a target form a Poisson process at one probe per interval
 * on average: the gaps are exponential draws from a keyed hash of (service, vault, segment, index) under a secret
 * only this attester holds (`scheduleSecret`: a hash of its signature of a fixed message, so it follows from the
 * node key and never from anything public). A Poisson process is memoryless: a probe that has just come says
 * nothing about when the next one comes. That is the point. An earlier schedule took one probe per slot of a public
 * grid at a secret offset; an operator who watched the committee's probes arrive could stay up only until every
 * attester's probe of the slot had come and then go down until the next slot, unseen about 1/(n+1) of the time
 * (review 3, F2). Here, whatever rule the operator follows, the share of probes that find it down is the share of
 * time it is down (Poisson arrivals see time averages), so downtime is measured in proportion to what there is.
 *
 * The chain of draws restarts at public anchors every SEGMENT_INTERVALS intervals (phased per target so 1,000
 * operators do not restart together): a restarted Poisson process is still one, and a node that starts or restarts
 * finds its place in a few hashes instead of replaying its history. The same key gives the same schedule, so tests
 * replay it.
 *
 * Without a secret every attester probes on a shared grid, one probe per interval at the target's phase (honest
 * nodes then sample the same instants, at the price of a predictable schedule: tests and local set-ups only).
 */
import { concat, encodeAbiParameters, type Hex, keccak256, type LocalAccount, toHex } from 'viem'

const SCHEDULE_MESSAGE = 'surety.node.v1 probe schedule'

/** Intervals per segment of the draw chain: a restart costs at most about this many hashes per target. */
export const SEGMENT_INTERVALS = 16

/**
 * The secret behind this attester's probe timing: keccak256 of its signature of a fixed message. ECDSA signing
 * here is deterministic (RFC 6979), so the secret is stable across restarts, and only the key holder can make it.
 */
export async function scheduleSecret(account: LocalAccount): Promise<Hex> {
  return keccak256(await account.signMessage({ message: SCHEDULE_MESSAGE }))
}

export type ScheduleTarget = { serviceId: bigint; vault: string; intervalMs: number }

/** The phase of a target (ms into each interval), the same for every attester: spreads targets over time. */
export const slotPhase = (t: ScheduleTarget): number =>
  Number(BigInt(keccak256(toHex(`${t.serviceId}:${t.vault.toLowerCase()}`))) % BigInt(t.intervalMs))

/** 2^52: the draws use the top 52 bits of a hash, as many as a double holds exactly. */
const TWO_52 = 2 ** 52

/**
 * The i-th gap of segment `segment` (ms, at least 1): −ln(u)·interval for u uniform in (0, 1) from the keyed hash,
 * an exponential draw with mean `intervalMs`. Rounded to whole ms so every runtime replays the same times.
 */
export function gapMs(secret: Hex, t: ScheduleTarget, segment: number, i: number): number {
  const draw = keccak256(
    concat([
      secret,
      encodeAbiParameters(
        [{ type: 'uint64' }, { type: 'address' }, { type: 'int64' }, { type: 'uint32' }],
        [t.serviceId, t.vault as Hex, BigInt(segment), i],
      ),
    ]),
  )
  const u = (Number(BigInt(draw) >> 204n) + 0.5) / TWO_52
  return Math.max(1, Math.round(-Math.log(u) * t.intervalMs))
}

/** The due times of one attester's probes of `t`, strictly increasing, the first one after `afterMs` (Unix ms). */
export function createProbeClock(secret: Hex | undefined, t: ScheduleTarget, afterMs: number) {
  const phase = slotPhase(t)
  if (!secret) {
    // the shared grid: k·interval + phase
    let k = Math.floor((afterMs - phase) / t.intervalMs) + 1
    return { next: () => k++ * t.intervalMs + phase }
  }
  const segmentMs = SEGMENT_INTERVALS * t.intervalMs
  const anchor = (segment: number) => segment * segmentMs + phase
  let segment = Math.floor((afterMs - phase) / segmentMs)
  let i = 0
  let at = anchor(segment)
  const step = (): number => {
    for (;;) {
      const due = at + gapMs(secret, t, segment, i++)
      if (due < anchor(segment + 1)) {
        at = due
        return due
      }
      // past the segment's end: the chain restarts at the next public anchor
      segment++
      i = 0
      at = anchor(segment)
    }
  }
  let pending = step()
  while (pending <= afterMs) pending = step()
  return {
    next(): number {
      const due = pending
      pending = step()
      return due
    },
  }
}
