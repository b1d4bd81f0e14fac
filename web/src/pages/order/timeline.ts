/** An order's life as steps, done or due: derived from the order alone (pure, tested in timeline.test.ts). */

import type { OrderDetail } from '../../api/types.ts'
import type { Time } from '../../lib/api.ts'
import { chainNow } from '../../lib/clock.ts'

export type Step = { label: string; time: Time | null; done: boolean; late?: boolean; detail?: string }

/** Milestone shares in bps from the packed uint64 (16 bits each from the lowest; 0 = one milestone of 100%). */
export function milestoneShares(packed: string): number[] {
  let v = BigInt(packed)
  if (v === 0n) return [10_000]
  const out: number[] = []
  while (v > 0n) {
    out.push(Number(v & 0xffffn))
    v >>= 16n
  }
  return out
}

export function orderTimeline(
  o: Pick<
    OrderDetail,
    | 'status'
    | 'intent'
    | 'openedAt'
    | 'biddingEnds'
    | 'acceptedAt'
    | 'deadline'
    | 'milestones'
    | 'milestoneShares'
    | 'bids'
    | 'kind'
  >,
  nowUnix = chainNow(),
): Step[] {
  const steps: Step[] = [{ label: 'Opened, payment in escrow', time: o.openedAt, done: true }]
  if (o.intent)
    steps.push({
      label: `Bidding${o.bids.length ? ` (${o.bids.length} bid${o.bids.length > 1 ? 's' : ''})` : ''}`,
      time: o.biddingEnds,
      done: o.status !== 'Open' || (o.biddingEnds !== null && o.biddingEnds.unix <= nowUnix),
    })
  const accepted = o.acceptedAt !== null
  steps.push({ label: 'Accepted, collateral reserved', time: o.acceptedAt ?? o.biddingEnds, done: accepted })
  if (o.kind === 'job') {
    const shares = milestoneShares(o.milestoneShares)
    shares.forEach((bps, i) => {
      const m = o.milestones.find((x) => x.index === i)
      const paid = m?.paidAt != null
      steps.push({
        label: `Milestone ${i + 1} of ${shares.length} (${bps / 100}%)`,
        time: paid ? m!.paidAt : o.deadline,
        done: paid,
        late: !paid && o.deadline !== null && o.deadline.unix < nowUnix,
        detail: paid
          ? m!.byAttesters
            ? 'confirmed by an attester quorum'
            : 'confirmed by the client'
          : undefined,
      })
    })
  }
  const end: Record<string, string> = {
    Completed: 'Completed',
    Failed: 'Failed: refunded, collateral slashed to the client',
    Cancelled: 'Cancelled',
  }
  steps.push({
    label: end[o.status] ?? (o.kind === 'job' ? 'Deadline' : 'Runs until its funds do'),
    time: o.deadline,
    done: o.status in end,
    late: !(o.status in end) && o.deadline !== null && o.deadline.unix < nowUnix,
  })
  return steps
}
