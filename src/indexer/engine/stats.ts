/**
 * Where a backfill's time goes, accumulated by the log source, the follower and the store (the benchmark prints
 * it). Reading runs ahead of writing, so `rpcMs` overlaps the rest; `readWaitMs` is the part of it the writer
 * actually waited for.
 */
export type IndexerStats = {
  /** Ranges committed and eth_getLogs requests made (splits: a range the RPC refused, halved). */
  ranges: number
  requests: number
  splits: number
  logs: number
  /** Wall time of eth_getLogs requests, response parsing included (overlapping each other and the writes). */
  rpcMs: number
  /** Decoding logs into events. */
  decodeMs: number
  /** Time the writer waited for the next range to be read (the RPC time not hidden behind writing). */
  readWaitMs: number
  /** Loading the rows a range touches and running the handlers. */
  applyMs: number
  /**
   * Ranges applied again because a handler touched a row it had not declared in `reads` (a missing declaration:
   * correct, but slow; the indexer tests assert there is none).
   */
  restarts: number
  /** Writing the rows, the events, the undo log and the cursor, and committing. */
  writeMs: number
}

export const newIndexerStats = (): IndexerStats => ({
  ranges: 0,
  requests: 0,
  splits: 0,
  logs: 0,
  rpcMs: 0,
  decodeMs: 0,
  readWaitMs: 0,
  applyMs: 0,
  restarts: 0,
  writeMs: 0,
})
