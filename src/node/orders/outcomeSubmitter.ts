/**
 * Submits order outcomes that hold a quorum to OrderBook.reportOutcome, once — the same turn-taking, journal and
 * error handling as slash reports (report/submitter.ts). Right before sending, the node reads the order in the
 * pending block: a milestone already settled (by another attester's submission, the client's confirmation, an
 * expiry) means the work is done; an order that is not Active on chain (its acceptance is not there, e.g. after a
 * reorg) is not submitted at all, and its outcome waits — it expires if the order never becomes active again.
 */
import type { Address, Hex, LocalAccount, PublicClient } from 'viem'
import { ContractRevertedError } from '../../errors.ts'
import type { StoredEvent } from '../../indexer/follower/eventRepo.ts'
import type { FollowerListener } from '../../indexer/follower/follower.ts'
import { orderBookAbi } from '../../sdk/abis.ts'
import { orderParamsHash } from '../../sdk/orderOutcomes.ts'
import { orderSignatures } from '../../sdk/reports.ts'
import type { CommitteeCache } from '../chain/committee.ts'
import type { TxSender } from '../chain/txSender.ts'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import {
  sendWithRetry,
  settleLeftovers,
  submissionFailed,
  submissionSteps,
  takeTurns,
} from '../report/quorumSubmit.ts'
import type { OutcomeState, StoredOutcome } from '../store/outcomeRepo.ts'
import type { Store } from '../store/store.ts'
import { type LiveOrder, milestoneSettled, readLiveOrder } from './chainState.ts'
import type { OrderSource } from './source.ts'

/** Reverts that mean the milestone is no longer the next one: someone settled it (or the order) first. */
const SETTLED_ERRORS = new Set(['MilestoneMismatch', 'WrongOrderStatus'])

/**
 * The order on chain under the outcome's id is the one the outcome is about: the same parameters and the same vault
 * (an intent's params carry vault 0, so a reorg can hand the same id and params to another bidder).
 */
const sameOrder = (live: LiveOrder, o: StoredOutcome) =>
  live.paramsHash === o.paramsHash && live.vault.toLowerCase() === o.vault.toLowerCase()

