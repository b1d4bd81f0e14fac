/**
 * ServiceRegistry events: services with their SLA terms and violation classes, queued changes of terms, and the
 * attester committee (approval, joining with a bond, exits and removals, bonds taken for false reports).
 */
import { time } from '../db/codec.ts'
import type { Row } from '../db/schema.ts'
import type { EventArgs } from '../events.ts'
import { newAttester } from './rows.ts'
import { type ContractHandlers, type HandlerContext, lc, read } from './types.ts'

type Params = EventArgs<'registry', 'ServiceCreated'>['params']
type Classes = EventArgs<'registry', 'ServiceCreated'>['classes']

/** Classes a service may have that a change can drop (ids are uint8; services use a handful). */
const CLASS_SCAN = 32

function terms(p: Params) {
  return {
    resolver: lc(p.resolver),
    dispute_window: p.disputeWindow,
    resolution_deadline: p.resolutionDeadline,
    quorum_bps: p.quorumBps,
    reporter_share_bps: p.reporterShareBps,
    sink: lc(p.sink),
    dispute_bond: p.disputeBond,
    correlation_window: p.correlationWindow,
    correlation_multiplier_bps: p.correlationMultiplierBps,
    incident_cap_bps: p.incidentCapBps,
    window_cap_bps: p.windowCapBps,
    client_share_bps: p.clientShareBps,
    attester_penalty_bps: p.attesterPenaltyBps,
    min_attester_bond: p.minAttesterBond,
    order_fee_bps: p.orderFeeBps,
    collateral_factor_bps: p.collateralFactorBps,
    collateral_floor_bps: p.collateralFloorBps,
    declared_value: p.declaredValue,
    min_allocation_delay: p.minAllocationDelay,
  }
}

/** The class rows writeClasses reads: every class the service has or may have had. */
const classReads = (serviceId: bigint, classes: Classes) =>
  Array.from({ length: Math.max(classes.length, CLASS_SCAN) }, (_, i) =>
    read('service_classes', { service_id: Number(serviceId), class_id: i }),
  )

function writeClasses(ctx: HandlerContext, serviceId: number, classes: Classes) {
  for (let i = 0; i < Math.max(classes.length, CLASS_SCAN); i++) {
    const key = { service_id: serviceId, class_id: i }
    const c = classes[i]
    if (!c) {
      if (ctx.get('service_classes', key)) ctx.remove('service_classes', key)
      continue
    }
    const values = {
      base_penalty_bps: c.basePenaltyBps,
      jail_duration: c.jailDuration,
      permanent_ban: c.permanentBan ? 1 : 0,
    }
    ctx.change(
      'service_classes',
      key,
      (row) => void Object.assign(row, values),
      () => ({ ...key, ...values }),
    )
  }
}

const serviceRead = (serviceId: bigint) => read('services', { service_id: Number(serviceId) })
const attesterKey = (serviceId: bigint, attester: string) => ({
  service_id: Number(serviceId),
  attester: lc(attester),
})

const changeAttester = (
  ctx: HandlerContext,
  serviceId: bigint,
  attester: string,
  fn: (a: Row<'attesters'>) => void,
) =>
  ctx.change('attesters', attesterKey(serviceId, attester), fn, () =>
    newAttester(Number(serviceId), lc(attester)),
  )

const changeCommittee = (ctx: HandlerContext, serviceId: bigint, fn: (c: Record<string, string>) => void) =>
  ctx.change('services', { service_id: Number(serviceId) }, (s) => {
    const committee = JSON.parse(s.committee) as Record<string, string>
    fn(committee)
    s.committee = JSON.stringify(committee)
  })

