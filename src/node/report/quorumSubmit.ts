/**
 * The parts of quorum submission shared by slash reports (submitter.ts) and order outcomes
 * (orders/outcomeSubmitter.ts): choosing the signatures to send, sending through the journal with retries, the
 * handling of a failed send, settling journal entries a previous run left open, and turn-taking among the signers.
 */
import type { Address, Hex } from 'viem'
import { withRetry } from '../../chain/retry.ts'
import { ContractRevertedError } from '../../errors.ts'
import type { CommitteeCache } from '../chain/committee.ts'
import { hasQuorum, pickQuorum } from '../chain/quorum.ts'
import type { TxRequest, TxSender } from '../chain/txSender.ts'
import { errorFields, type Logger } from '../log.ts'
import { turnOf } from '../rank.ts'
import type { OwnStance, StoredSignature } from '../store/reportRepo.ts'

/** Reverts of the registry's quorum check: the committee changed under the node; gather more and retry. */
export const QUORUM_ERRORS = new Set([
  'QuorumNotReached',
  'QuorumCountNotReached',
  'AttesterNotActive',
  'SignersNotSorted',
])

export type SubmissionState = 'collecting' | 'submitting' | 'landed' | 'confirmed' | 'failed' | 'expired'

/** What the shared helpers need to know of a stored report or outcome. */
export type Submittable = {
  digest: Hex
  state: SubmissionState
  own: OwnStance
  createdAt: number
}

type ResultCounter = { inc: (labels: { result: string }) => void }

/**
 * The quorum to send out of the signatures held; undefined `chosen` means the held signatures are no quorum
 * (then all of them are sent, which only happens when the journal already has an open transaction to reuse).
 */
export function selectSignatures(
  committee: Awaited<ReturnType<CommitteeCache['get']>>,
  held: StoredSignature[],
) {
  const chosen = pickQuorum(
    committee,
    held.map((s) => s.signer),
  )
  const signatures = held.filter((s) => (chosen ?? held.map((h) => h.signer)).includes(s.signer))
  return { chosen, signatures }
}

/** Sends through the journal, retrying retryable errors with backoff (reverts are not retried by withRetry). */
export function sendWithRetry(txSender: TxSender, req: TxRequest, log: Logger, label: string, digest: Hex) {
  return withRetry(() => txSender.send(req), {
    retries: 3,
    baseMs: 200,
    maxMs: 5_000,
    onRetry: (error, attempt, delayMs) =>
      log.warn(`${label} retry`, { digest, attempt, delayMs, ...errorFields(error) }),
  })
}

/**
 * A failed send that is not the "already done" case: a quorum revert refreshes the committee and gathers
 * again, any other revert fails the item with its reason, anything else is retried on a later tick.
 */
export function submissionFailed(
  error: unknown,
  o: {
    digest: Hex
    serviceId: bigint
    committees: CommitteeCache
    counter: ResultCounter
    log: Logger
    label: string
    setState: (state: SubmissionState, reason: string) => void
  },
): void {
  if (error instanceof ContractRevertedError && QUORUM_ERRORS.has(error.errorName ?? '')) {
    o.committees.invalidate(o.serviceId)
    o.counter.inc({ result: 'no_quorum' })
    o.setState('collecting', error.message)
    return
  }
  if (error instanceof ContractRevertedError) {
    o.counter.inc({ result: 'failed' })
    o.setState('failed', error.message)
    return
  }
  o.counter.inc({ result: 'error' })
  o.log.warn(`${o.label} failed, will retry`, { digest: o.digest, ...errorFields(error) })
  o.setState('collecting', (error as Error).message)
}

/** Journal entries a previous run left open whose item has landed or been confirmed since: settle them. */
export async function settleLeftovers<T extends Submittable>(
  txSender: TxSender,
  prefix: string,
  get: (digest: Hex) => T | undefined,
  setTx: (digest: Hex, txId: number, now: number) => void,
  now: () => number,
): Promise<void> {
  for (const tx of txSender.openEntries()) {
    const item = tx.task.startsWith(prefix) ? get(tx.task.slice(prefix.length) as Hex) : undefined
    if (!item || (item.state !== 'landed' && item.state !== 'confirmed')) continue
    const sent = await txSender.finish(tx.task)
    if (sent?.status === 'mined') setTx(item.digest, sent.tx.id, now())
  }
}