/** The outcome's milestone is settled on chain, in the order the outcome is about (same id, parameters, vault). */
const settledFor = (live: LiveOrder, o: StoredOutcome) =>
  sameOrder(live, o) && milestoneSettled(live, o.milestone)

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
  // 'pending' (with the pool) decides whether to send; only 'latest' (mined) makes an outcome landed
  const live = (o: StoredOutcome) => readLiveOrder(deps.client, deps.ordersAddress, o.orderId, 'pending')
  const mined = (o: StoredOutcome) => readLiveOrder(deps.client, deps.ordersAddress, o.orderId, 'latest')

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

  const steps = submissionSteps<StoredOutcome>({
    txSender: deps.txSender,
    task,
    setTx: store.outcomes.setTx,
    counter: metrics.outcomeSubmissions,
    setState,
    now,
  })
  const landed = steps.landed

  async function submit(o: StoredOutcome): Promise<void> {
    const state = await live(o)
    if (state.paramsHash !== o.paramsHash) {
      // another order holds this id on chain now (a reorg renumbered orders, or the outcome's order is gone): the
      // outcome is about an order that does not exist here; nothing is sent, and it expires like any other
      if (o.state === 'submitting' && !deps.txSender.openTx(task(o)))
        setState(o, 'collecting', `order ${o.orderId} on chain has other parameters`)
      return
    }
    if (state.status === 'Active' && state.vault.toLowerCase() !== o.vault.toLowerCase()) {
      // another vault holds the order on this branch (a reorg gave the intent to another bidder): the verdict is on
      // the other operator's work; nothing is sent (the order book would refuse it: OutcomeForOtherVault)
      if (o.state === 'submitting' && !deps.txSender.openTx(task(o)))
        setState(o, 'collecting', `order ${o.orderId} on chain is held by vault ${state.vault}`)
      return
    }
    if (milestoneSettled(state, o.milestone)) {
      if (settledFor(await mined(o), o)) return landed(o, 'already_settled')
      // settled only by a transaction in the pool: send nothing, look again next tick
      return
    }
    const order = deps.orders.byId(o.orderId)
    // the confirmed view may lag the chain: its order under this id must be the outcome's too
    if (
      state.status !== 'Active' ||
      state.settled !== o.milestone ||
      !order ||
      orderParamsHash(order.params) !== o.paramsHash ||
      order.vault !== o.vault.toLowerCase()
    ) {
      // the acceptance is not on chain (not yet, or a reorg took it), or an earlier milestone is still open
      if (o.state === 'submitting' && !deps.txSender.openTx(task(o)))
        setState(o, 'collecting', `order ${state.status} on chain at milestone ${state.settled}`)
      return
    }
    const committee = await deps.committees.get(o.serviceId)
    const signatures = steps.prepare(o, committee, store.reports.signatures(o.digest))
    if (!signatures) return
    const outcome = {
      orderId: o.orderId,
      paramsHash: o.paramsHash,
      vault: o.vault,
      milestone: o.milestone,
      success: o.success,
      classId: o.classId,
    }
    try {
      const sent = await sendWithRetry(
        deps.txSender,
        {
          task: task(o),
          purpose: 'outcome',
          address: deps.ordersAddress,
          abi: orderBookAbi,
          functionName: 'reportOutcome',
          args: [o.orderId, order.params, outcome, orderSignatures(signatures)],
        },
        log,
        'outcome submission',
        o.digest,
      )
      if (sent.status === 'mined') return steps.mined(o, sent.tx.id)
      if (settledFor(await mined(o), o)) return landed(o, 'already_settled')
      setState(o, 'collecting', `transaction ${sent.status}`)
    } catch (error) {
      if (error instanceof ContractRevertedError && SETTLED_ERRORS.has(error.errorName ?? '')) {
        if (settledFor(await mined(o), o)) return landed(o, 'already_settled')
        return setState(o, 'collecting', error.message)
      }
      // a revert other than a quorum one (DeadlinePassed: a success after the deadline, only the client may
      // confirm now; UnknownClass, …) fails the outcome
      submissionFailed(error, {
        digest: o.digest,
        serviceId: o.serviceId,
        committees: deps.committees,
        counter: metrics.outcomeSubmissions,
        log,
        label: 'outcome submission',
        setState: (state, reason) => setState(o, state, reason),
      })
    }
  }

  async function tick(): Promise<void> {
    // a submission a previous run left open whose milestone was confirmed since: settle it from its receipt
    await settleLeftovers(deps.txSender, 'outcome:', store.outcomes.get, store.outcomes.setTx, now)
    await takeTurns([...store.outcomes.inState('submitting'), ...store.outcomes.inState('collecting')], {
      now,
      ttlMs: deps.reportTtlMs,
      staggerMs: deps.staggerMs,
      self,
      quorumSince,
      committees: deps.committees,
      serviceIdOf: (o) => o.serviceId,
      turnKeyOf: (o) => o.digest,
      signers: (o) => store.reports.signatures(o.digest).map((s) => s.signer),
      setState,
      submit,
      signedAt: (o) => store.reports.signedAt(o.digest, self),
      // a milestone the chain can still settle keeps its outcome: expiring it would let the order run out
      stillOpen: async (o) => {
        const state = await live(o)
        return sameOrder(state, o) && state.status === 'Active' && state.settled === o.milestone
      },
    })
    const deleted = store.outcomes.deleteStalePeerItems(now() - deps.reportTtlMs)
    if (deleted) log.info('peer outcomes this node never signed deleted', { count: deleted })

    // settled but not yet confirmed at depth: if the chain no longer has the milestone settled (a reorg), again
    for (const o of store.outcomes.inState('landed')) {
      if (!settledFor(await live(o), o)) {
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
