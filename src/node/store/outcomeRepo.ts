/**
 * Attested order outcomes this node knows of (its own and its peers'): one row per EIP-712 OrderOutcome digest,
 * its state, and this node's stance. Signatures live in the shared signatures table, keyed by the digest.
 */
import type { Address, Hex } from 'viem'
import type { Db } from './db.ts'
import { type LifecycleRow, lifecycleFields, lifecycleUpdates } from './lifecycle.ts'
import type { OwnStance } from './reportRepo.ts'

/**
 * collecting → submitting → landed → confirmed, or failed / expired. `landed`: the milestone is settled on chain
 * (by this outcome or by anything else: the client's confirmation, another outcome, an expiry), not yet at
 * confirmation depth; `confirmed`: the event that settled it is at depth. A reorg that removes that event sends
 * the outcome back to landed, and the submitter back to collecting if the chain no longer has it settled.
 */
export type OutcomeState = 'collecting' | 'submitting' | 'landed' | 'confirmed' | 'failed' | 'expired'

/** What the order is judged as: a shipment (telemetry from its device) or a compute job (its committed result). */
export type OutcomeKind = 'shipment' | 'compute'

export type StoredOutcome = {
  digest: Hex
  orderId: bigint
  /** The order's parameters hash the outcome is signed over (OrderOutcome.paramsHash). */
  paramsHash: Hex
  /** The vault holding the order the outcome is signed for (OrderOutcome.vault). */
  vault: Address
  milestone: number
  success: boolean
  classId: number
  serviceId: bigint
  kind: OutcomeKind
  own: OwnStance
  state: OutcomeState
  reason: string | undefined
  txId: number | undefined
  createdAt: number
  updatedAt: number
}

export function outcomeRepo(db: Db) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO outcomes (digest, order_id, params_hash, vault, milestone, success, class_id, service_id,
       kind, own, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'collecting', ?, ?)`,
  )
  const get = db.prepare<[string], OutcomeRow>('SELECT * FROM outcomes WHERE digest = ?')
  const byState = db.prepare<[string], OutcomeRow>(
    'SELECT * FROM outcomes WHERE state = ? ORDER BY created_at',
  )
  const ofOrder = db.prepare<[string], OutcomeRow>(
    'SELECT * FROM outcomes WHERE order_id = ? ORDER BY milestone, created_at',
  )
  const all = db.prepare<[], OutcomeRow>('SELECT * FROM outcomes ORDER BY created_at')
  const stalePeerItems = db.prepare<[number], { digest: string }>(
    `SELECT digest FROM outcomes WHERE own <> 'signed' AND state = 'collecting' AND created_at < ?`,
  )
  const deleteOutcome = db.prepare('DELETE FROM outcomes WHERE digest = ?')
  const deleteSigs = db.prepare('DELETE FROM signatures WHERE digest = ?')
  return {
    /** Deletes peer outcomes this node never signed that were stored before `before`; returns how many. */
    deleteStalePeerItems: (before: number): number =>
      db.transaction(() => {
        const rows = stalePeerItems.all(before)
        for (const r of rows) {
          deleteSigs.run(r.digest)
          deleteOutcome.run(r.digest)
        }
        return rows.length
      })(),
    /** Creates the outcome if new (state collecting); returns true when it was created. */
    create: (o: {
      digest: Hex
      orderId: bigint
      paramsHash: Hex
      vault: Address
      milestone: number
      success: boolean
      classId: number
      serviceId: bigint
      kind: OutcomeKind
      own: OwnStance
      now: number
    }): boolean =>
      insert.run(
        o.digest,
        o.orderId.toString(),
        o.paramsHash.toLowerCase(),
        o.vault.toLowerCase(),
        o.milestone,
        o.success ? 1 : 0,
        o.classId,
        o.serviceId.toString(),
        o.kind,
        o.own,
        o.now,
        o.now,
      ).changes === 1,
    get: (digest: Hex) => fromRow(get.get(digest)),
    inState: (state: OutcomeState): StoredOutcome[] => byState.all(state).map((r) => fromRow(r)!),
    ofOrder: (orderId: bigint): StoredOutcome[] => ofOrder.all(orderId.toString()).map((r) => fromRow(r)!),
    all: (): StoredOutcome[] => all.all().map((r) => fromRow(r)!),
    ...lifecycleUpdates<OutcomeState>(db, 'outcomes'),
  }
}

type OutcomeRow = LifecycleRow & {
  digest: string
  order_id: string
  params_hash: string
  vault: string
  milestone: number
  success: number
  class_id: number
  service_id: string
  kind: string
}

function fromRow(r: OutcomeRow | undefined): StoredOutcome | undefined {
  if (!r) return undefined
  return {
    digest: r.digest as Hex,
    orderId: BigInt(r.order_id),
    paramsHash: r.params_hash as Hex,
    vault: r.vault as Address,
    milestone: r.milestone,
    success: r.success === 1,
    classId: r.class_id,
    serviceId: BigInt(r.service_id),
    kind: r.kind as OutcomeKind,
    ...lifecycleFields<OutcomeState>(r),
  }
}
