/** Accepted telemetry readings per order and device, and durable counts of rejected ones by reason. */
import type { Address, Hex } from 'viem'
import type { Db } from './db.ts'

export type ReadingKind = 'reading' | 'pickup' | 'checkpoint' | 'delivery'

export type StoredReading = {
  digest: Hex
  orderId: Hex
  device: Address
  seq: number
  timestamp: number
  kind: ReadingKind
  temperatureCentiC: number | undefined
  latE7: number | undefined
  lonE7: number | undefined
  /** The device's signature, kept so a reader can check the reading itself (absent on readings stored before). */
  signature?: Hex
}

export function telemetryRepo(db: Db) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO telemetry (digest, order_id, device, seq, ts, kind, data, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const hasDigest = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM telemetry WHERE digest = ?')
  const hasSeq = db.prepare<[string, string, number], { one: number }>(
    'SELECT 1 AS one FROM telemetry WHERE order_id = ? AND device = ? AND seq = ?',
  )
  const last = db.prepare<[string, string], { seq: number; ts: number }>(
    'SELECT seq, ts FROM telemetry WHERE order_id = ? AND device = ? ORDER BY seq DESC LIMIT 1',
  )
  const ofOrder = db.prepare<[string], { data: string }>(
    'SELECT data FROM telemetry WHERE order_id = ? ORDER BY ts, device, seq',
  )
  const reject = db.prepare(
    'INSERT INTO telemetry_rejections (reason, count) VALUES (?, 1) ON CONFLICT (reason) DO UPDATE SET count = count + 1',
  )
  const rejections = db.prepare<[], { reason: string; count: number }>(
    'SELECT reason, count FROM telemetry_rejections',
  )

  const orderIds = db.prepare<[number], { order_id: string }>(
    'SELECT DISTINCT order_id FROM telemetry WHERE received_at < ?',
  )
  const deleteOrder = db.prepare('DELETE FROM telemetry WHERE order_id = ? AND received_at < ?')

  return {
    /** Deletes readings received before `before` of orders `isRunning` says are over; returns how many. */
    deleteFinished: (before: number, isRunning: (orderId: Hex) => boolean): number =>
      db.transaction(() => {
        let n = 0
        for (const { order_id } of orderIds.all(before))
          if (!isRunning(order_id as Hex)) n += deleteOrder.run(order_id, before).changes
        return n
      })(),
    /** Stores an accepted reading; false if its digest or its (order, device, seq) is already there. */
    insert: (r: StoredReading, now: number): boolean =>
      insert.run(
        r.digest,
        r.orderId,
        r.device.toLowerCase(),
        r.seq,
        r.timestamp,
        r.kind,
        JSON.stringify(r),
        now,
      ).changes === 1,
    hasDigest: (digest: Hex) => hasDigest.get(digest) !== undefined,
    hasSeq: (orderId: Hex, device: Address, seq: number) =>
      hasSeq.get(orderId, device.toLowerCase(), seq) !== undefined,
    /** The highest sequence number accepted from this device for this order, with its timestamp. */
    last: (orderId: Hex, device: Address) => last.get(orderId, device.toLowerCase()),
    readings: (orderId: Hex): StoredReading[] =>
      ofOrder.all(orderId).map((r) => JSON.parse(r.data) as StoredReading),
    countRejection: (reason: string) => void reject.run(reason),
    rejections: (): Record<string, number> =>
      Object.fromEntries(rejections.all().map((r) => [r.reason, r.count])),
  }
}
