/**
 * The live connection: one EventSource on the API's stream for the whole page. It keeps the last events for the
 * feed, drops the ones a reorg retracted, and bumps `version` on every change so data hooks refetch what they
 * show. The browser reconnects by itself with Last-Event-ID, and the API retracts what a reorg replaced while we
 * were away, so nothing here needs to remember more than the feed.
 */
import { applyLiveMessage, initialLive, type LiveEvent, type LiveState } from './liveState.ts'

export type { LiveEvent, LiveState }

type Listener = (state: LiveState) => void

let state: LiveState = initialLive
const listeners = new Set<Listener>()
let source: EventSource | undefined

function set(next: LiveState) {
  state = next
  for (const l of listeners) l(state)
}

/** The stream's message types (docs/api.md): data events by name, and the reorg retraction. */
export const STREAM_PATH = '/v1/stream'

/**
 * A first connection that has not opened after this long is dropped and made again. The browser's own retry
 * covers a stream that opened and broke, resuming with Last-Event-ID; it does not cover a request that never
 * gets an answer (a connection stuck behind a busy proxy or server), which would leave the page "connecting…"
 * for good.
 */
const FIRST_OPEN_MS = 10_000

export function connectLive(types: readonly string[]): void {
  if (source || typeof EventSource === 'undefined') return
  open(types)
}

function open(types: readonly string[]) {
  const es = new EventSource(STREAM_PATH)
  source = es
  let opened = false
  const watchdog = setTimeout(() => {
    if (opened || source !== es) return
    es.close()
    set({ ...state, status: 'reconnecting' })
    open(types)
  }, FIRST_OPEN_MS)
  es.onopen = () => {
    opened = true
    clearTimeout(watchdog)
    set({ ...state, status: 'live' })
  }
  es.onerror = () => {
    // EventSource retries on its own while readyState is CONNECTING; CLOSED means the server refused us
    set({ ...state, status: es.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting' })
  }
  for (const type of types) {
    es.addEventListener(type, (message) => {
      const m = message as MessageEvent<string>
      let data: unknown
      try {
        data = JSON.parse(m.data)
      } catch {
        return
      }
      set(applyLiveMessage(state, { type, id: m.lastEventId, data, receivedAt: Date.now() }))
    })
  }
}

export function getLive(): LiveState {
  return state
}

export function subscribeLive(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
