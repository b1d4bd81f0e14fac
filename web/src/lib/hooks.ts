/**
 * Data fetching apart from the views: `useApi` reads one path and reads it again whenever the live stream
 * says indexed state changed (keeping what it showed while it refetches, so pages do not flash); `useLive`
 * exposes the stream; `useNow` ticks for countdowns.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError, getJson } from './api.ts'
import { chainNow, noteBlockTime } from './clock.ts'
import { getLive, type LiveState, subscribeLive } from './live.ts'

export type Resource<T> = {
  data: T | undefined
  error: ApiError | undefined
  loading: boolean
  refresh: () => void
}

export function useLive(): LiveState {
  const [state, setState] = useState(getLive())
  useEffect(() => {
    const unsubscribe = subscribeLive(setState)
    // The stream may have changed between this render and the subscription (it often opens at once): without this
    // read the indicator kept "connecting…" until the next message, which on a quiet chain can be a long while (a
    // CI run waited 30 s for "live" on a stream the API had open).
    setState(getLive())
    return () => {
      unsubscribe()
    }
  }, [])
  return state
}

/** Reads `path` (null: nothing to read yet) and follows the live stream. */
export function useApi<T>(path: string | null, options: { live?: boolean } = {}): Resource<T> {
  const live = useLive()
  const version = options.live === false ? 0 : live.version
  const [manual, setManual] = useState(0)
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean; path: string | null }>({
    loading: path !== null,
    path,
  })
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useEffect(() => {
    if (path === null) return
    const controller = new AbortController()
    // a new path starts empty; the same path refetched keeps its data on screen
    setState((s) => (s.path === path ? { ...s, loading: true } : { loading: true, path }))
    getJson<T>(path, controller.signal).then(
      (data) => {
        noteBlockTime((data as { block?: { time?: { unix?: number } | null } })?.block?.time?.unix)
        setState({ data, loading: false, path })
      },
      (error: unknown) => {
        if ((error as Error).name === 'AbortError') return
        const e = error instanceof ApiError ? error : new ApiError(String(error), 0, 'CLIENT')
        setState((s) => ({ data: s.path === path ? s.data : undefined, error: e, loading: false, path }))
        // the indexer catching up or a restart: try again by ourselves rather than leave an error up
        if (e.retryable) retryTimer.current = setTimeout(() => setManual((n) => n + 1), 3000)
      },
    )
    return () => {
      controller.abort()
      clearTimeout(retryTimer.current)
    }
  }, [path, version, manual])

  return {
    data: state.path === path ? state.data : undefined,
    error: state.path === path ? state.error : undefined,
    loading: state.loading,
    refresh: () => setManual((n) => n + 1),
  }
}

/** The chain's current unix time in seconds (clock.ts), ticking every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => chainNow())
  useEffect(() => {
    const t = setInterval(() => setNow(chainNow()), everyMs)
    return () => clearInterval(t)
  }, [everyMs])
  return now
}
