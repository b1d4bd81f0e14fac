/** What the stream reads from the indexed store; implemented over the indexer's tables in ../queries/stream.ts. */
import type { Hex } from 'viem'

/** The index's newest block; `finalityDepth` bounds how deep a reorg can reach (a deeper one halts the indexer). */
export type IndexedHead = { number: bigint; hash: Hex; finalNumber: bigint; finalityDepth: bigint }

export type StreamEvent = {
  block: bigint
  blockHash: Hex
  logIndex: number
  txHash: Hex
  contract: Hex
  /** registry, factory, court, rewards, orders or vault. */
  kind: string
  name: string
  /** Decoded arguments; uint values as decimal strings. */
  args: Record<string, unknown>
  timestamp: number | null
}

export interface StreamSource {
  /** The newest block the indexer applied, or undefined before its first block. */
  head(): Promise<IndexedHead | undefined>
  /** The canonical hashes the store holds for these block numbers (absent: not held, or rolled back). */
  blockHashes(numbers: bigint[]): Promise<Map<bigint, Hex>>
  /** Events after (block, logIndex) in chain order, at most `limit`, none above `toBlock`. */
  eventsAfter(block: bigint, logIndex: number, toBlock: bigint, limit: number): Promise<StreamEvent[]>
}
