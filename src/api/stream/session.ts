/**
 * One stream client: what it has been sent, where it is, and the reorg bookkeeping that lets the server retract
 * exactly what a reorganisation removed.
 *
 * The session remembers every block it sent something about (an event or a head) above the final block, with the
 * hash it sent. On each step it asks the store for the canonical hashes of those blocks; the lowest that differs
 * (or is gone) is where the branch it followed ended. It then sends one `retract` naming every event id it had
 * sent from there on, moves its cursor back to the newest block it sent that still stands, and reads forward on
 * the new branch. Blocks at or below the final block are dropped from the memory: a reorg deeper than the
 * finality depth halts the indexer instead of reaching the store.
 */
import type { Hex } from 'viem'
import { affects } from './affects.ts'
import { formatCursor, frame, type StreamCursor } from './protocol.ts'
import type { IndexedHead, StreamEvent, StreamSource } from './source.ts'

export type SentBlock = { block: bigint; hash: Hex; eventIds: string[] }

export type SessionOptions = {
  source: StreamSource
  /** Writes one frame; false means the socket's buffer is full (wait for `drain`). */
  write: (chunk: string) => boolean | Promise<boolean>
  /** Where to start: a cursor from Last-Event-ID or ?from=; undefined = live from the current head. */
  start: StreamCursor | undefined
  /** Which event names to send; undefined = all. Retractions and heads are always sent. */
  names?: ReadonlySet<string>
  batch?: number
  onMessage?: (type: string) => void
}

const eventId = (e: StreamEvent) => formatCursor({ block: e.block, logIndex: e.logIndex, hash: e.blockHash })

export function eventJson(e: StreamEvent, head: IndexedHead) {
  return {
    id: eventId(e),
    name: e.name,
    contract: e.contract.toLowerCase(),
    contractKind: e.kind,
    block: { number: Number(e.block), hash: e.blockHash, final: e.block <= head.finalNumber },
    time:
      e.timestamp === null ? null : { unix: e.timestamp, iso: new Date(e.timestamp * 1000).toISOString() },
    txHash: e.txHash,
    logIndex: e.logIndex,
    args: e.args,
    affects: affects(e.contract, e.args, e.kind),
  }
}

export function createSession(options: SessionOptions) {
  const { source } = options
  const batch = options.batch ?? 500
  /** Read position: everything at or before it has been sent (or was before the client's start). */
  let cursor: { block: bigint; logIndex: number | 'end' } | undefined
  /** A resume cursor whose block hash is still to be checked against the store. */
  let verify: StreamCursor | undefined
  let sent: SentBlock[] = []
  let lastHead: IndexedHead | undefined

  if (options.start) {
    cursor = { block: options.start.block, logIndex: options.start.logIndex }
    if (options.start.hash) verify = options.start
  }

  const send = async (type: string, id: string | undefined, data: unknown) => {
    options.onMessage?.(type)
    await options.write(frame(type, id, data))
  }

  const remember = (block: bigint, hash: Hex, id?: string) => {
    const last = sent.at(-1)
    if (last && last.block === block) {
      if (id) last.eventIds.push(id)
      return
    }
    sent.push({ block, hash, eventIds: id ? [id] : [] })
  }

  /** The resume cursor's block is not the store's: the client followed a branch that is gone. */
  async function checkResume(head: IndexedHead): Promise<boolean> {
    if (!verify) return true
    if (verify.block > head.number) return false // the store has not reached the client's block yet: wait
    const hashes = await source.blockHashes([verify.block])
    const canonical = hashes.get(verify.block)
    if (canonical === undefined && verify.block <= head.finalNumber) {
      verify = undefined // a final block whose hash the store no longer keeps: final blocks cannot be replaced
      return true
    }
    if (canonical !== undefined && canonical === verify.hash) {
      remember(verify.block, canonical)
      verify = undefined
      return true
    }
    // The fork point is at most the finality depth below the client's block (a deeper reorg halts the indexer),
    // so everything the client holds above it is retracted and re-sent from the store.
    const from = verify.block - head.finalityDepth + 1n > 0n ? verify.block - head.finalityDepth + 1n : 0n
    const back: StreamCursor = { block: from - 1n, logIndex: 'end' }
    await send('retract', formatCursor(back), {
      reason: 'reorg',
      fromBlock: Number(from),
      toBlock: Number(verify.block),
      events: null,
    })
    cursor = back
    verify = undefined
    return true
  }

  /** Compares what was sent above the final block with the store; retracts from the first block that changed. */
  async function checkSent(head: IndexedHead): Promise<void> {
    sent = sent.filter((s) => s.block > head.finalNumber)
    if (sent.length === 0) return
    const hashes = await source.blockHashes(sent.map((s) => s.block))
    const firstGone = sent.findIndex((s) => hashes.get(s.block) !== s.hash)
    if (firstGone === -1) return
    const gone = sent.slice(firstGone)
    sent = sent.slice(0, firstGone)
    const standing = sent.at(-1)
    // Back to the newest block sent that still stands (its events were all sent before anything later), else to
    // the final block: the new branch is read from there.
    const back: StreamCursor = standing
      ? { block: standing.block, logIndex: 'end', hash: standing.hash }
      : { block: head.finalNumber, logIndex: 'end' }
    await send('retract', formatCursor(back), {
      reason: 'reorg',
      fromBlock: Number(gone[0]!.block),
      toBlock: Number(gone.at(-1)!.block),
      events: gone.flatMap((g) => g.eventIds),
    })
    if (cursor === undefined || cursor.block > back.block) cursor = { block: back.block, logIndex: 'end' }
  }

  return {
    get sentBlocks(): readonly SentBlock[] {
      return sent
    },
    /** Brings the client up to `head`: retractions first, then events in chain order, then the head itself. */
    async step(head: IndexedHead): Promise<void> {
      if (!(await checkResume(head))) return
      await checkSent(head)
      if (cursor === undefined) {
        // live from now: nothing of the past, the current head first
        cursor = { block: head.number, logIndex: 'end' }
      }
      const changed = new Set<string>()
      for (;;) {
        if (cursor.block > head.number) break
        const after =
          cursor.logIndex === 'end'
            ? { block: cursor.block, index: 2 ** 31 }
            : { block: cursor.block, index: cursor.logIndex }
        const events = await source.eventsAfter(after.block, after.index, head.number, batch)
        for (const e of events) {
          const json = eventJson(e, head)
          if (e.block > head.finalNumber) remember(e.block, e.blockHash, json.id)
          for (const p of json.affects) changed.add(p)
          if (!options.names || options.names.has(e.name)) await send('event', json.id, json)
          cursor = { block: e.block, logIndex: e.logIndex }
        }
        if (events.length < batch) break
      }
      if (lastHead?.number !== head.number || lastHead.hash !== head.hash || changed.size > 0) {
        if (head.number > head.finalNumber) remember(head.number, head.hash)
        cursor = { block: head.number, logIndex: 'end' }
        await send('head', formatCursor({ block: head.number, logIndex: 'end', hash: head.hash }), {
          number: Number(head.number),
          hash: head.hash,
          finalNumber: Number(head.finalNumber),
          changed: [...changed].sort(),
        })
        lastHead = head
      }
    },
  }
}
