/** Small seeded PRNG (mulberry32) so every invariant sequence can be replayed from its seed. */
export class Prng {
  private state: number
  constructor(readonly seed: number) {
    this.state = seed >>> 0
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive)
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }
  /** A bigint in [0, max], skewed toward both small values (rounding) and large ones. */
  amount(max: bigint): bigint {
    if (max <= 0n) return 0n
    const r = this.next()
    if (r < 0.15) return BigInt(this.int(1000)) % (max + 1n)
    if (r < 0.3) return max
    const scaled = BigInt(Math.floor(this.next() * 1e15))
    return (max * scaled) / 1_000_000_000_000_000n
  }
  weighted<T extends string>(weights: Record<T, number>): T {
    const entries = Object.entries(weights) as [T, number][]
    const total = entries.reduce((s, [, w]) => s + w, 0)
    let r = this.next() * total
    for (const [key, w] of entries) {
      r -= w
      if (r < 0) return key
    }
    return entries[entries.length - 1]![0]
  }
}
