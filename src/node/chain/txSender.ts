/**
 * Sends the node's transactions exactly once, through a journal.
 *
 * A transaction is simulated (a revert becomes a typed ContractRevertedError and nothing is sent), signed, and
 * written to the store with its raw bytes *before* it is broadcast. A node killed after that point finds the
 * journal entry on restart and rebroadcasts the same bytes — same nonce, same hash — so at most one of them can
 * ever be mined. One transaction at a time per node, so nonces never race.
 */
import { type Abi, encodeFunctionData, type Hex, keccak256, type LocalAccount } from 'viem'
import { SuretyError } from '../../errors.ts'
import { allSuretyErrorsAbi } from '../../sdk/abis.ts'
import { toSuretyError } from '../../sdk/sendTransaction.ts'
import type { SuretyClient } from '../../sdk/types.ts'
import { failpoint } from '../failpoint.ts'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import type { Store } from '../store/store.ts'
import type { StoredTx } from '../store/txRepo.ts'

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

export function createTxSender(deps: {
  client: SuretyClient
  account: LocalAccount
  store: Store
  metrics: NodeMetrics
  log: Logger
  receiptTimeoutMs?: number
  now?: () => number
}) {
  const { client, account, store, metrics, log } = deps
  const now = deps.now ?? Date.now
  const receiptTimeoutMs = deps.receiptTimeoutMs ?? 30_000
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

  /** Waits for an open journal entry's receipt; abandons it if its nonce was used by something else. */
  async function settle(tx: StoredTx, rebroadcast: boolean): Promise<TxOutcome> {
    if (rebroadcast) {
      try {
        await broadcast(tx.raw)
        if (tx.state === 'signed') store.txs.update(tx.id, 'sent', now())
      } catch (error) {
        log.warn('rebroadcast failed', { tx: tx.hash, ...{ error: (error as Error).message } })
      }
    }
    try {
      const receipt = await client.public.waitForTransactionReceipt({
        hash: tx.hash,
        timeout: receiptTimeoutMs,
        pollingInterval: 100,
      })
      const state = receipt.status === 'success' ? 'mined' : 'reverted'
      store.txs.update(tx.id, state, now(), { blockNumber: receipt.blockNumber })
      metrics.transactions.inc({ purpose: tx.purpose, result: state })
      return { status: state, tx: store.txs.get(tx.id)! }
    } catch (error) {
      const used = await client.public.getTransactionCount({ address: account.address, blockTag: 'latest' })
      if (used > tx.nonce) {
        // the nonce is spent and our hash has no receipt: another of our transactions took it
        const receipt = await client.public.getTransactionReceipt({ hash: tx.hash }).catch(() => undefined)
        if (!receipt) {
          store.txs.update(tx.id, 'abandoned', now(), { error: 'nonce used by another transaction' })
          metrics.transactions.inc({ purpose: tx.purpose, result: 'abandoned' })
          return { status: 'abandoned', tx: store.txs.get(tx.id)! }
        }
      }
      throw new SuretyError(`transaction ${tx.hash} not mined yet`, { cause: error, retryable: true })
    }
  }

  return {
    /** The open (signed or broadcast, outcome unknown) journal entry of a task, if any. */
    openTx: (task: string): StoredTx | undefined =>
      store.txs.ofTask(task).find((t) => t.state === 'signed' || t.state === 'sent'),

    /**
     * Resolves a task's open entry without sending anything new: records its receipt if it was mined, else
     * abandons it (used when the chain shows the work already done).
     */
    finish: (task: string): Promise<TxOutcome | undefined> =>
      serial(async () => {
        const open = store.txs.ofTask(task).find((t) => t.state === 'signed' || t.state === 'sent')
        if (!open) return undefined
        const receipt = await client.public.getTransactionReceipt({ hash: open.hash }).catch(() => undefined)
        if (receipt) {
          const state = receipt.status === 'success' ? 'mined' : 'reverted'
          store.txs.update(open.id, state, now(), { blockNumber: receipt.blockNumber })
          return { status: state, tx: store.txs.get(open.id)! }
        }
        store.txs.update(open.id, 'abandoned', now(), { error: 'work done on chain without it' })
        return { status: 'abandoned', tx: store.txs.get(open.id)! }
      }),

    /** Sends (or, if the task has an open entry, finishes) the task's transaction. */
    send: (request: TxRequest): Promise<TxOutcome> =>
      serial(async () => {
        const open = store.txs.ofTask(request.task).find((t) => t.state === 'signed' || t.state === 'sent')
        if (open) return settle(open, true)
        const abi = [...request.abi, ...allSuretyErrorsAbi] as Abi
        let data: Hex
        let prepared: Awaited<ReturnType<SuretyClient['wallet']['prepareTransactionRequest']>>
        try {
          await client.public.simulateContract({
            address: request.address,
            abi,
            functionName: request.functionName,
            args: request.args,
            account,
          } as never)
          data = encodeFunctionData({
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
        await broadcast(raw)
        store.txs.update(id, 'sent', now())
        failpoint(`tx.sent.${request.purpose}`)
        return settle(store.txs.get(id)!, false)
      }),

    /** On start: every journal entry left open by a previous run, oldest first. */
    openEntries: (): StoredTx[] => store.txs.open(),
    settle: (tx: StoredTx) => serial(() => settle(tx, true)),
  }
}
