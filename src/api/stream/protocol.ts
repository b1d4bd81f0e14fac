/**
 * The stream's wire format (server-sent events) and its cursor. Every message carries an `id` that is a block
 * cursor, `<block>:<logIndex|end>:<blockHash>`, so a client that reconnects with `Last-Event-ID` (browsers do it
 * by themselves) resumes exactly after what it saw — and if that block was replaced by a reorg while it was away,
 * the hash tells the server so, and it retracts before it resumes.
 */
import type { Hex } from 'viem'
import { InvalidInputError } from '../../errors.ts'

export type StreamCursor = {
  block: bigint
  /** The last log index seen in `block`, or 'end' when every event of the block was seen. */
  logIndex: number | 'end'
  /** The hash of `block` as the client saw it; absent for `?from=N` (a block number alone, trusted as given). */
  hash?: Hex
}

export function formatCursor(c: StreamCursor): string {
  return `${c.block}:${c.logIndex}:${c.hash ?? ''}`
}

const CURSOR = /^([0-9]{1,20}):([0-9]{1,9}|end):(0x[0-9a-fA-F]{64})?$/

export function parseCursor(id: string, where: string): StreamCursor {
  const m = CURSOR.exec(id.trim())
  if (!m)
    throw new InvalidInputError(
      `${where} '${id.slice(0, 80)}' is not a stream cursor (<block>:<logIndex|end>:<blockHash>, a message's id as sent)`,
    )
  const cursor: StreamCursor = { block: BigInt(m[1]!), logIndex: m[2] === 'end' ? 'end' : Number(m[2]) }
  // A cursor without a hash is one the server wrote at a final block (after a retraction): nothing to verify.
  if (m[3]) cursor.hash = m[3].toLowerCase() as Hex
  return cursor
}

/** `?from=` takes a block number (start with that block's events) or a message id. */
export function parseFrom(from: string): StreamCursor {
  if (/^[0-9]{1,20}$/.test(from)) {
    const n = BigInt(from)
    // "from block N" = resume after everything of block N-1
    return n === 0n ? { block: -1n, logIndex: 'end' } : { block: n - 1n, logIndex: 'end' }
  }
  return parseCursor(from, "query parameter 'from'")
}

/** One SSE frame. JSON data is one line (JSON.stringify escapes newlines), so a single `data:` field suffices. */
export function frame(type: string, id: string | undefined, data: unknown): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`
}
