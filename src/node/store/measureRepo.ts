/** Probe aggregates per operator and epoch, and the final verdicts taken from them (and from jobs and shipments). */
import type { Db } from './db.ts'

export type EpochSamples = {
  serviceId: bigint
  vault: string
  epoch: number
  samples: number
  ok: number
  /** Latency in whole milliseconds of each successful probe. */
  latencies: number[]
}

export type Verdict = { subject: string; kind: string; verdict: string; detail: unknown; judgedAt: number }

export function measureRepo(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO epoch_samples (service_id, vault, epoch, samples, ok, latencies) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (service_id, vault, epoch) DO UPDATE SET samples = excluded.samples, ok = excluded.ok,
       latencies = excluded.latencies`,
  )
  const get = db.prepare<[string, string, number], SampleRow>(
    'SELECT * FROM epoch_samples WHERE service_id = ? AND vault = ? AND epoch = ?',
  )
  const before = db.prepare<[number, number], SampleRow>(
    'SELECT * FROM epoch_samples WHERE epoch >= ? AND epoch < ? ORDER BY epoch',
  )
  const prune = db.prepare('DELETE FROM epoch_samples WHERE epoch < ?')
  const getVerdict = db.prepare<[string], VerdictRow>('SELECT * FROM verdicts WHERE subject = ?')
  const putVerdict = db.prepare(
    'INSERT OR IGNORE INTO verdicts (subject, kind, verdict, detail, judged_at) VALUES (?, ?, ?, ?, ?)',
  )
  const countVerdicts = db.prepare<[string, string], { n: number }>(
    'SELECT COUNT(*) AS n FROM verdicts WHERE kind = ? AND verdict = ?',
  )

  return {
    /** Writes the aggregates touched since the last flush, in one transaction. */
    saveSamples: db.transaction((rows: EpochSamples[]) => {
      for (const r of rows) {
        upsert.run(
          r.serviceId.toString(),
          r.vault.toLowerCase(),
          r.epoch,
          r.samples,
          r.ok,
          JSON.stringify(r.latencies),
        )
      }
    }),
    samples: (serviceId: bigint, vault: string, epoch: number): EpochSamples | undefined => {
      const row = get.get(serviceId.toString(), vault.toLowerCase(), epoch)
      return row ? fromRow(row) : undefined
    },
    /** Aggregates of epochs in [from, to), oldest first. */
    samplesBetween: (from: number, to: number): EpochSamples[] => before.all(from, to).map(fromRow),
    pruneSamples: (beforeEpoch: number) => void prune.run(beforeEpoch),
    verdict: (subject: string): Verdict | undefined => {
      const r = getVerdict.get(subject)
      return r
        ? {
            subject: r.subject,
            kind: r.kind,
            verdict: r.verdict,
            detail: JSON.parse(r.detail),
            judgedAt: r.judged_at,
          }
        : undefined
    },
    /** Records a verdict unless one exists; returns false when the subject was already judged. */
    putVerdict: (v: Verdict): boolean =>
      putVerdict.run(v.subject, v.kind, v.verdict, JSON.stringify(v.detail), v.judgedAt).changes === 1,
    countVerdicts: (kind: string, verdict: string) => countVerdicts.get(kind, verdict)!.n,
  }
}

type SampleRow = {
  service_id: string
  vault: string
  epoch: number
  samples: number
  ok: number
  latencies: string
}
type VerdictRow = { subject: string; kind: string; verdict: string; detail: string; judged_at: number }

const fromRow = (r: SampleRow): EpochSamples => ({
  serviceId: BigInt(r.service_id),
  vault: r.vault,
  epoch: r.epoch,
  samples: r.samples,
  ok: r.ok,
  latencies: JSON.parse(r.latencies) as number[],
})
