/**
 * A router in a page: paths (not hashes, so links can be shared and the API serves index.html for each),
 * matched against a small table, with history.pushState for links. Enough for seven pages; a library would
 * add more bytes than it saves.
 */
import { useEffect, useState } from 'preact/hooks'

export type Route = { name: string; params: Record<string, string> }

const PATTERNS: [string, RegExp][] = [
  ['overview', /^\/$/],
  ['service', /^\/services\/(?<id>\d+)$/],
  ['vault', /^\/vaults\/(?<address>0x[0-9a-fA-F]{40})$/],
  ['position', /^\/position(?:\/(?<address>0x[0-9a-fA-F]{40}))?$/],
  ['slashes', /^\/slashes$/],
  ['slash', /^\/slashes\/(?<id>0x[0-9a-fA-F]{64})$/],
  ['orders', /^\/orders$/],
  ['order', /^\/orders\/(?<id>\d+)$/],
  ['risk', /^\/risk$/],
]

export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname
  for (const [name, re] of PATTERNS) {
    const m = re.exec(path)
    if (m) return { name, params: { ...(m.groups ?? {}) } }
  }
  return { name: 'notFound', params: { path } }
}

const listeners = new Set<() => void>()

export function navigate(href: string): void {
  if (href === location.pathname + location.search) return
  history.pushState(null, '', href)
  window.scrollTo(0, 0)
  for (const l of listeners) l()
}

export function useRoute(): Route {
  const [path, setPath] = useState(location.pathname)
  useEffect(() => {
    const update = () => setPath(location.pathname)
    listeners.add(update)
    window.addEventListener('popstate', update)
    return () => {
      listeners.delete(update)
      window.removeEventListener('popstate', update)
    }
  }, [])
  return matchRoute(path)
}

/** Paths the dashboard answers, for the server's static route (index.html for each). */
export const PAGE_PATHS = PATTERNS.map(([name]) => name)
