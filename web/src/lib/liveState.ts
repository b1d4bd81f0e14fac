/**
 * The pure part of the live connection: how one stream message changes what the dashboard holds. Kept apart
 * from EventSource so the reorg handling is tested in node (liveState.test.ts).
 *
 * The API's stream (docs/api.md) sends `event` (one indexed contract event), `head` (the block the indexer
 * reached, with the API paths that changed) and `retract` (a reorg removed blocks: the event ids sent from them).
 */
export type LiveEvent = {
  id: string
  name: string
  block: number
  logIndex: number
  time: { unix: number; iso: string } | null
  args: Record<string, unknown>
  affects: string[]
  receivedAt: number
}

export type LiveState = {
  status: 'connecting' | 'live' | 'reconnecting' | 'offline'
  /** Newest first, at most FEED_SIZE. */
  events: LiveEvent[]
  head: { number: number; finalNumber: number } | null
  /** Bumped when indexed state changed (a head naming changes, or a retraction): data hooks refetch on it. */
  version: number
  /** Events dropped by reorgs since the page opened. */
  retracted: number
  /** Their ids, so a list fetched before the retraction does not bring them back. */
  retractedIds: ReadonlySet<string>
  /** When the last state change arrived (ms), for the event-to-screen figure. */
  lastAt: number
}

export type LiveMessage = { type: string; id: string; data: unknown; receivedAt: number }

export const FEED_SIZE = 50

export const initialLive: LiveState = {
  status: 'connecting',
  events: [],
  head: null,
  version: 0,
  retracted: 0,
  retractedIds: new Set(),
  lastAt: 0,
}

/** Block and log index from a message id `<block>:<logIndex>:<hash>`; null for head ids (`N:end:hash`). */
export function parseEventId(id: string): { block: number; logIndex: number } | null {
  const m = /^(\d+):(\d+):/.exec(id)
  return m ? { block: Number(m[1]), logIndex: Number(m[2]) } : null
}

type RetractBody = { fromBlock?: number; toBlock?: number; events?: string[] | null }

export function applyLiveMessage(state: LiveState, message: LiveMessage): LiveState {
  const data = (message.data ?? {}) as Record<string, unknown>
  if (message.type === 'retract') {
    const r = data as RetractBody
    const ids = Array.isArray(r.events) ? new Set(r.events) : null
    // with the ids named, drop exactly those; without (a resume across a reorg), everything from fromBlock on
    const from = typeof r.fromBlock === 'number' ? r.fromBlock : Number.POSITIVE_INFINITY
    const kept = state.events.filter((e) => (ids ? !ids.has(e.id) : e.block < from))
    const retractedIds = new Set(state.retractedIds)
    for (const id of ids ?? []) retractedIds.add(id)
    for (const e of state.events) if (!kept.includes(e)) retractedIds.add(e.id)
    return {
      ...state,
      retractedIds,
      status: 'live',
      events: kept,
      retracted: state.retracted + (state.events.length - kept.length),
      version: state.version + 1,
      lastAt: message.receivedAt,
    }
  }
  if (message.type === 'head') {
    const changed = Array.isArray(data.changed) ? data.changed : []
    const head = { number: Number(data.number), finalNumber: Number(data.finalNumber) }
    return {
      ...state,
      status: 'live',
      head,
      version: changed.length > 0 ? state.version + 1 : state.version,
      lastAt: changed.length > 0 ? message.receivedAt : state.lastAt,
    }
  }
  if (message.type !== 'event') return state
  const at = parseEventId(message.id)
  if (!at) return state
  const event: LiveEvent = {
    id: message.id,
    name: String(data.name ?? 'event'),
    block: at.block,
    logIndex: at.logIndex,
    time: (data.time as LiveEvent['time']) ?? null,
    args: (data.args ?? {}) as Record<string, unknown>,
    affects: Array.isArray(data.affects) ? (data.affects as string[]) : [],
    receivedAt: message.receivedAt,
  }
  // a resumed stream may replay what we already hold: keep one copy
  const events = [event, ...state.events.filter((e) => e.id !== event.id)].slice(0, FEED_SIZE)
  return { ...state, status: 'live', events }
}
