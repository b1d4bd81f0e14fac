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
import type { StoredEvent } from '../../indexer/follower/eventRepo.ts'
import { slashingCourtAbi } from '../../sdk/abis.ts'
import { orderSignatures } from '../../sdk/reports.ts'
import { SlashStatus, type SuretyAddresses } from '../../sdk/types.ts'
import type { CommitteeCache } from '../chain/committee.ts'
import type { TxSender } from '../chain/txSender.ts'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { StoredReport } from '../store/reportRepo.ts'
import type { Store } from '../store/store.ts'
import {
  sendWithRetry,
  settleLeftovers,
  submissionFailed,
  submissionSteps,
  takeTurns,
} from './quorumSubmit.ts'

export { QUORUM_ERRORS } from './quorumSubmit.ts'

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

  // 'pending' includes transactions still in the pool: a submission sent a moment ago already counts as "do not
  // send another"; only 'latest' (mined) counts as landed, since a pooled transaction can still be dropped
  const onChainStatus = async (slashId: Hex, blockTag: 'pending' | 'latest' = 'pending') => {
    const [status] = await deps.client.readContract({
      address: deps.addresses.court,
      abi: slashingCourtAbi,
      functionName: 'slashStatus',
      args: [slashId],
      blockTag,
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

  const steps = submissionSteps<StoredReport>({
    txSender: deps.txSender,
    task,
    setTx: store.reports.setTx,
    counter: metrics.submissions,
    setState,
    now,
  })
  /** Marks a report whose slash the chain already has; settles our own transaction for it if we sent one. */
  const landed = steps.landed

  async function submit(r: StoredReport): Promise<void> {
    if ((await onChainStatus(r.slashId)) !== 'None') {
      if ((await onChainStatus(r.slashId, 'latest')) !== 'None') return landed(r, 'already_used')
      // someone's submission is in the pool, not mined: send nothing, and look again next tick (if it is
      // dropped, the pending read shows nothing and this node sends its own)
      return
    }
    const committee = await deps.committees.get(r.report.serviceId)
    const signatures = steps.prepare(r, committee, store.reports.signatures(r.digest))
    if (!signatures) return
    try {
      const outcome = await sendWithRetry(
        deps.txSender,
        {
          task: task(r),
          purpose: 'report',
          address: deps.addresses.court,
          abi: slashingCourtAbi,
          functionName: 'requestSlash',
          args: [r.report, orderSignatures(signatures)],
        },
        log,
        'submission',
        r.digest,
      )
      if (outcome.status === 'mined') return steps.mined(r, outcome.tx.id)
      // reverted on chain (someone else's landed first) or abandoned: the chain decides what happened
      if ((await onChainStatus(r.slashId, 'latest')) !== 'None') return landed(r, 'already_used')
      setState(r, 'collecting', `transaction ${outcome.status}`)
    } catch (error) {
      if (error instanceof ContractRevertedError && error.errorName === 'ReportAlreadyUsed')
        return landed(r, 'already_used')
      submissionFailed(error, {
        digest: r.digest,
        serviceId: r.report.serviceId,
        committees: deps.committees,
        counter: metrics.submissions,
        log,
        label: 'submission',
        setState: (state, reason) => setState(r, state, reason),
      })
    }
  }

  async function tick(): Promise<void> {
    // a submission a previous run left open whose slash the follower has confirmed since: settle it from its receipt
    await settleLeftovers(deps.txSender, 'report:', store.reports.get, store.reports.setTx, now)
    await takeTurns([...store.reports.inState('submitting'), ...store.reports.inState('collecting')], {
      now,
      ttlMs: deps.reportTtlMs,
      staggerMs: deps.staggerMs,
      self,
      quorumSince,
      committees: deps.committees,
      serviceIdOf: (r) => r.report.serviceId,
      turnKeyOf: (r) => r.slashId,
      signers: (r) => store.reports.signatures(r.digest).map((s) => s.signer),
      setState,
      submit,
      signedAt: (r) => store.reports.signedAt(r.digest, self),
    })
    const deleted = store.reports.deleteStalePeerItems(now() - deps.reportTtlMs)
    if (deleted) log.info('peer reports this node never signed deleted', { count: deleted })

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
