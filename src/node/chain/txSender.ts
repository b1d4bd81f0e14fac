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
  /** Entries whose replacement the cap refused, so the warning is logged and counted once per entry. */
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
  async function maybeReplace(newest: StoredTx, block: Awaited<ReturnType<typeof head>>): Promise<boolean> {
    if (newest.sentBlock === undefined) return false
    const parsed = parseTransaction(newest.raw)
    const legacy = parsed.maxFeePerGas === undefined
    const fees: Fees = legacy
      ? { maxFeePerGas: parsed.gasPrice ?? 0n, maxPriorityFeePerGas: parsed.gasPrice ?? 0n }
      : { maxFeePerGas: parsed.maxFeePerGas!, maxPriorityFeePerGas: parsed.maxPriorityFeePerGas ?? 0n }
    const baseFeePerGas = block.baseFeePerGas ?? 0n
    const reason = replaceReason({
      fees,
      baseFeePerGas,
      sentBlock: newest.sentBlock,
      head: block.number,
      policy,
    })
    if (!reason) return false
    const market = legacy
      ? await client.public.getGasPrice()
      : await client.public.estimateMaxPriorityFeePerGas().catch(() => 0n)
    const bumped = bumpFees({ current: fees, baseFeePerGas, marketPriorityFeePerGas: market, policy })
    if (!bumped.ok) {
      if (!capped.has(newest.id)) {
        capped.add(newest.id)
        metrics.transactionReplacements.inc({ purpose: newest.purpose, reason, result: 'capped' })
        log.warn('transaction not replaced: the fee cap leaves no room', {
          task: newest.task,
          tx: newest.hash,
          nonce: newest.nonce,
          why: bumped.reason,
        })
      }
      return false
    }
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
      if (landed) return landed
      const block = await head()
      if (block.number !== seen) {
        seen = block.number
        const used = await client.public.getTransactionCount({ address: account.address, blockTag: 'latest' })
        if (used > nonce) {
          // the nonce is spent: one of ours (its receipt may have appeared since), or another transaction
          const late = await landedOf(entries)
          if (late) return late
          return abandon(entries, 'nonce used by another transaction')
        }
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
          const known = await client.public.getTransaction({ hash: newest.hash }).catch(() => undefined)
          if (!known)
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
     * Resolves a task's open entries without sending anything new: records the receipt of whichever was mined,
     * else abandons them (used when the chain shows the work already done).
     */
    finish: (task: string): Promise<TxOutcome | undefined> =>
      serial(async () => {
        const open = store.txs.ofTask(task).filter(isOpen)
        if (open.length === 0) return undefined
        return (await landedOf(open)) ?? abandon(open, 'work done on chain without it')
      }),

    /** Sends (or, if the task has an open entry, finishes) the task's transaction. */
    send: (request: TxRequest): Promise<TxOutcome> =>
      serial(async () => {
        const open = store.txs.ofTask(request.task).filter(isOpen)
        if (open.length > 0) return settle(open[0]!, true)
        const abi = [...request.abi, ...allSuretyErrorsAbi] as Abi
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
