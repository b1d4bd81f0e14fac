/**
 * Submits reports that hold a quorum, once.
 *
 * Every node that signed a report and holds a quorum for it takes its turn (rank.ts): the first in line submits at
 * once, the next waits one stagger longer, and so on. Before sending, each checks the court: a slash already
 * requested for that (service, vault, incident) means the work is done (the court would refuse it anyway with
 * ReportAlreadyUsed, which is also taken as done). The transaction goes through the journal (txSender.ts), so a
 * node killed mid-send rebroadcasts the same transaction rather than a second one. Retryable errors (RPC down)
 * are retried with backoff; reverts are not: a quorum revert refreshes the committee and waits, any other revert
 * fails the report with its reason.
 */
import type { Address, Hex, LocalAccount, PublicClient } from 'viem'
import { ContractRevertedError } from '../../errors.ts'
import { slashingCourtAbi } from '../../sdk/abis.ts'
import { orderSignatures } from '../../sdk/reports.ts'
import { SlashStatus, type SuretyAddresses } from '../../sdk/types.ts'
import type { CommitteeCache } from '../chain/committee.ts'
import { hasQuorum, pickQuorum } from '../chain/quorum.ts'
import type { TxSender } from '../chain/txSender.ts'
import { errorFields, type Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import { turnOf } from '../rank.ts'
import { withRetry } from '../retry.ts'
import type { StoredEvent } from '../store/chainRepo.ts'
import type { StoredReport } from '../store/reportRepo.ts'
import type { Store } from '../store/store.ts'

/** Reverts of the registry's quorum check: the committee changed under the node; gather more and retry. */
export const QUORUM_ERRORS = new Set([
  'QuorumNotReached',
  'QuorumCountNotReached',
  'AttesterNotActive',
  'SignersNotSorted',
])

export function createSubmitter(deps: {
  store: Store
  client: PublicClient
  addresses: SuretyAddresses
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
  const task = (r: StoredReport) => `report:${r.digest}`

  // 'pending' includes transactions still in the pool: a submission sent a moment ago already counts
  const onChainStatus = async (slashId: Hex) => {
    const [status] = await deps.client.readContract({
      address: deps.addresses.court,
      abi: slashingCourtAbi,
      functionName: 'slashStatus',
      args: [slashId],
      blockTag: 'pending',
    })
    return SlashStatus[status] ?? 'None'
  }

  function setState(r: StoredReport, state: StoredReport['state'], reason?: string) {
    store.reports.setState(r.digest, state, now(), reason)
    metrics.reports.inc({ state })
    log.info(`report ${state}`, {
      digest: r.digest,
      slashId: r.slashId,
      kind: r.kind,
      subject: r.subject,
      reason,
    })
  }

  /** Marks a report whose slash the chain already has; settles our own transaction for it if we sent one. */
  async function landed(r: StoredReport, result: string) {
    const outcome = await deps.txSender.finish(task(r))
    if (outcome?.status === 'mined') store.reports.setTx(r.digest, outcome.tx.id, now())
    metrics.submissions.inc({ result })
    setState(r, 'landed')
  }

  async function submit(r: StoredReport): Promise<void> {
    if ((await onChainStatus(r.slashId)) !== 'None') return landed(r, 'already_used')
    const committee = await deps.committees.get(r.report.serviceId)
    const held = store.reports.signatures(r.digest)
    const chosen = pickQuorum(
      committee,
      held.map((s) => s.signer),
    )
    if (!chosen && !deps.txSender.openTx(task(r))) {
      // the committee changed since the quorum was counted: gather more
      if (r.state === 'submitting') setState(r, 'collecting', 'quorum lost')
      return
    }
    if (r.state !== 'submitting') setState(r, 'submitting')
    const signatures = held.filter((s) => (chosen ?? held.map((h) => h.signer)).includes(s.signer))
    try {
      const outcome = await withRetry(
        () =>
          deps.txSender.send({
            task: task(r),
            purpose: 'report',
            address: deps.addresses.court,
            abi: slashingCourtAbi,
            functionName: 'requestSlash',
            args: [r.report, orderSignatures(signatures)],
          }),
        {
          retries: 3,
          baseMs: 200,
          maxMs: 5_000,
          onRetry: (error, attempt, delayMs) =>
            log.warn('submission retry', { digest: r.digest, attempt, delayMs, ...errorFields(error) }),
        },
      )
      if (outcome.status === 'mined') {
        store.reports.setTx(r.digest, outcome.tx.id, now())
        metrics.submissions.inc({ result: 'mined' })
        setState(r, 'landed')
        return
      }
      // reverted on chain (someone else's landed first) or abandoned: the chain decides what happened
      if ((await onChainStatus(r.slashId)) !== 'None') return landed(r, 'already_used')
      setState(r, 'collecting', `transaction ${outcome.status}`)
    } catch (error) {
      if (error instanceof ContractRevertedError && error.errorName === 'ReportAlreadyUsed')
        return landed(r, 'already_used')
      if (error instanceof ContractRevertedError && QUORUM_ERRORS.has(error.errorName ?? '')) {
        deps.committees.invalidate(r.report.serviceId)
        metrics.submissions.inc({ result: 'no_quorum' })
        return setState(r, 'collecting', error.message)
      }
      if (error instanceof ContractRevertedError) {
        metrics.submissions.inc({ result: 'failed' })
        return setState(r, 'failed', error.message)
      }
      metrics.submissions.inc({ result: 'error' })
      log.warn('submission failed, will retry', { digest: r.digest, ...errorFields(error) })
      setState(r, 'collecting', (error as Error).message)
    }
  }

  async function tick(): Promise<void> {
    // a submission a previous run left open whose slash the follower has confirmed since: settle it from its receipt
    for (const tx of deps.txSender.openEntries()) {
      const r = tx.task.startsWith('report:') ? store.reports.get(tx.task.slice(7) as Hex) : undefined
      if (!r || (r.state !== 'landed' && r.state !== 'confirmed')) continue
      const outcome = await deps.txSender.finish(tx.task)
      if (outcome?.status === 'mined') store.reports.setTx(r.digest, outcome.tx.id, now())
    }
    // `submitting` is a submission a previous run left half-done: it waits for its turn like any other, so that
    // nodes restarted together do not all rebroadcast at once; its journal entry is reused, never re-signed
    for (const r of [...store.reports.inState('submitting'), ...store.reports.inState('collecting')]) {
      if (r.state === 'collecting' && now() - r.createdAt > deps.reportTtlMs) {
        setState(r, 'expired', 'no quorum within the report TTL')
        continue
      }
      if (r.own !== 'signed') continue
      const committee = await deps.committees.get(r.report.serviceId)
      const signers = store.reports.signatures(r.digest).map((s) => s.signer)
      if (r.state === 'collecting' && !hasQuorum(committee, signers)) {
        quorumSince.delete(r.digest)
        continue
      }
      const since = quorumSince.get(r.digest) ?? now()
      quorumSince.set(r.digest, since)
      // the whole committee, not only the signers this node holds: two nodes holding different subsets must still
      // agree on who goes first (a first-in-line member that did not sign costs one stagger)
      const turn = turnOf(r.slashId, self, [...committee.members.keys()] as Address[])
      if (now() < since + turn * deps.staggerMs) continue
      await submit(r)
    }

    // landed but not yet confirmed at depth: if the chain no longer has it (a reorg), gather and submit again
    for (const r of store.reports.inState('landed')) {
      if ((await onChainStatus(r.slashId)) === 'None') {
        quorumSince.delete(r.digest)
        setState(r, 'collecting', 'slash no longer on chain (reorganisation)')
      }
    }
    metrics.reportsOpen.set(store.reports.inState('collecting').length)
  }

  return { tick, quorumSince }
}

/** Follower listener: a SlashRequested at confirmation depth confirms the report; its removal un-confirms it. */
export function reportConfirmations(
  store: Store,
  metrics: NodeMetrics,
  log: Logger,
  now: () => number = Date.now,
) {
  return {
    onEvents: (events: StoredEvent[]) => {
      for (const e of events) {
        if (e.name !== 'SlashRequested' || !e.slashId) continue
        for (const r of store.reports.bySlashId(e.slashId)) {
          if (r.state === 'confirmed') continue
          // our own submission (even one a previous run sent and never saw mined): record it with the report
          const txId = store.txs.minedBy(`report:${r.digest}`, e.txHash, e.blockNumber, now())
          if (txId !== undefined) store.reports.setTx(r.digest, txId, now())
          store.reports.setState(r.digest, 'confirmed', now())
          metrics.reports.inc({ state: 'confirmed' })
          log.info('report confirmed', { digest: r.digest, slashId: r.slashId })
        }
      }
    },
    onRollback: (removed: StoredEvent[]) => {
      for (const e of removed) {
        if (e.name !== 'SlashRequested' || !e.slashId) continue
        for (const r of store.reports.bySlashId(e.slashId)) {
          if (r.state !== 'confirmed') continue
          // back to landed: the submitter re-checks the chain and gathers again if the slash is gone
          store.reports.setState(r.digest, 'landed', now(), 'confirmation removed by a reorganisation')
          log.warn('report confirmation rolled back', { digest: r.digest, slashId: r.slashId })
        }
      }
    },
  }
}
