/**
 * Seeded pseudo-random numbers (mulberry32 over a splitmix-style seed hash): tiny, fast in the simulator's hot
 * loop, and the same sequence on every machine, so a seed printed on failure replays the run exactly.
 */
export type Rng = {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number
  /** Standard normal (Box–Muller). */
  normal(): number
  /** Independent stream derived from this one and a label (e.g. a Monte Carlo run index). */
  fork(label: number): Rng
}

function hashSeed(seed: number, label = 0): number {
  let h = (seed ^ Math.imul(label + 0x9e3779b9, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  return (h ^ (h >>> 16)) >>> 0
}

export function createRng(seed: number, label = 0): Rng {
  let state = hashSeed(seed >>> 0, label)
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    normal: () => {
      const u = 1 - next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next())
    },
    fork: (l) => createRng(hashSeed(seed, label), l + 1),
  }
}
