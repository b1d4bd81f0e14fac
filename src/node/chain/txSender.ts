/**
 * Sends the node's transactions exactly once, through a journal, and replaces the ones that do not mine.
 *
 * A transaction is simulated (a revert becomes a typed ContractRevertedError and nothing is sent), signed, and
 * written to the store with its raw bytes *before* it is broadcast. A node killed after that point finds the
 * journal entry on restart and rebroadcasts the same bytes — same nonce, same hash. One transaction at a time per
 * node, so nonces never race.
 *
 * While it waits for a receipt, a transaction that stays unmined for `bumpAfterBlocks` blocks, or whose fee is
 * below the base fee plus its tip, is re-signed for the same nonce with higher fees (chain/feeBump.ts: at least
 * +12.5 % on both fees, never above the configured cap). Each replacement is journaled as its own entry *before*
 * it is broadcast, so every hash that may take the nonce is known after a crash; whichever of them is mined is the
 * task's transaction and the others are abandoned. A replacement is never signed for a nonce the chain has already
 * used, and only a receipt — a mined block — makes a transaction landed.
 *
 * No nonce gap (review 3, F3): a nonce the node signed stays the node's to fill until the chain has used it. When the
 * chain shows a task's work done by someone else, `finish` does not abandon the task's still-unmined entries: it
 * *releases* them (they stay open in the journal). While a released entry's nonce is unused, the node keeps it in
 * the pool, and when the pool loses it — or it stays unmined or underpriced as a replacement would be — it is
 * replaced by a cancel: a 0-value self-transfer at the same nonce, fee-bumped and capped like any replacement and
 * journaled before it is broadcast (a crash recovers it like any entry). Before `send` signs, and while it waits
 * for a receipt above unmined nonces, every nonce between the chain's next one and the new transaction's is checked
 * to be held in the pool by an open entry (the same bytes broadcast again, or a cancel), and `send` never signs
 * above a nonce the pool does not hold. Released entries are closed (mined, reverted or abandoned) only once the
 * chain's mined nonce has passed theirs.
 */
