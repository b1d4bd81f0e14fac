/**
 * The outcome book: this node's verdicts on order milestones as signed EIP-712 OrderOutcomes, and its peers'
 * signatures on them, kept in the store (the counterpart of report/book.ts for the order book).
 *
 * `attest` signs this node's own verdict on an order's next milestone — success, or failure of the service's
 * class for that kind of order and broken promise (failureClass.ts) — and records the verdict, so the node never
 * signs another verdict on the same milestone. `receive` takes a peer's outcome in only if the order is one this
 * node watches (confirmed OrderOpened, still running), the milestone exists and is not settled in its view, and the
 * class is one this node could sign for it; each signature only if it recovers to its signer and the signer is on
 * the service's committee. A peer's failure of another class than this node's own is kept as one it disagrees with.
 */
import type { Address, Hex, LocalAccount } from 'viem'
import {
  type OrderOutcomeDomain,
  orderOutcomeDigest,
  orderParamsHash,
  signOrderOutcome,
} from '../../sdk/orderOutcomes.ts'
import type { OrderOutcome } from '../../sdk/types.ts'
import type { CommitteeCache } from '../chain/committee.ts'
import type { NodeConfig } from '../config.ts'
import { failpoint } from '../failpoint.ts'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import {
  alreadySigned,
  reopen,
  storeOwnSignature,
  storeReceived,
  verifiedSignatures,
} from '../report/signedMessage.ts'
import type { OutcomeKind, StoredOutcome } from '../store/outcomeRepo.ts'
import type { OwnStance } from '../store/reportRepo.ts'
import type { Store } from '../store/store.ts'
import type { Breach } from '../telemetry/judge.ts'
import { failureClass, failureClasses } from './failureClass.ts'
import { isShipment, type WatchedOrder } from './fold.ts'
import type { OutcomeMessage } from './outcomeMessage.ts'
import type { OrderSource } from './source.ts'

/**
 * The verdict subject of an order's milestone: judged once, by whichever judge watches that kind of order. It names
 * the order by its parameters hash and the vault holding it as well as its id, so an order that a reorg renumbered
 * (same id, other terms) or handed to another bidder (same id and terms, another vault: an intent's params carry
 * vault 0) is judged afresh instead of inheriting the orphaned order's verdict.
 */
export const outcomeSubject = (orderId: bigint, paramsHash: Hex, vault: Address, milestone: number) =>
  `order:${orderId}:${paramsHash.toLowerCase()}:${vault.toLowerCase()}:${milestone}`

/** The subject of a watched order's milestone (its parameters hashed as the order book stores them, its vault). */
export const orderMilestoneSubject = (order: WatchedOrder, milestone: number) =>
  outcomeSubject(order.orderId, orderParamsHash(order.params), order.vault, milestone)

export type OutcomeExpectation =
  | { ok: true; kind: OutcomeKind; classId: number }
  | { ok: false; reason: string }

/**
 * The outcome this node would sign for an order's milestone: class 0 for a success (the order book ignores the
 * class of a success, but every attester must sign the same bytes); for a failure, the service's class for that
 * kind of order and the promise broken (`breach`, failureClass.ts: a shipment's `temperature` or `lateness`, else
 * `delivery`; a compute job's `wrongOutput`). A failure without a class is never reported.
 */
export function expectedOutcome(
  config: NodeConfig,
  order: WatchedOrder,
  success: boolean,
  breach?: Breach,
): OutcomeExpectation {
  const service = config.services.find((s) => BigInt(s.serviceId) === order.serviceId)
  if (!service) return { ok: false, reason: `service ${order.serviceId} is not attested by this node` }
  if (order.kind !== 'job')
    return { ok: false, reason: `order ${order.orderId} is a lease: no milestones to attest` }
  const kind: OutcomeKind = isShipment(order) ? 'shipment' : 'compute'
  if (failureClasses(service.classes, kind).length === 0)
    return {
      ok: false,
      reason: `service ${order.serviceId} reports no ${kind} outcomes (no class configured)`,
    }
  if (success) return { ok: true, kind, classId: 0 }
  const classId = failureClass(service.classes, kind, breach)
  if (classId === undefined)
    return {
      ok: false,
      reason: `service ${order.serviceId} reports no ${kind} failures${breach ? ` of ${breach}` : ''} (no class configured)`,
    }
  return { ok: true, kind, classId }
}

