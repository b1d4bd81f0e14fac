/** The transaction journal (see db.ts): every transaction the node signs, before and after it is broadcast. */
import type { Hex } from 'viem'
import type { Db } from './db.ts'

/** signed: written, maybe not broadcast; sent: broadcast; mined / reverted: receipt seen; abandoned: never mined
 * and no longer wanted (its work was done by someone else, or its nonce was used by another transaction). */
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
}

export function txRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO txs (task, purpose, nonce, hash, raw, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'signed', ?, ?)`,
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

  return {
    insert: (t: { task: string; purpose: string; nonce: number; hash: Hex; raw: Hex; now: number }): number =>
      Number(insert.run(t.task, t.purpose, t.nonce, t.hash, t.raw, t.now, t.now).lastInsertRowid),
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
    /**
     * A confirmed event came from transaction `hash`: if it is the task's own journal entry, record it mined
     * (without waiting for the submitter to ask for its receipt) and return its id.
     */
    minedBy: (task: string, hash: Hex, blockNumber: bigint, now: number): number | undefined => {
      const entry = ofTask.all(task).find((t) => t.hash.toLowerCase() === hash.toLowerCase())
      if (!entry) return undefined
      if (entry.state !== 'mined') update.run('mined', Number(blockNumber), null, now, entry.id)
      return entry.id
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
  }
}
