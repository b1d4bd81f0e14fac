/**
 * The vaults' names (/v1/dashboard/vault-names: each vault token's ERC-20 name, which its operator chose), so a
 * person sees "Surety Staked cold-1" where the chain gives an address. Loaded once per page and shared; a vault
 * the list does not name yet (created since) asks for the list again, at most every RELOAD_MS, and a list that
 * failed to load is asked for again after RETRY_MS (a first request that failed left the page on addresses for
 * good: nothing asked again while its set of vaults stayed the same; the browser test's risk graph under load).
 */
import { useEffect, useState } from 'preact/hooks'
import { getJson } from './api.ts'

type Names = Record<string, string>

const RELOAD_MS = 15_000
const RETRY_MS = 2_000

let names: Names | undefined
let loading: Promise<Names> | undefined
let loadedAt = 0
const listeners = new Set<(n: Names) => void>()

function load(): Promise<Names> {
  loading ??= getJson<{ vaults: Names }>('/v1/dashboard/vault-names').then(
    (r) => {
      names = r.vaults
      loadedAt = Date.now()
      loading = undefined
      for (const l of listeners) l(r.vaults)
      return r.vaults
    },
    () => {
      loading = undefined // the next link that asks tries again
      loadedAt = Date.now()
      return names ?? {}
    },
  )
  return loading
}

/**
 * Whether to ask for the list now: never while a request is under way; at once when none has been made; after
 * RETRY_MS when the last one failed (nothing known); after RELOAD_MS when it lacks one of `keys`.
 */
export function shouldLoad(
  known: Names | undefined,
  keys: readonly string[],
  loadedAt: number,
  now: number,
  busy: boolean,
): boolean {
  if (busy) return false
  if (!known) return now - loadedAt >= RETRY_MS
  return keys.some((k) => !(k in known)) && now - loadedAt >= RELOAD_MS
}

/**
 * Every vault's name known so far (keys lower-case), or undefined while loading; `addresses` are the vaults the
 * caller shows: one the list does not name yet asks for the list again (at most every RELOAD_MS), and a failed
 * list is asked for again (every RETRY_MS) while the caller is shown.
 */
export function useVaultNames(addresses: readonly string[]): Names | undefined {
  const keys = addresses.map((a) => a.toLowerCase())
  const [all, setAll] = useState(names)
  const key = keys.join(',')
  // (the effect runs again when the set of vaults changes: `key` stands for `keys`, a new array each render)
  useEffect(() => {
    listeners.add(setAll)
    const check = () => {
      if (shouldLoad(names, keys, loadedAt, Date.now(), loading !== undefined)) void load()
    }
    check()
    const timer = setInterval(check, RETRY_MS)
    return () => {
      clearInterval(timer)
      listeners.delete(setAll)
    }
  }, [key])
  return all
}

/** The vault's name, or undefined while unknown (the link shows the address alone). */
export function useVaultName(address: string): string | undefined {
  return useVaultNames([address])?.[address.toLowerCase()]
}
