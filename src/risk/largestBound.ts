/**
 * A bound on the largest attack from the verdict's own search (serviceBranch.ts), run on the network with every
 * stake scaled by c = p/q < 1: a Lagrangian relaxation of the validity row.
 *
 * Why it holds: a valid attack nets at least one unit, π(A) ≥ cost(B) + 1, so for c < 1
 *
 *   π(A) − c·cost(B) ≥ (1 − c)·cost(B) + 1,   and π(A) − c·cost(B) ≤ P(c),
 *
 * the most profitable net on the scaled network (stakes × p, profits × q: every net there is q·π(A) − p·cost(B),
 * the thresholds unchanged since each is a ratio of stakes, and each operator's min(σ_v, Σ a_vs) scaled by p). So
 * cost(B) ≤ (P'(c) − q)/(q − p) with P'(c) the scaled network's best net in its own units, and every valid attack of
 * the network is a valid attack there too (it nets (q − p)·cost(B) + q > 0), so a bound on P' from the branching is
 * one on the largest attack. With P' proven exactly, so is this bound: floor((P' − q)/(q − p)).
 *
 * Why not the solver's bound alone: HiGHS's bound on hard 1,000 × 100 seed 3 stays at its LP (32,647 tokens) from a
 * few seconds on, while the branching over services sees the attacked services' integrality. The price of the
 * relaxation is its duality gap: only the attacks on the upper hull of (cost(B), π(A)) are reached by some c, so the
 * bound stays above the largest attack in general (on seed 3, P(0.55) found 14,345 gives at best 31,876 against a
 * largest found of 30,950–31,457); it moves the bound, and proves only where the largest attack is on that hull.
 */
import type { Highs } from 'highs'
import type { ParallelBranch } from './branchJob.ts'
import { branchSetupMs } from './deadline.ts'
import type { Network } from './network.ts'
import { type BranchOutcome, serviceBranch } from './serviceBranch.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from './verify.ts'

export type Scale = { p: bigint; q: bigint }

/** The denominator of c: amounts grow by at most this factor, far inside a float's range at any bench size. */
const Q = 1024n

/** Stakes (operators' and per service) × p, profits × q: every net of an attack becomes q·π(A) − p·cost(B). */
export function scaledNetwork(n: Network, { p, q }: Scale): Network {
  return {
    ...n,
    operators: n.operators.map((o) => ({ ...o, stake: o.stake * p })),
    services: n.services.map((s) => ({
      ...s,
      profit: s.profit * q,
      memberStake: s.memberStake.map((x) => x * p),
    })),
  }
}

/**
 * The scale: 0.8 of the c at which the most profitable attack known and the largest one known net the same,
 * (π_L − π_V)/(cost_L − cost_V) — about where the largest attack starts to be the scaled network's best, so where
 * the bound could meet it — pulled down because the branching's gap on P(c) is multiplied by 1/(1 − c): on hard
 * 1,000 × 100 seed 3 (c ≈ 0.68 there) 10 s of the branching gave bounds of 32,384, 32,298, 32,417 and 33,013 tokens
 * at c = 0.5, 0.55, 0.6 and 0.65 (load 9). Clamped to [0.5, 0.8], so p < q always (below 0.5 the bound was worse
 * still: 32,798 at 0.37); 0.55 without two such attacks.
 */
export function chooseScale(n: Network, attacks: Attack[]): Scale {
  const valid = attacks.filter((a) => isValidAttack(n, a))
  const pts = valid.map((a) => ({ pi: attackProfit(n, a), cost: attackCost(n, a) }))
  let c = 0.55
  if (pts.length >= 2) {
    const v = pts.reduce((x, y) => (y.pi - y.cost > x.pi - x.cost ? y : x))
    const l = pts.reduce((x, y) => (y.cost > x.cost ? y : x))
    if (l.cost > v.cost) {
      const tie = Number(l.pi - v.pi) / Number(l.cost - v.cost)
      if (Number.isFinite(tie) && tie > 0) c = Math.min(0.8, Math.max(0.5, 0.8 * tie))
    }
  }
  return { p: BigInt(Math.round(c * Number(Q))), q: Q }
}

/**
 * The largest cost any valid attack can have, given an upper bound `scaledNet` on the scaled network's best net
 * (its units). Floats (a bound from open nodes, a lead like the solver's): rounded up by a relative 2^-40 so the
 * division's rounding never takes it under.
 */
export function largestFromScaled(scaledNet: number, { p, q }: Scale): number {
  const b = (scaledNet - Number(q)) / Number(q - p)
  return Math.max(0, b > 0 ? b * (1 + 2 ** -40) : b)
}

