/**
 * What every actor of the world is handed: the cast, the chain's addresses, a signing client per account, the
 * view folded from events, the story, and `act` — which runs one account's action in the background, never two at
 * once for the same account (one nonce in flight), and tells a failure once as a warning instead of stopping
 * the world (a bid that lost a race, an order another actor settled first: the world goes on).
 */
import type { Account, Address } from 'viem'
import { ContractRevertedError } from '../errors.ts'
import { createRng, type Rng } from '../risk/rng.ts'
import type { SuretyAddresses, SuretyClient } from '../sdk/types.ts'
import type { WorldAccounts } from './accounts.ts'
import type { WorldDesign } from './design.ts'
import type { WorldProfile } from './profile.ts'
import type { WorldState } from './state.ts'
import type { Story } from './story.ts'
import type { WorldView } from './view.ts'

export type WorldContext = {
  seed: number
  profile: WorldProfile
  design: WorldDesign
  accounts: WorldAccounts
  addresses: SuretyAddresses
  serviceIds: [bigint, bigint]
  vaults: Address[]
  state: WorldState
  view: WorldView
  story: Story
  clientFor: (account: Account) => SuretyClient
  /** The head block and its timestamp, as of this tick. */
  head: bigint
  now: number
  /** Node API URLs (sensors post telemetry to every one). */
  nodeUrls: string[]
  act: (account: { address: Address }, what: string, fn: () => Promise<unknown>) => void
  /** True while `account` has an action in flight. */
  busy: (account: { address: Address }) => boolean
  /** A stream of random numbers for one decision, the same for the same seed and labels. */
  rng: (...labels: (number | bigint | string)[]) => Rng
  operatorOfVault: (vault: Address) => number
}

/** Errors that only mean another actor (or a keeper) got there first, or a window closed: not worth a warning. */
const RACES = new Set([
  'WrongOrderStatus',
  'WrongStatus',
  'BiddingClosed',
  'AcceptanceClosed',
  'MilestoneMismatch',
  'DisputeWindowClosed',
  'NotBestBid',
  'BidNotLower',
  'NothingToClaim',
  'WithdrawalNotReady',
])

export function createActRunner(story: Story) {
  const inFlight = new Set<string>()
  const pending = new Set<Promise<unknown>>()
  const warned = new Map<string, number>()
  return {
    busy: (account: { address: Address }) => inFlight.has(account.address),
    act: (account: { address: Address }, what: string, fn: () => Promise<unknown>) => {
      if (inFlight.has(account.address)) return
      inFlight.add(account.address)
      const p = fn()
        .catch((error: unknown) => {
          const name = error instanceof ContractRevertedError ? error.errorName : undefined
          if (name && RACES.has(name)) return
          const key = `${what}:${name ?? (error as Error).message?.slice(0, 60)}`
          const n = (warned.get(key) ?? 0) + 1
          warned.set(key, n)
          // the same failure is told once, then every 20th time, so a persistent problem stays visible
          if (n === 1 || n % 20 === 0)
            story.warn(`${what} failed${n > 1 ? ` (${n} times)` : ''}: ${(error as Error).message}`)
        })
        .finally(() => {
          inFlight.delete(account.address)
          pending.delete(p)
        })
      pending.add(p)
    },
    /**
     * Waits for every action in flight (on stop), at most `maxMs` and no longer than `giveUp` (the chain went
     * away: a transaction's receipt will never come, and the stop must not wait for it).
     * Returns how many actions were still in flight.
     */
    drain: async (maxMs: number, giveUp: Promise<void> = new Promise(() => {})): Promise<number> => {
      let timer: NodeJS.Timeout | undefined
      const timeUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxMs)
      })
      await Promise.race([Promise.allSettled([...pending]), timeUp, giveUp])
      clearTimeout(timer)
      return pending.size
    },
  }
}

/** Labels hashed into a seed fork: decisions keyed by what they are about, not by when they happen. */
export function rngFor(seed: number) {
  return (...labels: (number | bigint | string)[]) => {
    let h = 2166136261
    for (const l of labels)
      for (const ch of String(l)) {
        h ^= ch.charCodeAt(0)
        h = Math.imul(h, 16777619) >>> 0
      }
    return createRng(seed, h)
  }
}
