/**
 * Services from the HTTP API in the shape `readService` gives (terms, classes, committee in index order, stake the
 * court counts) and a queued change as `queuedChange` reads it from the registry's events: `service list`, `service
 * show` and `attester list` print the same lines, and the same JSON, from either source.
 */
import { getAddress } from 'viem'
import { type ApiClient, collect } from '../../../sdk/api/index.ts'
import type { ApiAttester, ApiService } from '../../../sdk/api/types.ts'
import type { ServiceParams } from '../../../sdk/types.ts'
import { unlessNotIndexed } from '../../lib/readSource.ts'
import type { readService } from './read.ts'

type ServiceView = Awaited<ReturnType<typeof readService>>

const big = (a: { base: string }) => BigInt(a.base)

/**
 * The committee as the registry's `committee()` lists it: members still active (an exit ends that at once; a queued
 * removal only when it applies), by committee index.
 */
function committeeOf(attesters: ApiAttester[]) {
  return attesters
    .filter((a) => (a.status === 'active' || a.status === 'removal-queued') && a.committeeIndex !== null)
    .sort((a, b) => a.committeeIndex! - b.committeeIndex!)
    .map((a) => ({ attester: getAddress(a.address), bond: big(a.bond) }))
}

export function serviceFromApi(s: ApiService, attesters: ApiAttester[]): ServiceView {
  const t = s.terms
  const params: ServiceParams = {
    resolver: getAddress(s.resolver),
    disputeWindow: t.disputeWindowSeconds,
    resolutionDeadline: t.resolutionDeadlineSeconds,
    quorumBps: t.quorumBps,
    reporterShareBps: t.reporterShareBps,
    sink: getAddress(s.sink),
    disputeBond: big(t.disputeBond),
    correlationWindow: t.correlationWindowSeconds,
    correlationMultiplierBps: t.correlationMultiplierBps,
    incidentCapBps: t.incidentCapBps,
    windowCapBps: t.windowCapBps,
    clientShareBps: t.clientShareBps,
    attesterPenaltyBps: t.attesterPenaltyBps,
    minAttesterBond: big(t.minAttesterBond),
    minAllocationDelay: t.minAllocationDelaySeconds,
    orderFeeBps: t.orderFeeBps,
    collateralFactorBps: t.collateralFactorBps,
    collateralFloorBps: t.collateralFloorBps,
    declaredValue: big(t.declaredValue),
  }
  return {
    serviceId: BigInt(s.id),
    owner: getAddress(s.owner),
    params,
    classes: s.classes.map((c) => ({
      basePenaltyBps: c.basePenaltyBps,
      jailDuration: c.jailDurationSeconds,
      permanentBan: c.permanentBan,
    })),
    committee: committeeOf(attesters),
    allocated: big(s.totalAllocated),
  }
}

/** Every service with its committee, by id: two lists, however many services. */
export async function servicesFromApi(api: ApiClient): Promise<ServiceView[]> {
  const [services, attesters] = await Promise.all([
    collect(api.services.all({ sort: 'id', order: 'asc', limit: 500 })),
    collect(api.attesters.all({ limit: 500 })),
  ])
  return services.map((s) =>
    serviceFromApi(
      s,
      attesters.filter((a) => a.serviceId === s.id),
    ),
  )
}

/**
 * One service with its committee and queued change (as `queuedChange` gives it: the event's params and classes,
 * and when it may apply), or undefined when the index does not hold it (yet): the caller reads the chain.
 */
export async function serviceWithChangeFromApi(api: ApiClient, id: bigint) {
  const answer = await unlessNotIndexed(
    Promise.all([api.services.get(id), collect(api.attesters.all({ service: id, limit: 500 }))]),
  )
  if (!answer) return undefined
  const [{ data }, attesters] = answer
  const pending = data.pendingChange
  const change = pending?.change as { params: unknown; classes: unknown } | undefined
  return {
    service: serviceFromApi(data, attesters),
    change:
      pending && change
        ? { readyAt: BigInt(pending.readyAt?.unix ?? 0), params: change.params, classes: change.classes }
        : null,
  }
}
