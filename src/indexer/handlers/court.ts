/**
 * SlashingCourt events: one `slashes` row per slash carrying its whole story (the report's class, incident,
 * client and signers; the dispute; the ruling; the execution and its payouts), plus what a slash does to its
 * vault (an executed slash takes from the bond, then the pool) and to the allocation (jail, ban, reputation).
 *
 * An order's collateral slash stays held as reserved collateral of its vault from its request until it settles
 * (SlashingCourt keeps it senior to reports): the same rule as reduceEvents.ts.
 */
import { time } from '../db/codec.ts'
import type { Row } from '../db/schema.ts'
import type { EventMeta } from '../events.ts'
import { isOrderIncident, ORDER_INCIDENT_FLAG } from '../status.ts'
import { newAllocation } from './rows.ts'
import { type ContractHandlers, type HandlerContext, lc, read } from './types.ts'
import { changeCredit, changeVault, recordRate } from './vault.ts'

const slashKey = (slashId: string) => ({ slash_id: lc(slashId) })

const changeAllocation = (
  ctx: HandlerContext,
  vault: string,
  serviceId: number,
  fn: (a: Row<'allocations'>) => void,
) => ctx.change('allocations', { vault, service_id: serviceId }, fn, () => newAllocation(vault, serviceId))

/**
 * Moves an order slash's hold on its vault's collateral by `delta` (nothing for a report's slash). The vault is the
 * slash row's, known only once that is read: its rows are loaded here.
 */
async function holdOrderSlash(ctx: HandlerContext, s: Row<'slashes'>, delta: bigint) {
  if (s.is_order === 0 || delta === 0n) return
  await ctx.load(
    read('allocations', { vault: s.vault, service_id: s.service_id }),
    read('vaults', { vault: s.vault }),
  )
  changeAllocation(ctx, s.vault, s.service_id, (a) => {
    a.reserved += delta
  })
  changeVault(ctx, s.vault, (v) => {
    v.total_reserved += delta
  })
}

/** The addresses a signer bitmap names, from the service's committee at the time of the report. */
function signersOf(committee: Record<string, string>, bitmap: bigint): string[] {
  const out: string[] = []
  for (let i = 0; bitmap > 0n; i++, bitmap >>= 1n) if (bitmap & 1n) out.push(committee[i] ?? `#${i}`)
  return out
}

const ruled = (e: EventMeta) => ({ ruled_block: Number(e.blockNumber), ruled_tx: lc(e.txHash) })

