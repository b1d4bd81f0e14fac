/**
 * One poller per server: reads the indexed head every `pollMs` while anyone listens, and steps every session when
 * it moves (or its hash changes: a reorg at the same height). Each session steps one at a time, so its messages
 * stay in order; a session whose step fails is closed rather than left half-sent.
 */
import type { IndexedHead, StreamSource } from './source.ts'

export type HubSession = { step: (head: IndexedHead) => Promise<void>; close: (error?: unknown) => void }

export function createHub(source: StreamSource, pollMs: number, onError: (error: unknown) => void) {
  const sessions = new Map<HubSession, Promise<void>>()
  let timer: NodeJS.Timeout | undefined
  let last: IndexedHead | undefined
  let polling = false

  const run = (s: HubSession, head: IndexedHead) => {
    const next = (sessions.get(s) ?? Promise.resolve())
      .then(() => (sessions.has(s) ? s.step(head) : undefined))
      .catch((error) => {
        sessions.delete(s)
        s.close(error)
      })
    if (sessions.has(s)) sessions.set(s, next)
    return next
  }

  async function poll() {
    if (polling) return
    polling = true
    try {
      const head = await source.head()
      if (head && (last === undefined || head.number !== last.number || head.hash !== last.hash)) {
        last = head
        for (const s of sessions.keys()) void run(s, head)
      }
    } catch (error) {
      onError(error)
    } finally {
      polling = false
    }
  }

  const ensureTimer = () => {
    if (timer || sessions.size === 0) return
    timer = setInterval(() => void poll(), pollMs)
    timer.unref()
  }

  return {
    get size() {
      return sessions.size
    },
    /** Adds a session and brings it up to the current head at once. */
    async add(s: HubSession): Promise<void> {
      sessions.set(s, Promise.resolve())
      ensureTimer()
      const head = await source.head()
      if (head) {
        if (last === undefined || head.number !== last.number || head.hash !== last.hash) last = head
        await run(s, last)
      }
    },
    remove(s: HubSession) {
      sessions.delete(s)
      if (sessions.size === 0 && timer) {
        clearInterval(timer)
        timer = undefined
      }
    },
    close() {
      for (const s of sessions.keys()) s.close()
      sessions.clear()
      if (timer) clearInterval(timer)
      timer = undefined
    },
  }
}
