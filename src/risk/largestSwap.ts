/**
 * A local search for the largest attack over the attacked services A: exchange up to one service of A for one or
 * two outside it that are worth more, each new A covered exactly (leafCover.ts), and keep it when its coalition,
 * padded (padCoalition), burns more. Growth by single services (growByLeaf) stops where no one service can join
 * A at a profit; an exchange spends the slack a dear-to-cover service held on a better one.
 *
 * Why: the largest attack burns just under π(A) (padding fills the gap), so it is max π(A) over the A some
 * coalition attacks at a profit. On hard 1,000 × 100 seed 3 growth stops at 87 services burning 30,838 tokens;
 * HiGHS run for 20 minutes from there found 31,693, and exchanges from it reach 31,692–31,801 in 4–8 s (docs/risk.md,
 * "Exchanges after the growth").
 *
 * Moves are screened by their covers' LP (leafFlip.ts's flipScreen): π(A') − LP(A') is at least what any coalition
 * for A' nets, so where it is not above 0 no valid attack has that A'. They are tried largest gain π(I) − π(D)
 * first, among those whose LP net, estimated by adding the single flips' changes, is above 0, each checked with
 * its own LP before its exact cover. A float screen only orders and skips moves of a heuristic: what comes back is
 * an attack checked exactly (verify.ts), or the one given.
 */
import type { Highs } from 'highs'
import { padCoalition } from './largestHeuristic.ts'
import { solveLeaf } from './leafCover.ts'
import { flipScreen } from './leafFlip.ts'
import type { Network } from './network.ts'
import { type Attack, attackCost, isValidAttack, normalizeAttack } from './verify.ts'

/** Per exchange, at most this long for its exact cover. */
const SWAP_MS = 120
/**
 * Pairs are added only from this many services outside A, those whose single addition the LP rates best: the
 * moves are pairs × (|A| + 1), built and sorted with no deadline in between, and with 100 services outside and 300
 * in A (1.5 million moves) swapByLeaf answered 2.4 s past a 3 s deadline at 455 MB (review riskzb,
 * bench/swapDeadline.ts). On hard 1,000 × 100 some 13 services lie outside A: all of them still pair.
 */
const PAIR_POOL = 40

type Move = { drop: number[]; add: number[]; gain: bigint; estimate: number }

/**
 * The largest attack reached from `start` by exchanges (first improvement), until none gains or `deadline`
 * (performance.now() ms). `start` must be valid; it comes back when nothing beats it.
 */
export function swapByLeaf(
  n: Network,
  start: Attack,
  highs: Highs,
  deadline: number,
  swapMs = SWAP_MS,
): Attack {
  if (!isValidAttack(n, start) || start.services.length === 0) return start
  // the start padded first: a verdict's attack burns well under its π(A), and the exchanges compare burns
  const padded = padCoalition(n, normalizeAttack(n, start))
  let best = isValidAttack(n, padded) && attackCost(n, padded) > attackCost(n, start) ? padded : start
  let bestCost = attackCost(n, best)
  /** A' already covered (or screened out) against the current A: never tried twice. */
  const tried = new Set<string>()
  let screen: ReturnType<typeof flipScreen> | undefined
  try {
    screen = flipScreen(n, highs)
    for (;;) {
      if (performance.now() >= deadline) return best
      const A = best.services
      const inA = new Set(A)
      screen.setBase(A)
      // the drops' changes from the base LP's duals (one LP), the additions' by an LP each: few lie outside A
      const { base, drop: change } = screen.dropEstimates()
      for (const s of n.services.keys()) {
        if (performance.now() >= deadline) return best
        if (inA.has(s) || (n.services[s]?.profit ?? 0n) <= 0n) continue
        change.set(s, screen.flipped(s) - base)
      }
      const profit = (s: number) => n.services[s]?.profit ?? 0n
      const outside = [...change.keys()].filter((s) => !inA.has(s))
      const adds: number[][] = outside.map((s) => [s])
      const pool = [...outside]
        .sort((x, y) => (change.get(y) ?? 0) - (change.get(x) ?? 0) || x - y)
        .slice(0, PAIR_POOL)
      for (let i = 0; i < pool.length; i++)
        for (let j = i + 1; j < pool.length; j++) adds.push([pool[i] as number, pool[j] as number])
      const moves: Move[] = []
      for (const add of adds) {
        if (performance.now() >= deadline) return best
        const gainIn = add.reduce((g, s) => g + profit(s), 0n)
        const inChange = add.reduce((c, s) => c + (change.get(s) ?? 0), 0)
        for (const d of [-1, ...A]) {
          const drop = d < 0 ? [] : [d]
          const gain = gainIn - (d < 0 ? 0n : profit(d))
          if (gain <= 0n) continue
          const estimate = base + inChange + (d < 0 ? 0 : (change.get(d) ?? 0))
          if (estimate > 0) moves.push({ drop, add, gain, estimate })
        }
      }
      moves.sort((x, y) => (y.gain > x.gain ? 1 : y.gain < x.gain ? -1 : y.estimate - x.estimate))
      let moved = false
      const refined = new Set<number>()
      for (const m of moves) {
        if (performance.now() >= deadline) break
        // a drop's dual estimate refined by its own LP the first time a move needs it (cheaper than all of them)
        const d = m.drop[0]
        if (d !== undefined && !refined.has(d)) {
          refined.add(d)
          const exact = screen.flipped(d) - base
          const dual = change.get(d) ?? 0
          change.set(d, exact)
          m.estimate += exact - dual
        } else if (d !== undefined)
          m.estimate = base + m.add.reduce((c, s) => c + (change.get(s) ?? 0), change.get(d) ?? 0)
        if (m.estimate <= 0) continue
        const services = [...A.filter((s) => !m.drop.includes(s)), ...m.add].sort((a, b) => a - b)
        const key = services.join(',')
        if (tried.has(key)) continue
        tried.add(key)
        // the LP's net bounds every coalition's for A' (up to the float's error): not above 0, no attack there
        if (screen.flippedAll([...m.drop, ...m.add]) <= 0) continue
        let out: ReturnType<typeof solveLeaf>
        try {
          out = solveLeaf(n, services, 0n, highs, Math.min(deadline, performance.now() + swapMs))
        } catch {
          continue // an exchange is only ever an improvement: a solver failure leaves the attack as it was
        }
        if (!out.attack || !isValidAttack(n, out.attack)) continue
        const padded = padCoalition(n, normalizeAttack(n, out.attack))
        if (isValidAttack(n, padded) && attackCost(n, padded) > bestCost) {
          best = padded
          bestCost = attackCost(n, padded)
          moved = true
          break
        }
      }
      if (!moved) return best
    }
  } catch {
    // an improvement only, as flipByLeaf's: a screen LP that fails (HighsError) leaves the best found, checked
    // exactly, where it used to escape largestAttack and lose its answer (review riskzb)
    return best
  } finally {
    screen?.dispose()
  }
}