export const registryHandlers: ContractHandlers<'registry'> = {
  ServiceCreated: {
    reads: (e) => [serviceRead(e.args.serviceId), ...classReads(e.args.serviceId, e.args.classes)],
    apply(e, ctx) {
      const id = Number(e.args.serviceId)
      ctx.change(
        'services',
        { service_id: id },
        () => {},
        () => ({
          service_id: id,
          owner: lc(e.args.owner),
          ...terms(e.args.params),
          committee: '{}',
          pending_change: null,
          pending_ready_at: null,
          total_allocated: 0n,
          reward_stake: 0n,
          acc_per_stake: 0n,
          rewards_distributed: 0n,
          fees_added: 0n,
          fees_swept: 0n,
          subsidy_funded: 0n,
          subsidy_balance: 0n,
          subsidy_rate_per_second: 0n,
        }),
      )
      writeClasses(ctx, id, e.args.classes)
    },
  },
  ServiceChangeQueued: {
    reads: (e) => [serviceRead(e.args.serviceId)],
    apply(e, ctx) {
      ctx.change('services', { service_id: Number(e.args.serviceId) }, (s) => {
        s.pending_change = JSON.stringify({ params: e.args.params, classes: e.args.classes }, (_k, v) =>
          typeof v === 'bigint' ? v.toString() : v,
        )
        s.pending_ready_at = time(e.args.readyAt)
      })
    },
  },
  ServiceChangeApplied: {
    reads: (e) => [serviceRead(e.args.serviceId), ...classReads(e.args.serviceId, e.args.classes)],
    apply(e, ctx) {
      ctx.change('services', { service_id: Number(e.args.serviceId) }, (s) => {
        Object.assign(s, terms(e.args.params))
        s.pending_change = null
        s.pending_ready_at = null
      })
      writeClasses(ctx, Number(e.args.serviceId), e.args.classes)
    },
  },
  ServiceChangeCancelled: {
    reads: (e) => [serviceRead(e.args.serviceId)],
    apply(e, ctx) {
      ctx.change('services', { service_id: Number(e.args.serviceId) }, (s) => {
        s.pending_change = null
        s.pending_ready_at = null
      })
    },
  },
  AttesterApprovalQueued: {
    reads: (e) => [read('attesters', attesterKey(e.args.serviceId, e.args.attester))],
    apply(e, ctx) {
      changeAttester(ctx, e.args.serviceId, e.args.attester, (a) => {
        // an approval of a member already serving changes nothing but when it was approved
        if (a.status !== 'active') a.status = 'approval-queued'
        if (a.status !== 'active') a.ready_at = time(e.args.readyAt)
      })
    },
  },
  AttesterJoined: {
    reads: (e) => [
      serviceRead(e.args.serviceId),
      read('attesters', attesterKey(e.args.serviceId, e.args.attester)),
    ],
    apply(e, ctx) {
      changeAttester(ctx, e.args.serviceId, e.args.attester, (a) => {
        a.status = 'active'
        a.committee_index = e.args.index
        a.bond = e.args.bond
        a.ready_at = null
      })
      changeCommittee(ctx, e.args.serviceId, (c) => {
        c[e.args.index] = lc(e.args.attester)
      })
    },
  },
  AttesterBondAdded: {
    reads: (e) => [read('attesters', attesterKey(e.args.serviceId, e.args.attester))],
    apply(e, ctx) {
      changeAttester(ctx, e.args.serviceId, e.args.attester, (a) => {
        a.bond = e.args.bond
      })
    },
  },
  AttesterExitRequested: {
    reads: (e) => [read('attesters', attesterKey(e.args.serviceId, e.args.attester))],
    apply(e, ctx) {
      changeAttester(ctx, e.args.serviceId, e.args.attester, (a) => {
        a.status = 'exiting'
        a.ready_at = time(e.args.readyAt)
      })
    },
  },
  AttesterRemovalQueued: {
    reads: (e) => [read('attesters', attesterKey(e.args.serviceId, e.args.attester))],
    apply(e, ctx) {
      changeAttester(ctx, e.args.serviceId, e.args.attester, (a) => {
        a.status = 'removal-queued'
        a.ready_at = time(e.args.readyAt)
      })
    },
  },
  AttesterBondWithdrawn: {
    reads: (e) => [
      serviceRead(e.args.serviceId),
      read('attesters', attesterKey(e.args.serviceId, e.args.attester)),
    ],
    apply(e, ctx) {
      const a = changeAttester(ctx, e.args.serviceId, e.args.attester, (a) => {
        a.status = 'withdrawn'
        a.bond = 0n
        a.ready_at = null
      })
      // the index is freed only now (ServiceRegistry.withdrawAttesterBond)
      const index = a?.committee_index
      if (index !== null && index !== undefined) {
        changeCommittee(ctx, e.args.serviceId, (c) => {
          if (c[index] === lc(e.args.attester)) delete c[index]
        })
      }
    },
  },
  AttesterSlashed: {
    reads: (e) => [read('attesters', attesterKey(e.args.serviceId, e.args.attester))],
    apply(e, ctx) {
      changeAttester(ctx, e.args.serviceId, e.args.attester, (a) => {
        a.bond -= e.args.amount
        a.slashed += e.args.amount
      })
      ctx.append('attester_penalties', {
        block_number: Number(e.blockNumber),
        log_index: e.logIndex,
        tx_hash: lc(e.txHash),
        service_id: Number(e.args.serviceId),
        attester: lc(e.args.attester),
        amount: e.args.amount,
        recipient: lc(e.args.recipient),
      })
    },
  },
}
