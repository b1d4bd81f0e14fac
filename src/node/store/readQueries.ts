/**
 * Bounded reads of what this node measured and received, for its read routes (http/readRoutes.ts): an order's
 * readings a page at a time, and a vault's per-epoch probe aggregates from an epoch on. Statements are prepared
 * once per store; every read has a LIMIT, so a request costs at most one page however much is stored.
 */
import type { Hex } from 'viem'
import type { Db } from './db.ts'
import type { EpochSamples } from './measureRepo.ts'
import type { StoredReading } from './telemetryRepo.ts'

type SampleRow = { service_id: string; vault: string; epoch: number; samples: number; ok: number }

export function readQueries(db: Db) {
  // uses the telemetry_order index (order_id, ts, seq)
  const page = db.prepare<[string, number], { data: string }>(
    'SELECT data FROM telemetry WHERE order_id = ? ORDER BY ts, seq, device LIMIT ?',
  )
  const count = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM telemetry WHERE order_id = ?')
  const samples = db.prepare<[string, string, number, number], SampleRow>(
    `SELECT service_id, vault, epoch, samples, ok FROM epoch_samples
     WHERE service_id = ? AND vault = ? AND epoch >= ? ORDER BY epoch LIMIT ?`,
  )
  return {
    /** The first `limit` readings of an order (by time), and how many it has in all. */
    readings(orderId: Hex, limit: number): { readings: StoredReading[]; total: number } {
      const key = orderId.toLowerCase()
      return {
        readings: page.all(key, limit).map((r) => JSON.parse(r.data) as StoredReading),
        total: count.get(key)!.n,
      }
    },
    /** A vault's aggregates for one service from `fromEpoch` on, oldest first, at most `limit` epochs. */
    samples(
      serviceId: bigint,
      vault: string,
      fromEpoch: number,
      limit: number,
    ): Omit<EpochSamples, 'latencies'>[] {
      return samples.all(serviceId.toString(), vault.toLowerCase(), fromEpoch, limit).map((r) => ({
        serviceId: BigInt(r.service_id),
        vault: r.vault,
        epoch: r.epoch,
        samples: r.samples,
        ok: r.ok,
      }))
    },
  }
}
