/**
 * The transaction journal (see db.ts): every transaction the node signs, before and after it is broadcast. A
 * replacement (the same nonce re-signed with higher fees, chain/feeBump.ts) is its own entry with the same task and
 * nonce, so after a crash the node knows every hash that may be mined for that nonce.
 */
import type { Hex } from 'viem'
import type { Db } from './db.ts'

/** signed: written, maybe not broadcast; sent: broadcast; mined / reverted: receipt seen; abandoned: never mined
 * and its nonce used by another transaction (another entry for the same nonce — a replacement, the one it
 * replaced, or a cancel — or something else). An entry whose work was done by someone else is `released`, not
 * abandoned, while the chain has not used its nonce. */
export type TxState = 'signed' | 'sent' | 'mined' | 'reverted' | 'abandoned'

export type StoredTx = {
  id: number
  task: string
  purpose: string
  nonce: number
  hash: Hex
  raw: Hex
  state: TxState
  blockNumber: bigint | undefined
  error: string | undefined
  /** The chain head when it was broadcast (undefined: never broadcast by this store's node). */
  sentBlock: bigint | undefined
  /**
   * The task's work was done by someone else: the entry is no longer wanted, but stays open until the chain has
   * used its nonce (it, a 0-value cancel at the same nonce, or anything else), so the node never leaves a nonce gap.
   */
  released: boolean
}

export function txRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO txs (task, purpose, nonce, hash, raw, state, created_at, updated_at, released)
     VALUES (?, ?, ?, ?, ?, 'signed', ?, ?, ?)`,
  )
  const release = db.prepare(
    "UPDATE txs SET released = 1, updated_at = ? WHERE task = ? AND state IN ('signed', 'sent')",
  )
  const get = db.prepare<[number], TxRow>('SELECT * FROM txs WHERE id = ?')
  const open = db.prepare<[], TxRow>("SELECT * FROM txs WHERE state IN ('signed', 'sent') ORDER BY id")
  const ofTask = db.prepare<[string], TxRow>('SELECT * FROM txs WHERE task = ? ORDER BY id')
  const update = db.prepare(
    'UPDATE txs SET state = ?, block_number = ?, error = ?, updated_at = ? WHERE id = ?',
  )
  const countByPurpose = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM txs WHERE purpose = ?',
  )
  const markSent = db.prepare(
    "UPDATE txs SET state = 'sent', sent_block = COALESCE(sent_block, ?), updated_at = ? WHERE id = ?",
  )
  const abandonSiblings = db.prepare(
    `UPDATE txs SET state = 'abandoned', error = ?, updated_at = ?
     WHERE task = ? AND nonce = ? AND id <> ? AND state IN ('signed', 'sent')`,
  )
  /** Records `id`'s receipt and abandons every other open entry of its task for the same nonce (one transaction). */
  const settleNonce = db.transaction(
    (entry: StoredTx, state: 'mined' | 'reverted', blockNumber: bigint, now: number) => {
      update.run(state, Number(blockNumber), null, now, entry.id)
      abandonSiblings.run(`${entry.hash} took the nonce`, now, entry.task, entry.nonce, entry.id)
    },
  )

  return {
    insert: (t: {
      task: string
      purpose: string
      nonce: number
      hash: Hex
      raw: Hex
      now: number
      released?: boolean
    }): number =>
      Number(
        insert.run(t.task, t.purpose, t.nonce, t.hash, t.raw, t.now, t.now, t.released ? 1 : 0)
          .lastInsertRowid,
      ),
    /** The task's work was done elsewhere: its open entries are released (kept open until their nonce is used). */
    release: (task: string, now: number) => void release.run(now, task),
    get: (id: number) => fromRow(get.get(id)),
    /** Transactions signed or broadcast whose outcome is not yet known, oldest first. */
    open: (): StoredTx[] => open.all().map((r) => fromRow(r)!),
    ofTask: (task: string): StoredTx[] => ofTask.all(task).map((r) => fromRow(r)!),
    update: (id: number, state: TxState, now: number, extra: { blockNumber?: bigint; error?: string } = {}) =>
      void update.run(
        state,
        extra.blockNumber === undefined ? null : Number(extra.blockNumber),
        extra.error ?? null,
        now,
        id,
      ),
    countByPurpose: (purpose: string) => countByPurpose.get(purpose)!.n,
    /** Broadcast: state sent, and the head it was first broadcast at (kept on a rebroadcast). */
    markSent: (id: number, head: bigint, now: number) => void markSent.run(Number(head), now, id),
    /** The entry's receipt is seen: recorded, and the other entries for its nonce (replaced or replacing) abandoned. */
    settleNonce: (entry: StoredTx, state: 'mined' | 'reverted', blockNumber: bigint, now: number) =>
      settleNonce(entry, state, blockNumber, now),
    /**
     * A confirmed event came from transaction `hash`: if it is the task's own journal entry, record it mined
     * (without waiting for the submitter to ask for its receipt) and return its id.
     */
    minedBy: (task: string, hash: Hex, blockNumber: bigint, now: number): number | undefined => {
      const row = ofTask.all(task).find((t) => t.hash.toLowerCase() === hash.toLowerCase())
      if (!row) return undefined
      if (row.state !== 'mined') settleNonce(fromRow(row)!, 'mined', blockNumber, now)
      return row.id
    },
  }
}

type TxRow = {
  id: number
  task: string
  purpose: string
  nonce: number
  hash: string
  raw: string
  state: string
  block_number: number | null
  error: string | null
  sent_block: number | null
  released: number
}

function fromRow(r: TxRow | undefined): StoredTx | undefined {
  if (!r) return undefined
  return {
    id: r.id,
    task: r.task,
    purpose: r.purpose,
    nonce: r.nonce,
    hash: r.hash as Hex,
    raw: r.raw as Hex,
    state: r.state as TxState,
    blockNumber: r.block_number === null ? undefined : BigInt(r.block_number),
    error: r.error ?? undefined,
    sentBlock: r.sent_block === null ? undefined : BigInt(r.sent_block),
    released: r.released === 1,
  }
}
