/**
 * Submits order outcomes that hold a quorum to OrderBook.reportOutcome, once — the same turn-taking, journal and
 * error handling as slash reports (report/submitter.ts). Right before sending, the node reads the order in the
 * pending block: a milestone already settled (by another attester's submission, the client's confirmation, an
 * expiry) means the work is done; an order that is not Active on chain (its acceptance is not there, e.g. after a
 * reorg) is not submitted at all, and its outcome waits — it expires if the order never becomes active again.
 */
import type { Address, Hex, LocalAccount, PublicClient } from 'viem'
import { ContractRevertedError } from '../../errors.ts'
import { orderBookAbi } from '../../sdk/abis.ts'
import { orderSignatures } from '../../sdk/reports.ts'
import type { CommitteeCache } from '../chain/committee.ts'
import type { FollowerListener } from '../chain/follower.ts'
import { hasQuorum, pickQuorum } from '../chain/quorum.ts'
import type { TxSender } from '../chain/txSender.ts'
import { errorFields, type Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import { turnOf } from '../rank.ts'
import { QUORUM_ERRORS } from '../report/submitter.ts'
import { withRetry } from '../retry.ts'
import type { StoredEvent } from '../store/chainRepo.ts'
import type { OutcomeState, StoredOutcome } from '../store/outcomeRepo.ts'
import type { Store } from '../store/store.ts'
import { milestoneSettled, readLiveOrder } from './chainState.ts'
import type { OrderSource } from './source.ts'

/** Reverts that mean the milestone is no longer the next one: someone settled it (or the order) first. */
const SETTLED_ERRORS = new Set(['MilestoneMismatch', 'WrongOrderStatus'])

export function createOutcomeSubmitter(deps: {
  store: Store
  client: PublicClient
  ordersAddress: Address
  orders: OrderSource
  account: LocalAccount
  committees: CommitteeCache
  txSender: TxSender
  metrics: NodeMetrics
  log: Logger
  staggerMs: number
  reportTtlMs: number
  now?: () => number
}) {
  const { store, metrics, log } = deps
  const now = deps.now ?? Date.now
  const self = deps.account.address.toLowerCase() as Address
  const quorumSince = new Map<Hex, number>()
  const task = (o: StoredOutcome) => `outcome:${o.digest}`
  const live = (o: StoredOutcome) => readLiveOrder(deps.client, deps.ordersAddress, o.orderId, 'pending')

  function setState(o: StoredOutcome, state: OutcomeState, reason?: string) {
    store.outcomes.setState(o.digest, state, now(), reason)
    metrics.outcomes.inc({ state })
    log.info(`order outcome ${state}`, {
      digest: o.digest,
      orderId: o.orderId,
      milestone: o.milestone,
      success: o.success,
      reason,
    })
  }

  async function landed(o: StoredOutcome, result: string) {
    const outcome = await deps.txSender.finish(task(o))
    if (outcome?.status === 'mined') store.outcomes.setTx(o.digest, outcome.tx.id, now())
    metrics.outcomeSubmissions.inc({ result })
    setState(o, 'landed')
  }

  async function submit(o: StoredOutcome): Promise<void> {
    const state = await live(o)
    if (milestoneSettled(state, o.milestone)) return landed(o, 'already_settled')
    const order = deps.orders.byId(o.orderId)
    if (state.status !== 'Active' || state.settled !== o.milestone || !order) {
      // the acceptance is not on chain (not yet, or a reorg took it), or an earlier milestone is still open
      if (o.state === 'submitting' && !deps.txSender.openTx(task(o)))
        setState(o, 'collecting', `order ${state.status} on chain at milestone ${state.settled}`)
      return
    }
    const committee = await deps.committees.get(o.serviceId)
    const held = store.reports.signatures(o.digest)
    const chosen = pickQuorum(
      committee,
      held.map((s) => s.signer),
    )
    if (!chosen && !deps.txSender.openTx(task(o))) {
      if (o.state === 'submitting') setState(o, 'collecting', 'quorum lost')
      return
    }
    if (o.state !== 'submitting') setState(o, 'submitting')
    const signatures = held.filter((s) => (chosen ?? held.map((h) => h.signer)).includes(s.signer))
    const outcome = { orderId: o.orderId, milestone: o.milestone, success: o.success, classId: o.classId }
    try {
      const sent = await withRetry(
        () =>
          deps.txSender.send({
            task: task(o),
            purpose: 'outcome',
            address: deps.ordersAddress,
            abi: orderBookAbi,
            functionName: 'reportOutcome',
            args: [o.orderId, order.params, outcome, orderSignatures(signatures)],
          }),
        {
          retries: 3,
          baseMs: 200,
          maxMs: 5_000,
          onRetry: (error, attempt, delayMs) =>
            log.warn('outcome submission retry', {
              digest: o.digest,
              attempt,
              delayMs,
              ...errorFields(error),
            }),
        },
      )
      if (sent.status === 'mined') {
        store.outcomes.setTx(o.digest, sent.tx.id, now())
        metrics.outcomeSubmissions.inc({ result: 'mined' })
        setState(o, 'landed')
        return
      }
      if (milestoneSettled(await live(o), o.milestone)) return landed(o, 'already_settled')
      setState(o, 'collecting', `transaction ${sent.status}`)
    } catch (error) {
      if (error instanceof ContractRevertedError && SETTLED_ERRORS.has(error.errorName ?? '')) {
        if (milestoneSettled(await live(o), o.milestone)) return landed(o, 'already_settled')
        return setState(o, 'collecting', error.message)
      }
      if (error instanceof ContractRevertedError && QUORUM_ERRORS.has(error.errorName ?? '')) {
        deps.committees.invalidate(o.serviceId)
        metrics.outcomeSubmissions.inc({ result: 'no_quorum' })
        return setState(o, 'collecting', error.message)
      }
      if (error instanceof ContractRevertedError) {
        // DeadlinePassed (a success after the deadline: only the client may confirm now), UnknownClass, …
        metrics.outcomeSubmissions.inc({ result: 'failed' })
        return setState(o, 'failed', error.message)
      }
      metrics.outcomeSubmissions.inc({ result: 'error' })
      log.warn('outcome submission failed, will retry', { digest: o.digest, ...errorFields(error) })
      setState(o, 'collecting', (error as Error).message)
    }
  }

  async function tick(): Promise<void> {
    // a submission a previous run left open whose milestone was confirmed since: settle it from its receipt
    for (const tx of deps.txSender.openEntries()) {
      const o = tx.task.startsWith('outcome:') ? store.outcomes.get(tx.task.slice(8) as Hex) : undefined
      if (!o || (o.state !== 'landed' && o.state !== 'confirmed')) continue
      const sent = await deps.txSender.finish(tx.task)
      if (sent?.status === 'mined') store.outcomes.setTx(o.digest, sent.tx.id, now())
    }
    for (const o of [...store.outcomes.inState('submitting'), ...store.outcomes.inState('collecting')]) {
      if (o.state === 'collecting' && now() - o.createdAt > deps.reportTtlMs) {
        setState(o, 'expired', 'no quorum within the report TTL')
        continue
      }
      if (o.own !== 'signed') continue
      const committee = await deps.committees.get(o.serviceId)
      const signers = store.reports.signatures(o.digest).map((s) => s.signer)
      if (o.state === 'collecting' && !hasQuorum(committee, signers)) {
        quorumSince.delete(o.digest)
        continue
      }
      const since = quorumSince.get(o.digest) ?? now()
      quorumSince.set(o.digest, since)
      const turn = turnOf(o.digest, self, [...committee.members.keys()] as Address[])
      if (now() < since + turn * deps.staggerMs) continue
      await submit(o)
    }
    // settled but not yet confirmed at depth: if the chain no longer has the milestone settled (a reorg), again
    for (const o of store.outcomes.inState('landed')) {
      if (!milestoneSettled(await live(o), o.milestone)) {
        quorumSince.delete(o.digest)
        setState(o, 'collecting', 'milestone no longer settled on chain (reorganisation)')
        continue
      }
      // settled in the confirmed view before this outcome landed (its settling event came first)
      const view = deps.orders.byId(o.orderId)
      if (!view || view.settled > o.milestone) setState(o, 'confirmed', 'settled in the confirmed view')
    }
    metrics.outcomesOpen.set(store.outcomes.inState('collecting').length)
  }

  return { tick }
}

const SETTLING = new Set(['MilestonePaid', 'OrderFailed', 'OrderCompleted', 'OrderCancelled'])

/**
 * Follower listener: the confirmed event that settles an outcome's milestone (MilestonePaid for it, or the
 * order's end) confirms the outcome; a reorg that removes that event sends it back to landed, where the
 * submitter checks the chain again.
 */
export function outcomeConfirmations(
  store: Store,
  metrics: NodeMetrics,
  log: Logger,
  now: () => number = Date.now,
): FollowerListener {
  return {
    onEvents: (events: StoredEvent[]) => {
      for (const e of events) {
        if (e.orderId === undefined || !SETTLING.has(e.name)) continue
        const paid = e.name === 'MilestonePaid' ? Number(e.args.milestone) : undefined
        for (const o of store.outcomes.ofOrder(e.orderId)) {
          if (o.state === 'confirmed' || o.state === 'failed' || o.state === 'expired') continue
          if (paid !== undefined && o.milestone !== paid) continue
          const txId = store.txs.minedBy(`outcome:${o.digest}`, e.txHash, e.blockNumber, now())
          if (txId !== undefined) store.outcomes.setTx(o.digest, txId, now())
          store.outcomes.setState(o.digest, 'confirmed', now(), e.name)
          metrics.outcomes.inc({ state: 'confirmed' })
          log.info('order outcome confirmed', { digest: o.digest, orderId: o.orderId, by: e.name })
        }
      }
    },
    onRollback: (removed: StoredEvent[]) => {
      for (const e of removed) {
        if (e.orderId === undefined || !SETTLING.has(e.name)) continue
        const paid = e.name === 'MilestonePaid' ? Number(e.args.milestone) : undefined
        for (const o of store.outcomes.ofOrder(e.orderId)) {
          if (o.state !== 'confirmed' || o.reason !== e.name) continue
          if (paid !== undefined && o.milestone !== paid) continue
          store.outcomes.setState(o.digest, 'landed', now(), 'confirmation removed by a reorganisation')
          log.warn('order outcome confirmation rolled back', { digest: o.digest, orderId: o.orderId })
        }
      }
    },
  }
}