/** Exact: floor((P' − q)/(q − p)) for the scaled network's proven best net P' (0 when none is valid). */
export function largestFromScaledExact(scaledNet: bigint, { p, q }: Scale): bigint {
  const b = scaledNet - q
  return b <= 0n ? 0n : b / (q - p)
}

/** The attack (of n) that nets the most on the scaled network: the scaled search's incumbent. */
export function bestScaledStart(n: Network, attacks: Attack[], { p, q }: Scale): Attack | undefined {
  let best: Attack | undefined
  let value = 0n
  for (const a of attacks) {
    if (!isValidAttack(n, a)) continue
    const v = q * attackProfit(n, a) - p * attackCost(n, a)
    if (v > value) {
      best = a
      value = v
    }
  }
  return best
}

export type ScaledBound = {
  /** Upper bound on the largest attack's cost (amount units; a float unless `exact` is set). */
  bound: number
  /** Set when the scaled search proved its answer: the bound, exactly. */
  exact?: bigint
  /**
   * The scaled search's best attack when it is valid on the network itself (checked exactly): a candidate like any
   * other (hard to find otherwise where it is the largest — it is the scaled network's best).
   */
  attack?: Attack
}

export type ScaledSearch = {
  /**
   * The bound, once the search ends: at its deadline, or at once when `stop` (the solver proved the answer, and the
   * thread is better freed).
   */
  finish(stop: boolean): Promise<ScaledBound>
}

/**
 * The least float at or above x: Number() rounds to nearest, which past 2^53 may be below it (an exact bound of
 * 2^70 + 1 was reported as 2^70 beside no attack found: riskk.review.test.ts), so one float up then.
 */
export function floatAtLeast(x: bigint): number {
  const f = Number(x)
  // f·(1 + 2^-52) lies between f + ulp(f) and f + 2·ulp(f), so it rounds to at least the next float up
  return !Number.isFinite(f) || BigInt(f) >= x ? f : f * (1 + 2 ** -52)
}

/** The scaled search's outcome as a bound on the largest attack (of n), with its attack when valid on n. */
function boundOf(n: Network, b: BranchOutcome, scale: Scale): ScaledBound {
  const attack = b.attack && isValidAttack(n, b.attack) ? { attack: b.attack } : {}
  if (b.proven) {
    const exact = largestFromScaledExact(b.value, scale)
    return { bound: floatAtLeast(exact), exact, ...attack }
  }
  return { bound: largestFromScaled(b.bound, scale), ...attack }
}

/**
 * Starts the scaled network's branching: on one worker thread when `parallel` is given (beside the solver and
 * the growth on this thread, until `deadlineMs`, this thread's performance.now()), else here, now, for `syncMs`.
 * The scale comes from the attacks known (chooseScale), the best of them on the scaled network is its incumbent.
 */
export function startScaledSearch(
  n: Network,
  attacks: Attack[],
  opts: { parallel?: ParallelBranch; deadlineMs: number; syncMs?: number; highs?: Highs; graceMs?: number },
): ScaledSearch | null {
  const scale = chooseScale(n, attacks)
  const m = scaledNetwork(n, scale)
  const incumbent = bestScaledStart(n, attacks, scale) ?? null
  if (opts.parallel) {
    const budget = opts.deadlineMs - performance.now()
    if (!opts.parallel.worthIt(m, budget) || budget < branchSetupMs(m)) return null
    // one thread: the job holds its second until setDeadline, which only `stop` calls (the other core is this
    // thread's, for the solver and the growth)
    // no flat covers (flatLeaf.ts): they raise the scaled incumbent, which this bound does not need, and took 40% of
    // the search's time (c = 0.55 on hard seed 3, 300 nodes: largest ≤ 32,289 tokens with them, 32,253 without,
    // in 31 s against 17 s; `npx tsx bench/largestLagrange.ts --max-nodes 300 --flat-ms 0|800`)
    const job = opts.parallel.start(m, {
      incumbent,
      deadline: opts.deadlineMs,
      flatLeafMs: 0,
      ...(opts.graceMs !== undefined ? { graceMs: opts.graceMs } : {}),
    })
    return {
      async finish(stop) {
        if (stop) job.setDeadline(performance.now())
        return boundOf(n, await job.result(), scale)
      },
    }
  }
  const ms = opts.syncMs ?? 0
  if (!(ms > 0) || ms < branchSetupMs(m)) return null
  const b = serviceBranch(m, {
    incumbent,
    budgetMs: ms,
    flatLeafMs: 0, // as above
    ...(opts.highs ? { highs: opts.highs } : {}),
  })
  return { finish: async () => boundOf(n, b, scale) }
}