export const courtHandlers: ContractHandlers<'court'> = {
  SlashRequested: {
    reads: (e) => [
      read('slashes', slashKey(e.args.slashId)),
      read('services', { service_id: Number(e.args.serviceId) }),
      read('allocations', { vault: lc(e.args.vault), service_id: Number(e.args.serviceId) }),
      read('vaults', { vault: lc(e.args.vault) }),
    ],
    async apply(e, ctx) {
      const d = e.args.details
      const service = ctx.get('services', { service_id: Number(d.serviceId) })
      const committee = service ? (JSON.parse(service.committee) as Record<string, string>) : {}
      const order = isOrderIncident(d.incidentId)
      const s = ctx.change(
        'slashes',
        slashKey(e.args.slashId),
        () => {},
        () => ({
          slash_id: lc(e.args.slashId),
          vault: lc(d.vault),
          service_id: Number(d.serviceId),
          class_id: d.classId,
          incident_id: lc(d.incidentId),
          is_order: order ? 1 : 0,
          order_id: order ? Number(BigInt(d.incidentId) & ~ORDER_INCIDENT_FLAG) : null,
          client: lc(d.client),
          reporter: lc(d.reporter),
          sink: lc(d.sink),
          signers_bitmap: d.signers,
          signers: JSON.stringify(signersOf(committee, d.signers)),
          seq: Number(d.seq),
          requested_amount: d.amount,
          amount: d.amount,
          dispute_bond: d.disputeBond,
          client_share_bps: d.clientShareBps,
          reporter_share_bps: d.reporterShareBps,
          jail_duration: d.jailDuration,
          permanent_ban: d.permanentBan ? 1 : 0,
          resolution_deadline: d.resolutionDeadline,
          requested_at: d.requestedAt,
          dispute_end: time(e.args.disputeEnd),
          status: 'Pending',
          requested_tx: lc(e.txHash),
          disputed_by: null,
          dispute_bond_posted: null,
          resolve_by: null,
          disputed_block: null,
          ruled_block: null,
          ruled_tx: null,
          attesters_slashed: null,
          executed_block: null,
          executed_tx: null,
          from_bond: null,
          from_pool: null,
          to_client: null,
          to_reporter: null,
          to_sink: null,
          jailed_until: null,
          banned: 0,
        }),
      )
      await holdOrderSlash(ctx, s!, d.amount)
    },
  },
  SlashDisputed: {
    reads: (e) => [read('slashes', slashKey(e.args.slashId))],
    apply(e, ctx) {
      ctx.change('slashes', slashKey(e.args.slashId), (s) => {
        s.status = 'Disputed'
        s.disputed_by = lc(e.args.operator)
        s.dispute_bond_posted = e.args.bond
        s.resolve_by = time(e.args.resolveBy)
        s.disputed_block = Number(e.blockNumber)
      })
    },
  },
  SlashUpheld: {
    reads: (e) => [read('slashes', slashKey(e.args.slashId))],
    async apply(e, ctx) {
      const before = ctx.get('slashes', slashKey(e.args.slashId))
      if (!before) return
      const delta = e.args.details.amount - before.amount
      const s = ctx.change('slashes', slashKey(e.args.slashId), (s) => {
        s.status = 'Upheld'
        s.amount = e.args.details.amount
        Object.assign(s, ruled(e))
      })
      await holdOrderSlash(ctx, s!, delta)
    },
  },
  SlashOverturned: {
    reads: (e) => [read('slashes', slashKey(e.args.slashId))],
    async apply(e, ctx) {
      const s = ctx.change('slashes', slashKey(e.args.slashId), (s) => {
        s.status = 'Overturned'
        s.attesters_slashed = e.args.attestersSlashed
        Object.assign(s, ruled(e))
      })
      if (s) await holdOrderSlash(ctx, s, -s.amount)
    },
  },
  SlashLapsed: {
    reads: (e) => [read('slashes', slashKey(e.args.slashId))],
    async apply(e, ctx) {
      const s = ctx.change('slashes', slashKey(e.args.slashId), (s) => {
        s.status = 'Lapsed'
        Object.assign(s, ruled(e))
      })
      if (s) await holdOrderSlash(ctx, s, -s.amount)
    },
  },
  SlashExecuted: {
    reads: (e) => [
      read('slashes', slashKey(e.args.slashId)),
      read('vaults', { vault: lc(e.args.vault) }),
      read('allocations', { vault: lc(e.args.vault), service_id: Number(e.args.serviceId) }),
    ],
    async apply(e, ctx) {
      const a = e.args
      const s = ctx.change('slashes', slashKey(a.slashId), (s) => {
        s.status = 'Executed'
        s.executed_block = Number(e.blockNumber)
        s.executed_tx = lc(e.txHash)
        s.from_bond = a.fromBond
        s.from_pool = a.fromPool
        s.to_client = a.toClient
        s.to_reporter = a.toReporter
        s.to_sink = a.toSink
      })
      if (!s) return
      await holdOrderSlash(ctx, s, -s.amount)
      const vault = lc(a.vault)
      const v = changeVault(ctx, vault, (v) => {
        v.bond -= a.fromBond
        v.pool_assets -= a.fromPool
        // the whole reserved amount leaves the liabilities, whatever was actually taken
        v.pending_liabilities -= s.amount
        v.slashed_from_bond += a.fromBond
        v.slashed_from_pool += a.fromPool
      })
      changeAllocation(ctx, vault, Number(a.serviceId), (al) => {
        al.pending_slash -= s.amount
        // an executed slash resets the operator's reputation on the service (ReputationLib)
        al.reputation_score = 0n
        al.reputation_scored_at = Number(e.timestamp)
      })
      recordRate(ctx, e, v!, e.name)
    },
  },
  OperatorJailed: {
    reads: (e) => [read('allocations', { vault: lc(e.args.vault), service_id: Number(e.args.serviceId) })],
    apply(e, ctx) {
      changeAllocation(ctx, lc(e.args.vault), Number(e.args.serviceId), (a) => {
        a.jailed_until = time(e.args.until)
      })
    },
  },
  OperatorBannedForever: {
    reads: (e) => [read('allocations', { vault: lc(e.args.vault), service_id: Number(e.args.serviceId) })],
    apply(e, ctx) {
      changeAllocation(ctx, lc(e.args.vault), Number(e.args.serviceId), (a) => {
        a.banned = 1
      })
    },
  },
  ServiceAllocationChanged: {
    reads: (e) => [read('services', { service_id: Number(e.args.serviceId) })],
    apply(e, ctx) {
      ctx.change('services', { service_id: Number(e.args.serviceId) }, (s) => {
        s.total_allocated = e.args.totalAllocated
      })
    },
  },
  Credited: {
    reads: (e) => [read('credits', { holder: lc(e.address), account: lc(e.args.account), kind: 'credit' })],
    apply(e, ctx) {
      changeCredit(ctx, lc(e.address), lc(e.args.account), 'credit', (c) => {
        c.credited += e.args.amount
      })
    },
  },
  CreditWithdrawn: {
    reads: (e) => [read('credits', { holder: lc(e.address), account: lc(e.args.account), kind: 'credit' })],
    apply(e, ctx) {
      changeCredit(ctx, lc(e.address), lc(e.args.account), 'credit', (c) => {
        c.withdrawn += e.args.amount
      })
    },
  },
}