/**
 * Expires items this node signed that found no quorum within the TTL of its signature, and submits each signed item
 * holding a quorum when this node's turn comes. `submitting` items (a submission a previous run left half-done) wait
 * for their turn like any other, so that nodes restarted together do not all rebroadcast at once; their journal
 * entry is reused, never re-signed.
 *
 * The TTL bounds the gathering, not the wait for a turn: an item past it that holds a quorum is still submitted in
 * its turn (the first members in line may be ones that never submit, so a turn can come seconds after the quorum),
 * and one whose chain can still take it (`stillOpen`: an outcome's milestone still open) keeps gathering too.
 */
export async function takeTurns<T extends Submittable>(
  items: T[],
  o: {
    now: () => number
    ttlMs: number
    staggerMs: number
    self: Address
    quorumSince: Map<Hex, number>
    committees: CommitteeCache
    serviceIdOf: (item: T) => bigint
    turnKeyOf: (item: T) => Hex
    signers: (item: T) => Address[]
    setState: (item: T, state: SubmissionState, reason?: string) => void
    submit: (item: T) => Promise<void>
    /** When this node signed the item. */
    signedAt: (item: T) => number | undefined
    /** True while the chain can still take the item (an outcome's milestone still open): it does not expire then. */
    stillOpen?: (item: T) => Promise<boolean>
  },
): Promise<void> {
  const { now } = o
  for (const item of items) {
    // Only what this node signed can expire, and the clock starts at its own signature: a peer's early copy of the
    // same bytes (an insider pre-signing a future finding) must not start a clock that buries this node's later,
    // honest signature. Peer items this node never signed are deleted by retention (deleteStalePeerItems) instead.
    if (item.own !== 'signed') continue
    const committee = await o.committees.get(o.serviceIdOf(item))
    const quorate = hasQuorum(committee, o.signers(item))
    if (item.state === 'collecting' && now() - (o.signedAt(item) ?? item.createdAt) > o.ttlMs) {
      // Past the TTL an item goes on only while the chain can still take it (an outcome) or, where no such check
      // exists (a report), while it holds a quorum. Going on means taking its turn below, not skipping it: an
      // outcome that skipped here was never submitted by anyone whose turn came after the TTL, and a milestone
      // whose honest quorum all stood behind members that do not submit stayed unpaid for good.
      const goesOn = o.stillOpen ? await o.stillOpen(item) : quorate
      if (!goesOn) {
        o.quorumSince.delete(item.digest)
        o.setState(item, 'expired', quorate ? 'no longer open on chain' : 'no quorum within the report TTL')
        continue
      }
    }
    if (item.state === 'collecting' && !quorate) {
      o.quorumSince.delete(item.digest)
      continue
    }
    const since = o.quorumSince.get(item.digest) ?? now()
    o.quorumSince.set(item.digest, since)
    // the whole committee, not only the signers this node holds: two nodes holding different subsets must still
    // agree on who goes first (a first-in-line member that did not sign costs one stagger)
    const turn = turnOf(o.turnKeyOf(item), o.self, [...committee.members.keys()] as Address[])
    if (now() < since + turn * o.staggerMs) continue
    await o.submit(item)
  }
}

/**
 * The submission steps around the send, for one kind of item: `prepare` picks the quorum (or reuses an open journal
 * entry) and moves the item to submitting; `mined` records our landed transaction; `landed` marks an item the
 * chain already has, settling our own transaction for it if we sent one.
 */
export function submissionSteps<T extends Submittable>(o: {
  txSender: TxSender
  task: (item: T) => string
  setTx: (digest: Hex, txId: number, now: number) => void
  counter: ResultCounter
  setState: (item: T, state: SubmissionState, reason?: string) => void
  now: () => number
}) {
  return {
    prepare(
      item: T,
      committee: Awaited<ReturnType<CommitteeCache['get']>>,
      held: StoredSignature[],
    ): StoredSignature[] | undefined {
      const { chosen, signatures } = selectSignatures(committee, held)
      if (!chosen && !o.txSender.openTx(o.task(item))) {
        // the committee changed since the quorum was counted: gather more
        if (item.state === 'submitting') o.setState(item, 'collecting', 'quorum lost')
        return undefined
      }
      if (item.state !== 'submitting') o.setState(item, 'submitting')
      return signatures
    },
    mined(item: T, txId: number): void {
      o.setTx(item.digest, txId, o.now())
      o.counter.inc({ result: 'mined' })
      o.setState(item, 'landed')
    },
    async landed(item: T, result: string): Promise<void> {
      const sent = await o.txSender.finish(o.task(item))
      if (sent?.status === 'mined') o.setTx(item.digest, sent.tx.id, o.now())
      o.counter.inc({ result })
      o.setState(item, 'landed')
    },
  }
}