import {
  type Abi,
  encodeFunctionData,
  type Hex,
  keccak256,
  type LocalAccount,
  parseGwei,
  parseTransaction,
  type TransactionSerializable,
} from 'viem'
import { SuretyError } from '../../errors.ts'
import { allSuretyErrorsAbi } from '../../sdk/abis.ts'
import { toSuretyError } from '../../sdk/sendTransaction.ts'
import type { SuretyClient } from '../../sdk/types.ts'
import { failpoint } from '../failpoint.ts'
import { errorFields, type Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { Store } from '../store/store.ts'
import type { StoredTx } from '../store/txRepo.ts'
import { bumpFees, capFees, type FeePolicy, type Fees, replaceReason } from './feeBump.ts'

export type TxRequest = {
  /** What the transaction does, unique per piece of work (`report:<digest>`, `execute:<slashId>`). */
  task: string
  purpose: string
  address: Hex
  abi: Abi
  functionName: string
  args: readonly unknown[]
}

export type TxOutcome = { status: 'mined' | 'reverted' | 'abandoned'; tx: StoredTx }
/** What `finish` did: `released` — unmined, no longer wanted, kept open until the chain has used its nonce. */
export type FinishOutcome = TxOutcome | { status: 'released'; tx: StoredTx }

export type TxSender = ReturnType<typeof createTxSender>

/** The node's defaults (config.ts `transactions`). */
export const DEFAULT_FEE_POLICY: FeePolicy = {
  bumpAfterBlocks: 3,
  bumpBps: 1_250,
  maxFeePerGas: parseGwei('500'),
}

const BPS = 10_000n
/** Gas limit above the estimate (bps), for state that changes between the estimate and the block. */
const GAS_HEADROOM_BPS = 2_000n

const isOpen = (t: StoredTx) => t.state === 'signed' || t.state === 'sent'

export function createTxSender(deps: {
  client: SuretyClient
  account: LocalAccount
  store: Store
  metrics: NodeMetrics
  log: Logger
  fees?: FeePolicy
  receiptTimeoutMs?: number
  pollingIntervalMs?: number
  now?: () => number
}) {
  const { client, account, store, metrics, log } = deps
  const now = deps.now ?? Date.now
  const policy = deps.fees ?? DEFAULT_FEE_POLICY
  const receiptTimeoutMs = deps.receiptTimeoutMs ?? 30_000
  const pollingIntervalMs = deps.pollingIntervalMs ?? 100
  /** Entries whose replacement (or cancel) the cap refused, so the warning is logged and counted once per entry. */
  const capped = new Set<number>()
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn)
    queue = run.catch(() => {})
    return run
  }

  async function broadcast(raw: Hex): Promise<void> {
    try {
      await client.public.sendRawTransaction({ serializedTransaction: raw })
    } catch (error) {
      const text = String((error as Error).message ?? error).toLowerCase()
      // already in the pool or already mined: the journal entry is still the truth, wait for its receipt
      if (
        text.includes('already known') ||
        text.includes('nonce too low') ||
        text.includes('already imported')
      )
        return
      throw toSuretyError(error, 'broadcast')
    }
  }

  const head = () => client.public.getBlock({ blockTag: 'latest' })
  type Block = Awaited<ReturnType<typeof head>>
  const minedNonce = () => client.public.getTransactionCount({ address: account.address, blockTag: 'latest' })
  /** The open entries of a task for one nonce, oldest first: the original and its replacements. */
  const openForNonce = (task: string, nonce: number) =>
    store.txs.ofTask(task).filter((t) => t.nonce === nonce && isOpen(t))
  const receiptOf = (t: StoredTx) =>
    client.public.getTransactionReceipt({ hash: t.hash }).catch(() => undefined)

  /** The first of `entries` with a receipt: recorded, its siblings abandoned. */
  async function landedOf(entries: StoredTx[]): Promise<TxOutcome | undefined> {
    for (const t of entries) {
      const receipt = await receiptOf(t)
      if (!receipt) continue
      const state = receipt.status === 'success' ? 'mined' : 'reverted'
      store.txs.settleNonce(t, state, receipt.blockNumber, now())
      metrics.transactions.inc({ purpose: t.purpose, result: state })
      if (entries.length > 1)
        log.info('transaction mined', { task: t.task, tx: t.hash, nonce: t.nonce, entries: entries.length })
      return { status: state, tx: store.txs.get(t.id)! }
    }
    return undefined
  }

  function abandon(entries: StoredTx[], reason: string): TxOutcome {
    for (const t of entries) {
      store.txs.update(t.id, 'abandoned', now(), { error: reason })
      metrics.transactions.inc({ purpose: t.purpose, result: 'abandoned' })
    }
    return { status: 'abandoned', tx: store.txs.get(entries.at(-1)!.id)! }
  }

  /**
   * Re-signs the newest entry for its nonce with bumped fees when it is unmined or underpriced; true when a
   * replacement was journaled.
   */
  /** The fees `t` was signed with (a legacy gas price as both), and why it should be replaced now, if it should. */
  function feesOf(t: StoredTx, block: Block) {
    const parsed = parseTransaction(t.raw)
    const legacy = parsed.maxFeePerGas === undefined
    const fees: Fees = legacy
      ? { maxFeePerGas: parsed.gasPrice ?? 0n, maxPriorityFeePerGas: parsed.gasPrice ?? 0n }
      : { maxFeePerGas: parsed.maxFeePerGas!, maxPriorityFeePerGas: parsed.maxPriorityFeePerGas ?? 0n }
    const reason =
      t.sentBlock === undefined
        ? undefined
        : replaceReason({
            fees,
            baseFeePerGas: block.baseFeePerGas ?? 0n,
            sentBlock: t.sentBlock,
            head: block.number,
            policy,
          })
    return { parsed, legacy, fees, reason }
  }

  /** Fees at least `bumpBps` above `t`'s, within the cap; undefined (warned once per entry) when the cap refuses. */
  async function bumpedOf(t: StoredTx, block: Block, fees: Fees, legacy: boolean, reason: string) {
    const market = legacy
      ? await client.public.getGasPrice()
      : await client.public.estimateMaxPriorityFeePerGas().catch(() => 0n)
    const bumped = bumpFees({
      current: fees,
      baseFeePerGas: block.baseFeePerGas ?? 0n,
      marketPriorityFeePerGas: market,
      policy,
    })
    if (bumped.ok) return bumped.fees
    if (!capped.has(t.id)) {
      capped.add(t.id)
      metrics.transactionReplacements.inc({ purpose: t.purpose, reason, result: 'capped' })
      log.warn('transaction not replaced: the fee cap leaves no room', {
        task: t.task,
        tx: t.hash,
        nonce: t.nonce,
        why: bumped.reason,
      })
    }
    return undefined
  }

  async function maybeReplace(newest: StoredTx, block: Block): Promise<boolean> {
    const { parsed, legacy, fees, reason } = feesOf(newest, block)
    if (!reason) return false
    const bumpedFees = await bumpedOf(newest, block, fees, legacy, reason)
    if (!bumpedFees) return false
    const bumped = { fees: bumpedFees }
    // never a replacement for a nonce the chain has used: whatever took it, the caller settles it next round
    const used = await client.public.getTransactionCount({ address: account.address, blockTag: 'latest' })
    if (used > newest.nonce) return false
    const {
      r: _r,
      s: _s,
      v: _v,
      yParity: _y,
      ...fields
    } = parsed as TransactionSerializable & {
      r?: Hex
      s?: Hex
      v?: bigint
      yParity?: number
    }
    const replacement = (
      legacy ? { ...fields, gasPrice: bumped.fees.maxFeePerGas } : { ...fields, ...bumped.fees }
    ) as TransactionSerializable
    const raw = (await account.signTransaction(replacement)) as Hex
    const hash = keccak256(raw)
    const id = store.txs.insert({
      task: newest.task,
      purpose: newest.purpose,
      nonce: newest.nonce,
      hash,
      raw,
      now: now(),
    })
    log.info('transaction replaced with higher fees', {
      task: newest.task,
      nonce: newest.nonce,
      replaced: newest.hash,
      tx: hash,
      reason,
      maxFeePerGas: bumped.fees.maxFeePerGas.toString(),
      maxPriorityFeePerGas: bumped.fees.maxPriorityFeePerGas.toString(),
    })
    failpoint(`tx.replaced.${newest.purpose}`)
    try {
      await broadcast(raw)
      store.txs.markSent(id, block.number, now())
      metrics.transactionReplacements.inc({ purpose: newest.purpose, reason, result: 'sent' })
    } catch (error) {
      // journaled: rebroadcast on the next round (the pool may refuse it until the previous one is dropped)
      log.warn('replacement broadcast failed', { tx: hash, ...errorFields(error) })
    }
    failpoint(`tx.replacement.sent.${newest.purpose}`)
    return true
  }

  /**
   * Replaces a released entry (its work done elsewhere) with a cancel: a 0-value transfer to the node itself at the
   * same nonce, 21 000 gas, fees bumped from the entry's within the cap. Journaled (released, purpose `cancel`)
   * before it is broadcast, like any replacement. False when the cap leaves no room for a valid bump.
   */
  async function cancel(newest: StoredTx, block: Block, reason: string): Promise<boolean> {
    const { parsed, legacy, fees } = feesOf(newest, block)
    const bumped = await bumpedOf(newest, block, fees, legacy, reason)
    if (!bumped) return false
    const common = {
      chainId: parsed.chainId!,
      nonce: newest.nonce,
      to: account.address,
      value: 0n,
      gas: 21_000n,
    }
    const tx: TransactionSerializable = legacy
      ? { ...common, type: 'legacy', gasPrice: bumped.maxFeePerGas }
      : { ...common, type: 'eip1559', ...bumped }
    const raw = (await account.signTransaction(tx)) as Hex
    const hash = keccak256(raw)
    const id = store.txs.insert({
      task: newest.task,
      purpose: 'cancel',
      nonce: newest.nonce,
      hash,
      raw,
      now: now(),
      released: true,
    })
    log.info('released transaction replaced with a cancel', {
      task: newest.task,
      nonce: newest.nonce,
      replaced: newest.hash,
      tx: hash,
      reason,
      maxFeePerGas: bumped.maxFeePerGas.toString(),
    })
    failpoint('tx.cancel.signed')
    try {
      await broadcast(raw)
      store.txs.markSent(id, block.number, now())
      metrics.transactionReplacements.inc({ purpose: newest.purpose, reason, result: 'cancel' })
    } catch (error) {
      // journaled: the next gap check broadcasts it again
      log.warn('cancel broadcast failed', { tx: hash, ...errorFields(error) })
    }
    failpoint('tx.cancel.sent')
    return true
  }

  /** True when the RPC's pool (or chain) knows the transaction. */
  const known = (t: StoredTx) =>
    client.public.getTransaction({ hash: t.hash }).then(
      () => true,
      () => false,
    )

  /**
   * Keeps every nonce below `below` (all of them when undefined) that the chain has not used held in the pool by
   * the node's open entries, so nothing signed above it waits behind a gap: an entry the pool lost goes out again
   * (same bytes), and a released one that was lost, or would be replaced, is replaced by a cancel (by the same bytes
   * when the cap leaves no room). Released entries whose nonce the chain has used are closed: their receipt
   * recorded, or abandoned. Entries of tasks still wanted are otherwise left to their own `settle`. Returns the
   * first nonce above the chain's and every open entry's.
   */
  async function fillGaps(below?: number, minedCount?: number): Promise<number> {
    const used = minedCount ?? (await minedNonce())
    const byNonce = new Map<number, StoredTx[]>()
    let next = used
    for (const t of store.txs.open()) {
      if (t.nonce + 1 > next) next = t.nonce + 1
      if (below !== undefined && t.nonce >= below) continue
      byNonce.set(t.nonce, [...(byNonce.get(t.nonce) ?? []), t])
    }
    let block: Block | undefined
    for (const nonce of [...byNonce.keys()].sort((a, b) => a - b)) {
      const entries = byNonce.get(nonce)!
      const newest = entries.at(-1)!
      if (nonce < used) {
        if (entries.every((t) => t.released))
          (await landedOf(entries)) ?? abandon(entries, 'nonce used by another transaction')
        continue
      }
      block ??= await head()
      const inPool = newest.state === 'sent' && (await known(newest))
      if (newest.released && newest.state === 'sent') {
        const reason = inPool ? feesOf(newest, block).reason : 'dropped'
        if (reason && (await cancel(newest, block, reason))) continue
      }
      if (inPool) continue
      try {
        await broadcast(newest.raw)
        store.txs.markSent(newest.id, block.number, now())
        log.info('nonce gap filled: transaction broadcast again', {
          task: newest.task,
          tx: newest.hash,
          nonce,
        })
      } catch (error) {
        log.warn('nonce gap: broadcast failed', { tx: newest.hash, nonce, ...errorFields(error) })
      }
    }
    return next
  }

  /**
   * Waits for a receipt of any entry for the nonce of `first` (the original and its replacements), replacing the
   * newest when it stays unmined or underpriced; abandons them all when another transaction took the nonce.
   */
  async function settle(first: StoredTx, rebroadcast: boolean): Promise<TxOutcome> {
    const { task, nonce } = first
    if (rebroadcast) {
      const newest = openForNonce(task, nonce).at(-1)
      if (newest) {
        try {
          await broadcast(newest.raw)
          store.txs.markSent(newest.id, (await head()).number, now())
        } catch (error) {
          log.warn('rebroadcast failed', { tx: newest.hash, ...errorFields(error) })
        }
      }
    }
    /** Our nonce is used, so every one below it is: the released entries that held them are closed. */
    const closeBelow = async (outcome: TxOutcome) => {
      if (store.txs.open().some((t) => t.released && t.nonce < nonce)) await fillGaps(nonce)
      return outcome
    }
    const deadline = now() + receiptTimeoutMs
    // fresh from a broadcast, the block it went out at has been looked at: act from the next one
    let seen = rebroadcast ? -1n : (first.sentBlock ?? -1n)
    for (;;) {
      const entries = openForNonce(task, nonce)
      if (entries.length === 0) {
        // settled meanwhile (a confirmed event recorded it): report what the journal holds
        const done = store.txs.ofTask(task).filter((t) => t.nonce === nonce)
        const tx = done.find((t) => t.state === 'mined' || t.state === 'reverted') ?? done.at(-1)!
        return { status: tx.state === 'mined' || tx.state === 'reverted' ? tx.state : 'abandoned', tx }
      }
      const landed = await landedOf(entries)
      if (landed) return closeBelow(landed)
      const block = await head()
      if (block.number !== seen) {
        seen = block.number
        const used = await minedNonce()
        if (used > nonce) {
          // the nonce is spent: one of ours (its receipt may have appeared since), or another transaction
          const late = await landedOf(entries)
          return closeBelow(late ?? abandon(entries, 'nonce used by another transaction'))
        }
        // nonces below ours unused: they must stay in the pool, or ours never mines
        if (used < nonce) await fillGaps(nonce, used)
        const newest = entries.at(-1)!
        if (newest.state === 'signed') {
          // journaled but never broadcast (a crash, or the pool refused it): send it now
          try {
            await broadcast(newest.raw)
            store.txs.markSent(newest.id, block.number, now())
          } catch (error) {
            log.warn('broadcast failed', { tx: newest.hash, ...errorFields(error) })
          }
        } else if (!(await maybeReplace(newest, block))) {
          // not replaced: if the pool lost it (dropped, or evicted in a fee spike), the same bytes go out again
          if (!(await known(newest)))
            await broadcast(newest.raw).catch((error) =>
              log.debug('rebroadcast refused', { tx: newest.hash, ...errorFields(error) }),
            )
        }
      }
      if (now() >= deadline)
        throw new SuretyError(`transaction ${entries.at(-1)!.hash} not mined yet`, { retryable: true })
      await new Promise((resolve) => setTimeout(resolve, pollingIntervalMs))
    }
  }

  return {
    /** The open (signed or broadcast, outcome unknown) journal entry of a task, if any: the newest replacement. */
    openTx: (task: string): StoredTx | undefined => store.txs.ofTask(task).filter(isOpen).at(-1),

    /**
     * Resolves a task's open entries when the chain shows the work already done, without sending anything for the
     * task: records the receipt of whichever was mined; abandons them if another transaction used their nonce;
     * else releases them — open until the chain has used the nonce, kept in the pool or replaced by a cancel.
     */
    finish: (task: string): Promise<FinishOutcome | undefined> =>
      serial(async () => {
        const open = store.txs.ofTask(task).filter(isOpen)
        if (open.length === 0) return undefined
        const landed = await landedOf(open)
        if (landed) return landed
        const used = await minedNonce()
        if (open.every((t) => t.nonce < used)) return abandon(open, 'nonce used by another transaction')
        store.txs.release(task, now())
        log.info('transaction released: work done on chain without it, kept until its nonce is used', {
          task,
          tx: open.at(-1)!.hash,
          nonce: open.at(-1)!.nonce,
        })
        await fillGaps(undefined, used)
        const newest = store.txs.ofTask(task).at(-1)!
        return isOpen(newest) ? { status: 'released', tx: newest } : { status: 'abandoned', tx: newest }
      }),

    /** Sends (or, if the task has an open entry, finishes) the task's transaction. */
    send: (request: TxRequest): Promise<TxOutcome> =>
      serial(async () => {
        const open = store.txs.ofTask(request.task).filter(isOpen)
        if (open.length > 0) return settle(open[0]!, true)
        const abi = [...request.abi, ...allSuretyErrorsAbi] as Abi
        // every nonce below the one about to be signed must be held by an open entry in the pool
        const floor = await fillGaps()
        let prepared: Awaited<ReturnType<SuretyClient['wallet']['prepareTransactionRequest']>>
        try {
          await client.public.simulateContract({
            address: request.address,
            abi,
            functionName: request.functionName,
            args: request.args,
            account,
          } as never)
          const data = encodeFunctionData({
            abi: request.abi,
            functionName: request.functionName,
            args: request.args,
          } as never)
          const nonce = await client.public.getTransactionCount({
            address: account.address,
            blockTag: 'pending',
          })
          // below the journal's next nonce: the pool still lacks one of ours (a broadcast just refused) — signing
          // here would replace it, above it would wait behind a gap. Above: the pool holds transactions of this key
          // the journal does not know (sent by something else), which are not this node's to fill.
          if (nonce < floor)
            throw new SuretyError(`nonce gap: nonce ${nonce} is not held in the pool yet`, {
              retryable: true,
            })
          prepared = await client.wallet.prepareTransactionRequest({
            account,
            to: request.address,
            data,
            nonce,
            chain: client.wallet.chain,
          } as never)
        } catch (error) {
          throw toSuretyError(error, request.functionName)
        }
        const fees = prepared as {
          maxFeePerGas?: bigint
          maxPriorityFeePerGas?: bigint
          gasPrice?: bigint
          gas?: bigint
        }
        // the estimate is exact for the pending state, but what lands before it in the same block can make the call
        // dearer (another attester's slash of the same vault first: ~1.3k gas more, seen in the e2e tests): an exact
        // limit then reverts out of gas. Unused gas is not paid; the fee cap still bounds the worst case.
        if (fees.gas !== undefined) fees.gas = (fees.gas * (BPS + GAS_HEADROOM_BPS) + BPS - 1n) / BPS
        // the cap holds from the first send: a spike at signing time cannot make this transaction cost more
        if (fees.maxFeePerGas !== undefined)
          Object.assign(
            fees,
            capFees(
              { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas ?? 0n },
              policy,
            ),
          )
        else if (fees.gasPrice !== undefined && fees.gasPrice > policy.maxFeePerGas)
          fees.gasPrice = policy.maxFeePerGas
        const raw = (await account.signTransaction(prepared as never)) as Hex
        const hash = keccak256(raw)
        const id = store.txs.insert({
          task: request.task,
          purpose: request.purpose,
          nonce: Number((prepared as { nonce: number }).nonce),
          hash,
          raw,
          now: now(),
        })
        log.info('transaction signed', { task: request.task, tx: hash })
        failpoint(`tx.signed.${request.purpose}`)
        const sentAt = (await head()).number
        await broadcast(raw)
        store.txs.markSent(id, sentAt, now())
        failpoint(`tx.sent.${request.purpose}`)
        return settle(store.txs.get(id)!, false)
      }),

    /** On start: every journal entry left open by a previous run, oldest first. */
    openEntries: (): StoredTx[] => store.txs.open(),
    settle: (tx: StoredTx) => serial(() => settle(tx, true)),
  }
}
