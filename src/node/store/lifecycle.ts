/**
 * The columns and statements reports (reportRepo.ts) and order outcomes (outcomeRepo.ts) share: each row is keyed
 * by its EIP-712 digest and carries a state (with its reason), the transaction that landed it, this node's stance,
 * and when it was created and last updated.
 */
import type { Hex } from 'viem'
import type { Db } from './db.ts'
import type { OwnStance } from './reportRepo.ts'

export type LifecycleRow = {
  own: string
  state: string
  reason: string | null
  tx_id: number | null
  created_at: number
  updated_at: number
}

/** The state updates of `table` (a constant table name, never input). */
export function lifecycleUpdates<State extends string>(db: Db, table: 'reports' | 'outcomes') {
  const setState = db.prepare(`UPDATE ${table} SET state = ?, reason = ?, updated_at = ? WHERE digest = ?`)
  const setTx = db.prepare(`UPDATE ${table} SET tx_id = ?, updated_at = ? WHERE digest = ?`)
  const setOwn = db.prepare(`UPDATE ${table} SET own = ?, updated_at = ? WHERE digest = ?`)
  const settled = db.prepare<[number], { digest: string }>(
    `SELECT digest FROM ${table} WHERE state IN ('confirmed', 'failed', 'expired') AND updated_at < ?`,
  )
  const deleteRow = db.prepare(`DELETE FROM ${table} WHERE digest = ?`)
  const deleteSigs = db.prepare('DELETE FROM signatures WHERE digest = ?')
  return {
    /** Deletes settled rows (confirmed, failed, expired) last changed before `before`, with their signatures. */
    deleteSettled: (before: number): number =>
      db.transaction(() => {
        const rows = settled.all(before)
        for (const r of rows) {
          deleteSigs.run(r.digest)
          deleteRow.run(r.digest)
        }
        return rows.length
      })(),
    setState: (digest: Hex, state: State, now: number, reason?: string) =>
      void setState.run(state, reason ?? null, now, digest),
    setTx: (digest: Hex, txId: number, now: number) => void setTx.run(txId, now, digest),
    setOwn: (digest: Hex, own: OwnStance, now: number) => void setOwn.run(own, now, digest),
  }
}

/** The shared fields of a stored row. */
export function lifecycleFields<State extends string>(r: LifecycleRow) {
  return {
    own: r.own as OwnStance,
    state: r.state as State,
    reason: r.reason ?? undefined,
    txId: r.tx_id ?? undefined,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}