/** The failure classes this node could sign for the order (any promise broken); empty when it reports none. */
function possibleFailureClasses(config: NodeConfig, order: WatchedOrder): number[] {
  const service = config.services.find((s) => BigInt(s.serviceId) === order.serviceId)
  if (!service) return []
  return failureClasses(service.classes, isShipment(order) ? 'shipment' : 'compute')
}

export type OutcomeReceiveResult =
  | { ok: true; reply: OutcomeMessage & { digest: Hex; state: string }; added: number }
  | { ok: false; status: number; error: string }

export type OutcomeBook = ReturnType<typeof createOutcomeBook>

export function createOutcomeBook(deps: {
  config: NodeConfig
  store: Store
  orders: OrderSource
  account: LocalAccount
  domain: OrderOutcomeDomain
  committees: CommitteeCache
  metrics: NodeMetrics
  log: Logger
  now?: () => number
  onChange?: (digest: Hex) => void
}) {
  const { config, store, account, domain, metrics, log } = deps
  const now = deps.now ?? Date.now
  const self = account.address.toLowerCase() as Address

  /** The class of the failure this node signed on the outcome's milestone, if it signed one. */
  const ownFailureClass = (o: OrderOutcome) =>
    store.outcomes
      .ofOrder(o.orderId)
      .find(
        (r) =>
          r.own === 'signed' &&
          !r.success &&
          r.milestone === o.milestone &&
          r.paramsHash.toLowerCase() === o.paramsHash.toLowerCase() &&
          r.vault.toLowerCase() === o.vault.toLowerCase(),
      )?.classId

  const stanceOf = (o: OrderOutcome): OwnStance => {
    const v = store.measure.verdict(outcomeSubject(o.orderId, o.paramsHash, o.vault, o.milestone))
    if (!v) return 'unknown'
    if (v.verdict !== (o.success ? 'success' : 'failure')) return 'disagree'
    // a failure this node judged as another broken promise (another class) is not the one it signed
    if (!o.success) {
      const own = ownFailureClass(o)
      if (own !== undefined && own !== o.classId) return 'disagree'
    }
    return 'signed'
  }

  /**
   * Signs this node's verdict on `order`'s milestone `milestone` (idempotent). Returns the digest, or undefined
   * when the service reports no outcome of this kind (the verdict is then only recorded).
   */
  async function attest(
    order: WatchedOrder,
    milestone: number,
    success: boolean,
    detail: unknown,
    breach?: Breach,
  ): Promise<Hex | undefined> {
    const expected = expectedOutcome(config, order, success, breach)
    const paramsHash = orderParamsHash(order.params)
    const subject = outcomeSubject(order.orderId, paramsHash, order.vault, milestone)
    if (!expected.ok) {
      store.measure.putVerdict({
        subject,
        kind: 'order',
        verdict: success ? 'success' : 'failure',
        detail,
        judgedAt: now(),
      })
      return undefined
    }
    const outcome: OrderOutcome = {
      orderId: order.orderId,
      paramsHash,
      vault: order.vault,
      milestone,
      success,
      classId: expected.classId,
    }
    const digest = orderOutcomeDigest(domain, outcome)
    if (alreadySigned(store, digest, self, store.outcomes.get(digest)?.own)) return digest
    const signed = await signOrderOutcome(account, domain, outcome)
    // every other verdict on the same milestone (the opposite one, a failure of another class): this node now
    // disagrees with them
    const others = [
      ...(success ? [] : [{ success: true, classId: 0 }]),
      ...possibleFailureClasses(config, order)
        .filter((classId) => success || classId !== expected.classId)
        .map((classId) => ({ success: false, classId })),
    ].map((o) => orderOutcomeDigest(domain, { ...outcome, ...o }))
    const created = storeOwnSignature({
      store,
      digest,
      signature: { signer: self, signature: signed.signature },
      putVerdict: () =>
        store.measure.putVerdict({
          subject,
          kind: expected.kind,
          verdict: success ? 'success' : 'failure',
          detail,
          judgedAt: now(),
        }),
      create: () =>
        store.outcomes.create({
          digest,
          ...outcome,
          serviceId: order.serviceId,
          kind: expected.kind,
          own: 'signed',
          now: now(),
        }),
      setOwn: store.outcomes.setOwn,
      // the other verdict on the same milestone, which this node now disagrees with
      also: () => {
        for (const other of others)
          if (store.outcomes.get(other)?.own === 'unknown') store.outcomes.setOwn(other, 'disagree', now())
        reopen(store.outcomes.get(digest)?.state, (state) => store.outcomes.setState(digest, state, now()))
      },
      now,
    })
    if (created) metrics.outcomes.inc({ state: 'collecting' })
    log.info('order outcome signed', {
      digest,
      orderId: order.orderId,
      milestone,
      success,
      classId: expected.classId,
      vault: order.vault,
    })
    failpoint('outcome.signed')
    deps.onChange?.(digest)
    return digest
  }

  function messageOf(o: StoredOutcome): OutcomeMessage {
    return {
      outcome: {
        orderId: o.orderId,
        paramsHash: o.paramsHash,
        vault: o.vault,
        milestone: o.milestone,
        success: o.success,
        classId: o.classId,
      },
      signatures: store.reports.signatures(o.digest),
    }
  }

  async function receive(m: OutcomeMessage): Promise<OutcomeReceiveResult> {
    const { outcome } = m
    const order = deps.orders.byId(outcome.orderId)
    if (!order)
      return {
        ok: false,
        status: 404,
        error: `order ${outcome.orderId} is not running in this node's view (unknown, finished or not yet confirmed)`,
      }
    // whether this node reports this kind of outcome at all (and of which kind); the class is checked next
    const expected = expectedOutcome(config, order, true)
    if (!expected.ok) return { ok: false, status: 404, error: expected.reason }
    const classes = outcome.success ? [0] : possibleFailureClasses(config, order)
    if (!classes.includes(outcome.classId))
      return {
        ok: false,
        status: 409,
        error: `the outcome does not match this node’s classes for that order: classId ${outcome.classId} (this node: ${classes.join(' or ')})`,
      }
    // the same id with other terms: an order renumbered by a reorg (or a view that lags one); never co-signed
    if (outcome.paramsHash.toLowerCase() !== orderParamsHash(order.params))
      return {
        ok: false,
        status: 409,
        error: `the outcome does not match this node’s order ${order.orderId}: paramsHash ${outcome.paramsHash} (this node: ${orderParamsHash(order.params)})`,
      }
    // the same order held by another vault: a reorg that handed an intent to another bidder (or a view that lags
    // one); a verdict on one operator's work is never co-signed for another's
    if (outcome.vault.toLowerCase() !== order.vault)
      return {
        ok: false,
        status: 409,
        error: `the outcome does not match this node’s order ${order.orderId}: vault ${outcome.vault} (this node: ${order.vault})`,
      }
    if (outcome.milestone >= order.milestones)
      return { ok: false, status: 409, error: `order ${order.orderId} has no milestone ${outcome.milestone}` }
    if (outcome.milestone < order.settled)
      return { ok: false, status: 409, error: `milestone ${outcome.milestone} is already settled` }
    // a milestone this node has not judged cannot be checked: a success signed the moment an order was accepted
    // is a claim, not a finding. Refused; once this node judges it, its own push fetches the peers' signatures.
    if (stanceOf(outcome) === 'unknown')
      return {
        ok: false,
        status: 425,
        error: `milestone ${outcome.milestone} of order ${order.orderId} is not judged by this node yet`,
      }
    const digest = orderOutcomeDigest(domain, outcome)
    const committee = await deps.committees.get(order.serviceId)
    const fresh = await verifiedSignatures({
      store,
      committee,
      digest,
      signatures: m.signatures,
      kind: 'outcome',
      metrics,
      log,
    })
    const added = storeReceived({
      store,
      digest,
      fresh,
      known: store.outcomes.get(digest) !== undefined,
      create: () =>
        store.outcomes.create({
          digest,
          ...outcome,
          serviceId: order.serviceId,
          kind: expected.kind,
          own: stanceOf(outcome),
          now: now(),
        }),
      onCreated: () => metrics.outcomes.inc({ state: 'collecting' }),
      now,
    })
    if (added) deps.onChange?.(digest)
    return {
      ok: true,
      added,
      reply: {
        outcome,
        signatures: store.reports.signatures(digest),
        digest,
        state: store.outcomes.get(digest)?.state ?? 'unknown',
      },
    }
  }

  return { attest, receive, messageOf, stanceOf }
}
