/**
 * A question's time limit as one deadline that every stage counts towards (presolve, cost shares, heuristic,
 * branching, the MIP), and the fixed costs that decide whether a stage is worth starting with what is left.
 * The costs are per edge (operator–service pair) of the network, measured at 3,000 × 300 (18,700 edges).
 */
import type { Network } from './network.ts'

/** The deadline (performance.now() milliseconds) of a question starting now; undefined without a limit. */
export const deadlineOf = (timeLimitSeconds: number | undefined): number | undefined =>
  timeLimitSeconds === undefined ? undefined : performance.now() + timeLimitSeconds * 1000

/**
 * A deadline that may move while a search runs (a worker thread reads it from shared memory: parallelBranch.ts),
 * or a fixed one; `deadlineNow` reads it.
 */
export type LiveDeadline = number | (() => number)
export const deadlineNow = (d: LiveDeadline): number => (typeof d === 'number' ? d : d())

/** Milliseconds left before the deadline (never negative; unbounded without one). */
export const msLeft = (deadline: number | undefined): number =>
  deadline === undefined ? Number.POSITIVE_INFINITY : Math.max(0, deadline - performance.now())

/**
 * The deadline of one part of the work, `part` (0–1) of the time left to `deadline`: a component of a network takes
 * its part (its pairs over those of it and the components after it), and what it leaves unused passes on to them.
 * The last part (1) ends at the deadline itself. A part is at least `leastMs` (never past the deadline): by pairs
 * alone, two components of 10–16 pairs before one of 3,159 got 12–16 ms of a 4 s limit, below the 40 ms their solver
 * needs to start at all (mipLimitSeconds), and their answers stayed open where the solver proves them in 7–140 ms
 * (risks.review.test.ts).
 */
export const partDeadline = (deadline: number | undefined, part: number, leastMs = 0): number | undefined => {
  if (deadline === undefined || part >= 1) return deadline
  // one reading of the clock (two put a part asking for all that is left past the deadline by their gap)
  const now = performance.now()
  const left = Math.max(0, deadline - now)
  // (never past the deadline: now + left may round an ulp above it; a deadline passed gives now)
  return Math.min(Math.max(deadline, now), now + Math.max(left * Math.max(0, part), leastMs))
}

export const edgeCount = (n: Network): number => n.services.reduce((a, s) => a + s.members.length, 0)

/**
 * What the MIP costs before any bound comes back and beyond its own time limit: building the model (0.12–0.45 s
 * at 3,000 × 300) and HiGHS's presolve and first LP, which do not stop at the limit (a limit of 1 s ended after
 * 1.0–2.0 s, one of 0.05 s after 0.1–0.6 s, load 4–6). About 20 µs per edge.
 */
export const mipSetupMs = (n: Network): number => Math.max(20, 0.02 * edgeCount(n))

/**
 * The solver's time limit with `left` milliseconds to go, or null when it is not worth starting: it gets what is
 * left less its setup, and needs at least as much again to return a bound at all.
 */
export function mipLimitSeconds(n: Network, deadline: number | undefined): number | undefined | null {
  if (deadline === undefined) return undefined
  const setup = mipSetupMs(n)
  const left = msLeft(deadline)
  return left < 2 * setup ? null : (left - setup) / 1000
}

/**
 * The branch and bound over services (serviceBranch.ts) spends about 0.5 s at 3,000 × 300 setting up its root
 * (share steps, the first flows) whatever its budget — 0.63 s with a budget of 0.05 s: about 25 µs per edge.
 * With a smaller budget it cannot prove anything, so it is not started.
 */
export const branchSetupMs = (n: Network): number => 0.025 * edgeCount(n)
