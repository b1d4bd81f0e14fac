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

export function connectLive(types: readonly string[]): void {
  if (source || typeof EventSource === 'undefined') return
  source = new EventSource(STREAM_PATH)
  source.onopen = () => set({ ...state, status: 'live' })
  source.onerror = () => {
    // EventSource retries on its own while readyState is CONNECTING; CLOSED means the server refused us
    set({ ...state, status: source?.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting' })
  }
  for (const type of types) {
    source.addEventListener(type, (message) => {
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
