/**
 * The resolver of both services: rules on each disputed slash a few blocks after the dispute. It judges on the
 * evidence: a downtime report is upheld when the operator's endpoint really was down in the epoch reported (the
 * world's script is its record of what happened), and overturned otherwise (then the attesters who signed a false
 * report lose bond); an order's failure (wrong output, a spoiled or late shipment) is proven by the nodes'
 * quorum on the order and upheld.
 */
import type { Hex } from 'viem'
import { incidentIdOf } from '../../node/report/incident.ts'
import { resolveSlash } from '../../sdk/index.ts'
import { ORDER_INCIDENT_FLAG } from '../../sdk/reports.ts'
import type { WorldContext } from '../context.ts'

/** The epoch a downtime incident id stands for, searched among the last `within` epochs. */
export function downtimeEpoch(incidentId: Hex, nowSec: number, epochSeconds: number, within = 5_000) {
  const current = Math.floor(nowSec / epochSeconds)
  for (let e = current; e > current - within; e--)
    if (incidentIdOf('downtime', String(e)).toLowerCase() === incidentId.toLowerCase()) return e
  return undefined
}

export function resolverTick(
  ctx: WorldContext,
  wasDown: (operator: number, epochStartSec: number) => boolean,
) {
  for (const s of ctx.view.slashes.values()) {
    if (s.status !== 'Disputed' || s.disputedBlock === undefined) continue
    if (ctx.head < s.disputedBlock + BigInt(ctx.profile.rulingAfterBlocks)) continue
    let uphold = true
    if ((BigInt(s.details.incidentId) & ORDER_INCIDENT_FLAG) === 0n) {
      const epoch = downtimeEpoch(
        s.details.incidentId,
        Math.floor(Date.now() / 1000),
        ctx.profile.epochSeconds,
      )
      const op = ctx.operatorOfVault(s.details.vault)
      uphold = epoch !== undefined && op >= 0 && wasDown(op, epoch * ctx.profile.epochSeconds)
    }
    const details = s.details
    ctx.act(ctx.accounts.resolver, 'the resolver ruling', () =>
      resolveSlash(ctx.clientFor(ctx.accounts.resolver), {
        details,
        upheldAmount: uphold ? details.amount : 0n,
      }),
    )
  }
}
