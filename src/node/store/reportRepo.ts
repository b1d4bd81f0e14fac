/** Reports this node knows of (its own and its peers'), the signatures gathered for each, and their state. */
import type { Address, Hex } from 'viem'
import type { SlashReport } from '../../sdk/types.ts'
import type { Db } from './db.ts'
import { type LifecycleRow, lifecycleFields, lifecycleUpdates } from './lifecycle.ts'

/**
 * collecting → submitting → landed → confirmed, or failed / expired. `landed`: on chain (by anyone) but not yet
 * at confirmation depth; `confirmed`: the follower saw its SlashRequested event at depth. A reorg that removes
 * the event sends a landed or confirmed report back to collecting.
 */
export type ReportState = 'collecting' | 'submitting' | 'landed' | 'confirmed' | 'failed' | 'expired'
/** Whether this node's own measurement agrees: it signed, it disagrees, or it has not judged the subject yet. */
export type OwnStance = 'signed' | 'disagree' | 'unknown'
/** Findings reported to the court as slashes (order outcomes go to the order book: outcomeRepo.ts). */
export type FindingKind = 'downtime' | 'latency' | 'wrong-output'

export type StoredReport = {
  digest: Hex
  slashId: Hex
  report: SlashReport
  kind: FindingKind
  subject: string
  own: OwnStance
  state: ReportState
  reason: string | undefined
  txId: number | undefined
  createdAt: number
  updatedAt: number
}

export type StoredSignature = { signer: Address; signature: Hex }

export function reportRepo(db: Db) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO reports (digest, slash_id, service_id, vault, class_id, incident_id, client, kind, subject,
       own, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'collecting', ?, ?)`,
  )
  const get = db.prepare<[string], ReportRow>('SELECT * FROM reports WHERE digest = ?')
  const bySlash = db.prepare<[string], ReportRow>('SELECT * FROM reports WHERE slash_id = ?')
  const byState = db.prepare<[string], ReportRow>('SELECT * FROM reports WHERE state = ? ORDER BY created_at')
  const all = db.prepare<[], ReportRow>('SELECT * FROM reports ORDER BY created_at')
  const addSig = db.prepare(
    'INSERT OR IGNORE INTO signatures (digest, signer, signature, received_at) VALUES (?, ?, ?, ?)',
  )
  const sigs = db.prepare<[string], { signer: string; signature: string }>(
    'SELECT signer, signature FROM signatures WHERE digest = ? ORDER BY signer',
  )
  const signedAt = db.prepare<[string, string], { received_at: number }>(
    'SELECT received_at FROM signatures WHERE digest = ? AND signer = ?',
  )
  // undecided: an item this node has not judged, still gathering; the signer's share of those is what it can make
  // this node hold without any check of substance, so it is capped
  const undecided = db.prepare<[string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM signatures s WHERE s.signer = ? AND (
       EXISTS (SELECT 1 FROM reports r WHERE r.digest = s.digest AND r.own = 'unknown' AND r.state = 'collecting')
       OR EXISTS (SELECT 1 FROM outcomes o WHERE o.digest = s.digest AND o.own = 'unknown' AND o.state = 'collecting')
     ) AND s.digest <> ?`,
  )
  const stalePeerItems = db.prepare<[number], { digest: string }>(
    `SELECT digest FROM reports WHERE own <> 'signed' AND state = 'collecting' AND created_at < ?`,
  )
  const deleteReport = db.prepare('DELETE FROM reports WHERE digest = ?')
  const deleteSigs = db.prepare('DELETE FROM signatures WHERE digest = ?')
  const counts = db.prepare<[], { state: string; n: number }>(
    'SELECT state, COUNT(*) AS n FROM reports GROUP BY state',
  )

  return {
    /** Creates the report if new (state collecting); returns true when it was created. */
    create: (r: {
      digest: Hex
      slashId: Hex
      report: SlashReport
      kind: FindingKind
      subject: string
      own: OwnStance
      now: number
    }): boolean =>
      insert.run(
        r.digest,
        r.slashId,
        r.report.serviceId.toString(),
        r.report.vault.toLowerCase(),
        r.report.classId,
        r.report.incidentId,
        r.report.client.toLowerCase(),
        r.kind,
        r.subject,
        r.own,
        r.now,
        r.now,
      ).changes === 1,
    get: (digest: Hex) => fromRow(get.get(digest)),
    bySlashId: (slashId: Hex): StoredReport[] => bySlash.all(slashId).map((r) => fromRow(r)!),
    inState: (state: ReportState): StoredReport[] => byState.all(state).map((r) => fromRow(r)!),
    all: (): StoredReport[] => all.all().map((r) => fromRow(r)!),
    ...lifecycleUpdates<ReportState>(db, 'reports'),
    /** Stores a signature already verified by the caller; returns true when it is new. */
    addSignature: (digest: Hex, s: StoredSignature, now: number): boolean =>
      addSig.run(digest, s.signer.toLowerCase(), s.signature, now).changes === 1,
    signatures: (digest: Hex): StoredSignature[] =>
      sigs.all(digest).map((s) => ({ signer: s.signer as Address, signature: s.signature as Hex })),
    /** When `signer`'s signature on `digest` was stored (this node's own: when it signed). */
    signedAt: (digest: Hex, signer: Address): number | undefined =>
      signedAt.get(digest, signer.toLowerCase())?.received_at,
    /** Undecided items (other than `except`) holding a signature of `signer`. */
    undecidedBy: (signer: Address, except: Hex): number => undecided.get(signer.toLowerCase(), except)!.n,
    /** Deletes peer reports this node never signed that were stored before `before`; returns how many. */
    deleteStalePeerItems: (before: number): number =>
      db.transaction(() => {
        const rows = stalePeerItems.all(before)
        for (const r of rows) {
          deleteSigs.run(r.digest)
          deleteReport.run(r.digest)
        }
        return rows.length
      })(),
    countsByState: (): Record<string, number> => Object.fromEntries(counts.all().map((c) => [c.state, c.n])),
  }
}

type ReportRow = LifecycleRow & {
  digest: string
  slash_id: string
  service_id: string
  vault: string
  class_id: number
  incident_id: string
  client: string
  kind: string
  subject: string
}

function fromRow(r: ReportRow | undefined): StoredReport | undefined {
  if (!r) return undefined
  return {
    digest: r.digest as Hex,
    slashId: r.slash_id as Hex,
    report: {
      serviceId: BigInt(r.service_id),
      vault: r.vault as Address,
      classId: r.class_id,
      incidentId: r.incident_id as Hex,
      client: r.client as Address,
    },
    kind: r.kind as FindingKind,
    subject: r.subject,
    ...lifecycleFields<ReportState>(r),
  }
}
