/**
 * Token buckets per key (a client's IP, a peer's address): `ratePerSecond` sustained, `burst` at once. The map is
 * bounded (`maxKeys`): when full, the least recently used key is dropped, so a stranger spraying source addresses
 * costs memory it cannot grow; a dropped key starts again with a full bucket, which is the price of the bound.
 */
export type RateLimiter = { take: (key: string) => boolean; size: () => number }

export function createRateLimiter(o: {
  ratePerSecond: number
  burst: number
  maxKeys?: number
  now?: () => number
}): RateLimiter {
  const now = o.now ?? Date.now
  const maxKeys = o.maxKeys ?? 10_000
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take(key) {
      const t = now()
      let b = buckets.get(key)
      if (b) {
        buckets.delete(key) // re-inserted below: Map order is the recency order
        b.tokens = Math.min(o.burst, b.tokens + ((t - b.at) / 1000) * o.ratePerSecond)
        b.at = t
      } else {
        b = { tokens: o.burst, at: t }
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!)
      }
      buckets.set(key, b)
      if (b.tokens < 1) return false
      b.tokens -= 1
      return true
    },
    size: () => buckets.size,
  }
}
