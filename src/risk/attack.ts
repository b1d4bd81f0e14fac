/**
 * The two attack questions of `risk analyze`: the most profitable valid attack (its existence is the verdict)
 * and the valid attack that destroys the most stake.
 */
import { SuretyError } from '../errors.ts'
import type { BranchJob, ParallelBranch } from './branchJob.ts'
import { type Component, components, liftAttack } from './components.ts'
import { findCostShares } from './costShare.ts'
import { coupledCapExact, searchCoupledCap, toMultipliers } from './coupledCap.ts'
import {
  branchSetupMs,
  deadlineOf,
  edgeCount,
  mipLimitSeconds,
  mipSetupMs,
  msLeft,
  partDeadline,
} from './deadline.ts'
import { coalitionFor, heuristicAttack, prepare } from './heuristic.ts'
import { floatAtLeast, startScaledSearch } from './largestBound.ts'
import { growByLeaf, largestAttackStart } from './largestHeuristic.ts'
import { swapByLeaf } from './largestSwap.ts'
import { flipByLeaf } from './leafFlip.ts'
import { polishByLeaf } from './leafPolish.ts'
import { loadHighs, type MipRunner } from './mip.ts'
import type { Network } from './network.ts'
import { cmp, rat, toNumber, ZERO } from './rational.ts'
import { searchOrNothing, secondOpinion } from './search.ts'
import { serviceBranch } from './serviceBranch.ts'
import { certifiedSlack } from './slack.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from './verify.ts'

export type AttackReport = {
  services: string[]
  operators: string[]
  /** π(A). */
  profit: bigint
  /** cost(B): the stake the coalition forfeits. */
  cost: bigint
}

export type AttackAnswer = {
  attack: AttackReport | null
  /** False when a time limit stopped the solver: `attack` is the best found, `bound` the best still possible. */
  proven: boolean
  /** Upper bound on the optimum in amount units (net profit, or cost), from the solver. */
  bound: number
  /**
   * `proven` holds exactly, in bigint arithmetic: security by the certified slack or cost shares, optimality by the
   * branch and bound over services (serviceBranch.ts) or by an attack that nets the cost shares' bound. False when the proof is the MIP solver's, which holds within
   * its float tolerances (docs/risk.md), or when nothing is proven.
   */
  exact: boolean
}

export function describeAttack(n: Network, a: Attack): AttackReport {
  return {
    services: a.services.map((s) => n.services[s]?.id ?? String(s)),
    operators: a.operators.map((v) => n.operators[v]?.id ?? String(v)),
    profit: attackProfit(n, a),
    cost: attackCost(n, a),
  }
}

export type SolveOptions = {
  timeLimitSeconds?: number
  /** A known attack (indices into the network) to start from; ignored unless it is exactly valid. */
  start?: Attack
  /**
   * The most profitable attack search already proved that no valid attack exists (`secure: true`): then there
   * is no largest attack either, and the search is skipped.
   */
  provenSecure?: boolean
  /** That proof was exact (`AttackAnswer.exact`): then so is the largest attack's "none". */
  provenExact?: boolean
  /**
   * Where to run the branch and bound over services on more threads (parallelBranch.ts, Node.js only: the CLI
   * and the bench pass it). Without it — the browser, a caller already on a worker thread, the tests that
   * compare with brute force — everything runs on this thread. On large components it also runs the exact-cover
   * flips over services (leafFlip.ts) on a thread beside the verdict's solver (flipThread.ts).
   */
  parallel?: ParallelBranch
  /**
   * The largest attack only: the part of its solver's time kept for growing the best attack found when the solver
   * has not proved it (growByLeaf); default GROW_PART on large networks, 0 on others.
   */
  growPart?: number
  /**
   * The largest attack only: false keeps the growth's whole time for growByLeaf, without the exchanges
   * (largestSwap.ts) after it (bench/largestSwapCheck.ts compares the two; default true).
   */
  swaps?: boolean
  /**
   * The largest attack only: the part of its time for the scaled search (largestBound.ts) on this thread, before
   * the solver (tests; default 0). With `parallel`, large networks run it on a worker thread instead, beside the
   * solver, and this is not needed.
   */
  scaledPart?: number
  /** The largest attack only: false turns the scaled search off (with `parallel` it is on for large networks). */
  scaledSearch?: boolean
  /**
   * The verdict only (tests): true runs the exact-cover flips instead of the solver wherever a service pays alone
   * and an attack is known, false never; default: where the solver's root LP cannot finish in time (flipsInstead).
   */
  flipsInstead?: boolean
  /**
   * Tests only: the solver's runner whatever the network's size (solverRunner gives one only to large networks with
   * threads and a limit), so the paths that run beside it — the cascade's concurrent bound stages, a failing solver's
   * answers — run on small networks too.
   */
  mipRunner?: MipRunner
}

/**
 * The largest attack's part of the time for growByLeaf on large networks (see largestAttack), and its time without
 * a limit.
 */
const GROW_PART = 0.5
const DEFAULT_GROW_MS = 5000
/** Of that time, the share for growByLeaf before the exchanges (swapByLeaf) take over from its best. */
const GROW_SHARE = 0.6
/**
 * The growth ends this long before the deadline: a leaf's exact cover under way then (its HiGHS LP) ends after it,
 * and the largest attack on hard 1,000 × 100 seed 3 answered after 10.07–10.15 s, its growth ending 116 ms past the
 * deadline (load 4–6.5). Under more load a leaf runs on longer still (282 ms past with this, at load 12): the leaf's
 * own deadline checks are what would have to change.
 */
const GROW_EARLY_MS = 150

/** γ ≥ 0 (or nothing worth corrupting) proves that no valid attack exists: π(A) ≤ cost(B)/(1+γ) ≤ cost(B). */
function secureBySlack(n: Network): boolean {
  const gamma = certifiedSlack(n)
  return gamma === null || cmp(gamma, ZERO) >= 0
}

/**
 * How long the heuristic may run before the solver starts: a fifth of the limit, at most two seconds. It stops
 * sooner when its kicks stop finding better local optima (heuristic.ts), so small networks hardly pay for it; on
 * 1,000 × 100 at the edge of security HiGHS is still in its root node after 10 s, and the heuristic's attack is
 * the only incumbent there is.
 */
const heuristicBudgetMs = (timeLimitSeconds: number | undefined): number =>
  Math.min(2000, (timeLimitSeconds ?? 60) * 200)

/**
 * On a large component the last quarter of the heuristic's time goes to the exact cheapest coalition for its
 * attack's services (leafPolish.ts): on 1,000 × 100 (typical with allocations, hard seed 3) its first half second
 * gains 190–290 tokens, the heuristic's last half second 0–141. Not on small ones, where the heuristic stops early
 * (its kicks stop improving) and the solver, which then gets the time, finds cheap coalitions itself.
 */
const LEAF_POLISH_PART = 0.25

/**
 * Components of 2,500 operator–service pairs or more (hard 1,000 × 100 has about 5,000, hard 200 × 50 about 1,250):
 * there the solver's bound hardly leaves its root LP within the limit, so the incumbent comes from the polish and
 * the bound from the branching (branchPartWithAttack); below, the solver proves optimality itself.
 */
const LARGE_EDGES = 2500
const isLarge = (n: Network): boolean => edgeCount(n) >= LARGE_EDGES

/**
 * The CPU time of the verdict's root LP on a component with allocations, from its operator–service pairs: about
 * 7.5 s at 1,000 × 100 (about 5,000 pairs) and 58.7 s at 5,000 × 200 (12,413 pairs, typical seed 1: HiGHS's LP
 * relaxation alone, `npx tsx bench/rootDualProbe.ts 1 200 5000x200`, 36,307 simplex iterations), so
 * about 7.5 s · (pairs / 5,000)^2.26.
 */
const lpMsEstimate = (edges: number): number => 7500 * (edges / 5000) ** 2.26
/**
 * True when that LP would take more than all of `leftMs` (the time left once the caps ran; the heuristic still takes
 * its share of it): then the solver ends with neither a bound nor an attack — typical 5,000 × 200 with allocations
 * at 60 s gave HiGHS 47 s for nothing, while the flip thread beside it, at nice 19, was starved and its answer
 * dropped (load 11–12) — and the coupled cap is within 1.3% of that LP anyway (30,791 tokens against 31,206). The
 * exact-cover flips (leafFlip.ts) get the time instead, on this thread at full priority: 25,763 → 29,898 tokens
 * there. The line sits in a narrow band: typical 1,000 × 100 at 10 s has about 8.5 s left here and estimates of
 * 7.2–8.1 s (seeds 1–3), and on a quiet machine its LP does finish, 0.1–0.8% below the cap, so it keeps the solver
 * (with half of `leftMs` as the line, as first built, it switched, and under load 11–15 gained: gaps 1,170 / 791 /
 * 989 → 974 / 576 / 922 tokens); 5,000 × 200 at 60 s has about 57 s left on a quiet machine against 58.5–61.1.
 */
export const flipsInstead = (n: Network, leftMs: number, cpuShare = 1): boolean =>
  n.hasAllocations && isLarge(n) && lpMsEstimate(edgeCount(n)) / cpuShare > leftMs
/**
 * The part of a core this process got while the coupled cap ran (its CPU time over its wall time, from
 * `ParallelBranch.cpuMs`), for flipsInstead: the solver's LP on its thread gets about as much, so on a busy machine
 * it needs lpMsEstimate / share of wall time. Typical 1,000 × 100 with allocations at load 8–9 (two cores): the LP
 * did not finish in its 8.5 s, the bound was the coupled cap's 600 steps or fewer (21,024 / 21,698 / 23,228 tokens)
 * and the flip thread beside the solver, at nice 19, was starved (seed 1's attack 20,298, against 20,519 with a
 * core). A share of CPU_SHARE_FULL or more counts as a whole core (a quiet machine: the LP finishes there, 0.1–0.8%
 * below the cap, and the solver keeps its time); none is read over less than CPU_SHARE_MIN_MS of wall time.
 */
const CPU_SHARE_FULL = 0.85
const CPU_SHARE_MIN_MS = 200
const cpuShareOf = (cpuMs: number, wallMs: number): number =>
  wallMs < CPU_SHARE_MIN_MS || !(cpuMs >= 0)
    ? 1
    : cpuMs / wallMs >= CPU_SHARE_FULL
      ? 1
      : Math.max(0.05, cpuMs / wallMs)
/** The flips on this thread stop this long before the deadline: a leaf under way may overrun its own limit a little. */
const FLIPS_END_MS = 300

/**
 * The solver's thread (mipThread.ts) with a limit and threads, from MIP_THREAD_MIN_EDGES operator–service pairs:
 * abandoned at the deadline with what it found, where HiGHS overran its limit by seconds on large networks (its root's
 * cut rounds do not look at the clock) and by 0.4–4 s on 200 × 50 (about 1,250 pairs): there the verdict answered
 * after 10.38–10.39 s and the cascade after 11.53–13.97 s on the calling thread, after at most 10.14 and 10.03 s on
 * the solver's (`npx tsx bench/overrun.ts --sizes 200x50`, load 5–22; docs/risk.md "Time limits"). Below, and without
 * threads, it solves on this thread: a small model's root is over in milliseconds, and a question there would wait
 * 0.5–0.7 s for the thread to load.
 */
const MIP_THREAD_MIN_EDGES = 500
export function solverRunner(
  n: Network,
  parallel: ParallelBranch | undefined,
  deadline: number | undefined,
): MipRunner | undefined {
  if (deadline === undefined || edgeCount(n) < MIP_THREAD_MIN_EDGES || !parallel?.mip) return undefined
  return parallel.mip
}

/**
 * How long the cost-sharing proof (costShare.ts) may search: a fifth of the limit, two seconds at most. Where it
 * succeeds it does in 30–90 steps (0.05–0.2 CPU-seconds at 1,000 × 100 in the boundary regime; the limit is
 * wall-clock and the machine may be shared, hence the room); where it cannot, its bound stops falling fast enough
 * and it gives up after about 70 steps (0.3 CPU-seconds on hard 1,000 × 100).
 */
const costShareBudgetMs = (timeLimitSeconds: number | undefined): number =>
  Math.min(2000, (timeLimitSeconds ?? 60) * 200)

/**
 * Cost-share steps taken only for a bound where a service pays alone (the network is insecure): 50 take 30–60 ms at
 * 1,000 × 100 with allocations and bring Σ_s max(0, π_s − C_s(λ)) from 30,000–34,500 tokens (the initial shares) to
 * 25,300–28,500 (200 steps: 25,100–28,400), checked exactly like any shares (costShare.ts). The solver's LP is lower
 * (20,814 on seed 1), but it takes 7.5 s there and at a load of 4–5 it did not finish: the bound reported was then
 * Σ π, 52,700 tokens.
 */
const CAP_STEPS = 50
/**
 * … and at most this long (wall-clock; any shares give a valid bound): where the solver proves the verdict anyway
 * (typical 1,000 × 100, whole stake) these steps are pure cost, 48–156 ms there.
 */
const CAP_MS = 100

/**
 * The coupled Lagrangian's cap (coupledCap.ts), for large components with allocations where a service pays alone:
 * there the solver's root LP takes 6–7.5 CPU-seconds and under load does not finish, leaving the cost shares' cap
 * (25,300–28,500 tokens on typical 1,000 × 100, against an LP of 20,814–23,070). 600 L-BFGS steps take about 1.1
 * CPU-seconds there and end within 0.1–0.8% of the LP (bench/coupledFast.ts); at most 15% of the time limit.
 */
const COUPLED_STEPS = 600
const coupledBudgetMs = (timeLimitSeconds: number | undefined): number => (timeLimitSeconds ?? 60) * 150

/**
 * The least part of the time for a component's solver and flips (partDeadline): what its solver needs to return
 * anything (twice its setup, mipLimitSeconds) and a setup more for its limit, and 250 ms at least — a 13-pair
 * component's MIP took HiGHS 7–140 ms to prove at load 10 (255 ms once at 12), and it ends as soon as it has,
 * passing the rest on. A single component is unchanged (its part is all the time).
 */
const leastPartMs = (n: Network): number => Math.max(250, 3 * mipSetupMs(n))

export type MostProfitable = { answer: AttackAnswer; attack: Attack | null }

/**
 * Some service pays on its own (its reverse-deletion coalition costs less than its profit, in floats): the
 * network is insecure and no cost shares can prove otherwise, so their search is skipped (the typical regime).
 * Only decides whether to try the proof, never an answer.
 */
function paysAlone(n: Network): boolean {
  const p = prepare(n)
  const inA = new Uint8Array(n.services.length)
  return n.services.some((_, s) => {
    inA.fill(0)
    inA[s] = 1
    const b = coalitionFor(p, inA)
    return b !== null && (p.profit[s] ?? 0) > b.cost
  })
}

/**
 * max π(A) − cost(B) over valid attacks, component by component (components.ts): a component whose own γ is ≥ 0
 * is secure without a search, and so is one whose cost shares (costShare.ts) price every service's cheapest cover
 * at its profit or more — a proof checked exactly. The others start from the heuristic's attack. The answer is
 * the union of each component's best attack, and its bound the sum of theirs (each the smaller of the solver's
 * and the cost shares' bound, both valid).
 */
export async function solveMostProfitable(n: Network, opts: SolveOptions = {}): Promise<MostProfitable> {
  const deadline = deadlineOf(opts.timeLimitSeconds)
  const edges = (c: Component) => edgeCount(c.network)
  // smallest first: a small component settles within its least part (leastPartMs) and leaves the rest of the time
  // to the large ones; after a large one it got only what that left (review risks: 10 of 12 proven that way, 11–12
  // of 12 small-first)
  const parts = components(n)
    .filter((c) => !secureBySlack(c.network))
    .sort((a, b) => edges(a) - edges(b))
  const allEdges = parts.reduce((a, c) => a + edges(c), 0)
  let edgesLeft = allEdges
  const budget = heuristicBudgetMs(opts.timeLimitSeconds)
  const found: Attack[] = []
  let proven = true
  let exact = true
  let bound = 0
  for (const c of parts) {
    const weight = edges(c) / Math.max(1, allEdges)
    // Each stage takes its share of the limit, never more than is left of it (none at all once it has run out).
    // (not even looked at once the time is up, as before)
    const pays = msLeft(deadline) > 0 && paysAlone(c.network)
    const shares =
      msLeft(deadline) <= 0 || pays
        ? null
        : findCostShares(c.network, {
            budgetMs: Math.min(costShareBudgetMs(opts.timeLimitSeconds) * weight, msLeft(deadline)),
          })
    // Where a service pays alone the shares prove nothing and start no branching, but a few of their steps still
    // cap the reported bound when the solver does not finish its root LP (see CAP_STEPS).
    const cap =
      pays && msLeft(deadline) > 0
        ? findCostShares(c.network, {
            maxIterations: CAP_STEPS,
            budgetMs: Math.min(CAP_MS, costShareBudgetMs(opts.timeLimitSeconds) * weight, msLeft(deadline)),
          })
        : null
    const cpu0 = opts.parallel?.cpuMs?.()
    const wall0 = performance.now()
    const coupledRun =
      pays && c.network.hasAllocations && isLarge(c.network) && msLeft(deadline) > 0
        ? searchCoupledCap(c.network, {
            maxIterations: COUPLED_STEPS,
            budgetMs: Math.min(coupledBudgetMs(opts.timeLimitSeconds) * weight, msLeft(deadline)),
          })
        : null
    let coupled = coupledRun?.bound ?? null
    const cpuShare =
      cpu0 !== undefined && opts.parallel?.cpuMs
        ? cpuShareOf(opts.parallel.cpuMs() - cpu0, performance.now() - wall0)
        : 1
    edgesLeft -= edges(c)
    if (shares?.bound.num === 0n) continue // proven secure, exactly
    // this component's part of the time left, for the stages that would take all of it (the flips, the solver): the
    // components after it get theirs (a solver on the first of several components left the others none, and their
    // answers unproven with no attack)
    const part = edges(c) / Math.max(1, edges(c) + edgesLeft)
    // the exact-cover local search's thread (flipThread.ts) loads beside the heuristic, for the solver's time below;
    // only where a service pays alone (an attack will be found): on a network being proven secure the branching's
    // threads need the cores, and loading a thread costs 0.5–0.7 CPU-seconds through tsx
    // where the solver's root LP cannot finish in the time (flipsInstead), neither thread is loaded: the flips run here
    const flipsHere =
      pays &&
      (opts.flipsInstead ?? (coupled !== null && flipsInstead(c.network, msLeft(deadline) * part, cpuShare)))
    // There the solver's thread is idle: the coupled cap's search goes on on it, from its best multipliers, until
    // the flips end (mipThread.ts coupledOnThread); its multipliers are checked exactly below, like the cap's.
    // (the end of this component's part of the time, as now: no later than where the flips below end)
    const partEnd = partDeadline(deadline, part, leastPartMs(c.network))
    const coupledMore =
      flipsHere && coupledRun && partEnd !== undefined && opts.parallel?.coupled
        ? opts.parallel.coupled(c.network, coupledRun.search, partEnd - FLIPS_END_MS)
        : null
    const flips = isLarge(c.network) && deadline !== undefined && !flipsHere ? opts.parallel : undefined
    const runner = opts.mipRunner ?? solverRunner(c.network, opts.parallel, deadline)
    // the solver's thread (mipThread.ts) loads beside the heuristic too where an attack will be found; elsewhere once
    // the heuristic is done (below), as the branching then takes the cores first and may settle the question alone
    if (pays && !flipsHere) {
      flips?.warmFlip?.()
      if (runner) opts.parallel?.warmMip?.()
    }
    const startIn = opts.start && restrictAttack(opts.start, c.services, c.operators)
    // With threads, the branching starts now, beside the heuristic (parallelBranch.ts): its budget is settled
    // once the heuristic is done, as below.
    const job = shares ? startBranchJob(c.network, opts.parallel, shares.lam, startIn, deadline) : null
    const h =
      msLeft(deadline) > 0
        ? heuristicAttack(c.network, {
            budgetMs: Math.min(
              (isLarge(c.network) ? 1 - LEAF_POLISH_PART : 1) * budget * weight,
              msLeft(deadline),
            ),
          })
        : null
    let start = pickStart(c.network, h, startIn)
    if (start && isLarge(c.network) && msLeft(deadline) > 0) {
      // the exact cheapest coalition for the start's services, briefly (leafPolish.ts)
      const highs = await loadHighs()
      const polishMs = Math.min(LEAF_POLISH_PART * budget * weight, msLeft(deadline))
      start = pickStart(c.network, polishByLeaf(c.network, start, highs, polishMs), start)
    }
    let branchBound = Number.POSITIVE_INFINITY
    if (runner && !pays) opts.parallel?.warmMip?.()
    if (shares) {
      // Where the shares alone fall short, branch on the services (serviceBranch.ts); its proof is exact, and what
      // it finds starts the solver otherwise. With no attack known it is the only hope of a proof at the edge of
      // security (the solver's bound hardly moves there), so it takes 90% of this component's part of the time
      // left (hard 1,000 × 100 seed 1 needs about 8 CPU-seconds of it; the solver's bound after the rest stays far
      // above the branching's); with one, the verdict is settled and the solver, which also branches on operators, is the better
      // prover of optimality on small networks (hard 200 × 50 seed 3 needs 5–8 s of it; with 20% here it ended at
      // 9.4 s at load 9), so 10% there: enough to prove small networks and to lower the bound the solver's gap is
      // measured against. On large ones the solver's bound hardly moves from its LP: 90% (branchPartWithAttack).
      // loaded before the time left is read (once per process): fully fixed nodes are solved exactly with it
      // (leafCover.ts) instead of ending the branching
      const highs = await loadHighs()
      const left = branchTimeLeft(deadline)
      const budgetMs = left * part * (start ? branchPartWithAttack(c.network) : 0.9)
      if (job && start) job.offer(start)
      job?.setDeadline(performance.now() + budgetMs)
      // Below its setup cost the branching cannot prove anything and would only overrun the deadline (the
      // threads' search, already past its setup, just gets the same budget).
      const b = job
        ? await job.result()
        : budgetMs >= branchSetupMs(c.network)
          ? serviceBranch(c.network, { incumbent: start ?? null, budgetMs, rootShares: shares.lam, highs })
          : { proven: false, value: 0n, attack: null, bound: Number.POSITIVE_INFINITY }
      if (b.proven) {
        bound += Number(b.value)
        if (b.attack) found.push(liftAttack(c, b.attack))
        continue
      }
      start = pickStart(c.network, b.attack, start)
      branchBound = b.bound
    }
    const capping = shares ?? cap
    // both caps are exact; the coupled one is rounded up to whole units (every attack nets a whole number of them),
    // then to the float at or above (past 2^53 Number() rounds to nearest, which may be below)
    const sharesBound = Math.min(
      capping ? toNumber(capping.bound) : Number.POSITIVE_INFINITY,
      coupled ? floatAtLeast((coupled.num + coupled.den - 1n) / coupled.den) : Number.POSITIVE_INFINITY,
    )
    // The shares' bound is exact (costShare.ts), and every attack nets a whole number of units: where the bound is
    // below one unit more than the best attack known nets, that attack is the optimum, proven exactly, and the
    // solver is not needed (a bound below 1 with none known: secure). The shares are rounded down to a fine grid,
    // so their bound sits a hair above a tight optimum (40.0000000036 for 40): comparing with net + 1 catches it.
    const startNet = start ? attackProfit(c.network, start) - attackCost(c.network, start) : 0n
    if (capping && cmp(capping.bound, rat(startNet + 1n)) < 0) {
      coupledMore?.stop()
      bound += Number(startNet)
      if (start) found.push(liftAttack(c, start))
      continue
    }
    // at least its least part (leastPartMs); nothing is kept back for the components after it: their least parts
    // added up (250 ms each) would leave a large first component beside 40 small ones 250 ms of 10 s
    const ownDeadline = partDeadline(deadline, part, leastPartMs(c.network))
    if (flipsHere && start) {
      // The solver would spend the time on a root LP it does not finish (flipsInstead): no bound and no attack from
      // it. The exact-cover flips (leafFlip.ts) get the time instead, on this thread at full priority; the bound is
      // the caps' (exact), and an attack is reported unproven unless it meets them.
      const highs = await loadHighs()
      const flipped = flipByLeaf(c.network, start, highs, Math.max(0, msLeft(ownDeadline) - FLIPS_END_MS))
      const best = pickStart(c.network, flipped, start) ?? start
      const bestNet = attackProfit(c.network, best) - attackCost(c.network, best)
      // the continued search's multipliers, checked exactly (valid for any multipliers: floats only weaken it)
      const more = coupledMore && coupledRun ? coupledMore.take() : null
      if (more && coupledRun) {
        const b = coupledCapExact(c.network, toMultipliers(c.network, more, coupledRun.unit))
        if (coupled === null || cmp(b, coupled) < 0) coupled = b
      }
      const capNow = coupled
        ? floatAtLeast((coupled.num + coupled.den - 1n) / coupled.den)
        : Number.POSITIVE_INFINITY
      if (capping && cmp(capping.bound, rat(bestNet + 1n)) < 0) bound += Number(bestNet)
      else {
        proven = false
        exact = false
        bound += Math.max(0, Number(bestNet), Math.min(sharesBound, capNow, branchBound))
      }
      found.push(liftAttack(c, best))
      continue
    }
    // (no attack to flip from: the solver gets its thread back)
    coupledMore?.stop()
    const limit = mipLimitSeconds(c.network, ownDeadline)
    if (limit === null) {
      // Too little time left for the solver to return anything: the answer is the best attack found, unproven,
      // with the shares' and the branching's bounds (or none).
      proven = false
      exact = false
      const net = start ? Number(attackProfit(c.network, start) - attackCost(c.network, start)) : 0
      bound += Math.max(0, net, Math.min(sharesBound, branchBound))
      if (start) found.push(liftAttack(c, start))
      continue
    }
    // On a large component the solver's time is mostly its root LP, which sets the bound; meanwhile a thread
    // flips services of the best attack, each new set covered exactly (leafFlip.ts), for the same time.
    const flip =
      start && flips?.flip && limit !== undefined
        ? flips.flip(c.network, start, performance.now() + limit * 1000)
        : null
    // (a solver that fails answers nothing: the start, the flips' attack and the caps stand, not proven unless the
    // shares meet them — the question was aborted, all it had in hand lost)
    const out = await searchOrNothing(c.network, 'profit', {
      timeLimitSeconds: limit,
      start: start ? { attack: start } : undefined,
      runner,
      deadline: ownDeadline,
    })
    // a proven optimum needs no better start; otherwise the thread's attack joins the candidates (checked exactly)
    if (out.proven) flip?.stop()
    const flipped = flip && !out.proven ? await flip.result() : null
    // Within those tolerances the solver may end on less than its start, even on no attack at all (a profit of a
    // few units beside stakes of 1e9 is below them): the start is verified exactly, so it is never dropped, and
    // the bound never falls below what is reported.
    const best = pickStart(c.network, pickStart(c.network, out.attack, flipped), start)
    const bestNet = best ? attackProfit(c.network, best) - attackCost(c.network, best) : 0n
    const net = Number(bestNet)
    if (capping && cmp(capping.bound, rat(bestNet + 1n)) < 0) {
      // the solver's attack meets the shares' exact bound: proven exactly, whatever the solver says of it
      bound += net
    } else {
      // the solver's "optimal" holds within its float tolerances only, and without it nothing is proven
      proven &&= out.proven
      exact = false
      bound += Math.max(0, net, Math.min(out.bound, sharesBound, branchBound))
    }
    if (best) found.push(liftAttack(c, best))
  }
  const union: Attack = {
    services: found.flatMap((a) => a.services).sort((a, b) => a - b),
    operators: found.flatMap((a) => a.operators).sort((a, b) => a - b),
  }
  exact &&= proven
  if (found.length === 0) return { answer: { attack: null, proven, exact, bound }, attack: null }
  // Independent parts add up; re-checked exactly all the same.
  if (!isValidAttack(n, union))
    throw new SuretyError('the union of the components’ attacks is not a valid attack')
  return { answer: { attack: describeAttack(n, union), proven, exact, bound }, attack: union }
}

/**
 * The branch and bound on threads, started before the heuristic when `parallel` is given and the component is
 * large enough; its deadline until the heuristic is done is the most it could get (90% of the time left).
 */
function startBranchJob(
  n: Network,
  parallel: ParallelBranch | undefined,
  rootShares: Float64Array,
  incumbent: Attack | undefined,
  deadline: number | undefined,
): BranchJob | null {
  const left = branchTimeLeft(deadline)
  if (!parallel?.worthIt(n, 0.9 * left) || 0.9 * left < branchSetupMs(n)) return null
  return parallel.start(n, { rootShares, incumbent, deadline: performance.now() + 0.9 * left })
}

/**
 * The branching's part of the time once an attack is known: 10% below 2,500 operator–service pairs, where the
 * solver proves optimality (hard 200 × 50, about 1,250 pairs); 90% from there on, as when no attack is known: there
 * the solver's bound stays near its LP's (hard 1,000 × 100 seed 3, about 5,000 pairs, at 10 s: 4,800 tokens,
 * against 3,700–4,000 from the branching's open nodes). Hard seed 3's gap at 10 s on two threads with 10, 50, 70,
 * 90% here, before the root's rounded attack (serviceBranch.ts; load 5–6): 1,713, 876, 935, 869 tokens, the
 * solver's heuristics then still raising the incumbent in the other half (3,087 against 2,847); with it, the
 * incumbent no longer needs the solver (3,129–3,200 either way): 50% 764, 787 and in the bench 525–591; 70% 629;
 * 90% 629, 570 and in the bench 503 (load 3–6).
 */
const branchPartWithAttack = (n: Network): number => (isLarge(n) ? 0.9 : 0.1)

/**
 * The scaled search (largestBound.ts) on a thread ends this long before the largest attack's deadline, and its
 * report is waited for SCALED_GRACE_MS past that, so that it is in when the growth ends (GROW_EARLY_MS before the
 * deadline). With parallelBranch's default grace of 100 ms, a thread busy in a node on a machine with three busy
 * threads (the solver's, the growth, the scaled search) on two cores missed it in 2 of 5 runs on hard 1,000 × 100
 * seed 3 (its bound lost: 32,654 tokens against 32,320–32,341; the bench's gap 2,050 against 1,640), where the old
 * grace of 1 s never did. Here the thread has 700 ms (its stop, BRANCH_EARLY_MS, and this grace) to report, and the
 * question still ends on time.
 */
const SCALED_EARLY_MS = 600
const SCALED_GRACE_MS = 450

/** The branch and bound's time without a time limit (the solver then runs unlimited after it). */
const DEFAULT_BRANCH_MS = 10_000
/** The time the branch and bound may share out: what is left of the limit, or DEFAULT_BRANCH_MS without one. */
const branchTimeLeft = (deadline: number | undefined) =>
  deadline === undefined ? DEFAULT_BRANCH_MS : msLeft(deadline)

/** The part of a whole-network attack inside one component, in the component's indices. */
function restrictAttack(a: Attack, services: number[], operators: number[]): Attack | undefined {
  const sIdx = new Map(services.map((s, i) => [s, i]))
  const vIdx = new Map(operators.map((v, i) => [v, i]))
  const local = {
    services: a.services.flatMap((s) => (sIdx.has(s) ? [sIdx.get(s) as number] : [])),
    operators: a.operators.flatMap((v) => (vIdx.has(v) ? [vIdx.get(v) as number] : [])),
  }
  return local.services.length > 0 ? local : undefined
}

/** The better (exactly) of two candidate starts, among those that are valid attacks. */
function pickStart(
  n: Network,
  a: Attack | null | undefined,
  b: Attack | null | undefined,
): Attack | undefined {
  const net = (x: Attack) => attackProfit(n, x) - attackCost(n, x)
  const ok = [a, b].filter((x): x is Attack => !!x && isValidAttack(n, x))
  return ok.sort((x, y) => (net(y) > net(x) ? 1 : net(y) < net(x) ? -1 : 0))[0]
}

/** max π(A) − cost(B) over valid attacks; null means the network is secure. */
export async function mostProfitableAttack(n: Network, opts: SolveOptions = {}): Promise<AttackAnswer> {
  return (await solveMostProfitable(n, opts)).answer
}

/**
 * The valid attack with the largest cost(B): the most stake one profitable attack can burn. A network certified
 * secure by γ ≥ 0 has none; otherwise the search starts from `start` (the most profitable attack, when known).
 */
export async function largestAttack(n: Network, opts: SolveOptions = {}): Promise<AttackAnswer> {
  const deadline = deadlineOf(opts.timeLimitSeconds)
  if (secureBySlack(n)) return { attack: null, proven: true, exact: true, bound: 0 }
  if (opts.provenSecure) return { attack: null, proven: true, exact: opts.provenExact === true, bound: 0 }
  const runner = opts.mipRunner ?? solverRunner(n, opts.parallel, deadline)
  if (runner) opts.parallel?.warmMip?.()
  // Grow the given attack into a larger one (largestHeuristic.ts); keep whichever burns more, exactly.
  const grown =
    opts.start &&
    msLeft(deadline) > 0 &&
    largestAttackStart(n, opts.start, {
      budgetMs: Math.min(heuristicBudgetMs(opts.timeLimitSeconds), msLeft(deadline)),
    })
  const start = [grown, opts.start]
    .filter((a): a is Attack => !!a && isValidAttack(n, a))
    .sort((a, b) => (attackCost(n, b) > attackCost(n, a) ? 1 : -1))[0]
  // Too little time left for the solver: the start (a verified attack) unproven, with no bound.
  const limit = mipLimitSeconds(n, deadline)
  if (limit === null)
    return {
      attack: start ? describeAttack(n, start) : null,
      proven: false,
      exact: false,
      bound: Number.POSITIVE_INFINITY,
    }
  // On large networks the verdict's branching over services, on the network with its stakes scaled down, bounds
  // the largest attack too (largestBound.ts): on one worker thread beside the solver and the growth, for the
  // question's time (or here first, for `scaledPart` of it, when asked).
  const knownAttacks = [opts.start, start].filter((a): a is Attack => !!a)
  const scaledPart = opts.scaledPart ?? 0
  const scaled =
    (opts.parallel && isLarge(n) && opts.scaledSearch !== false) || scaledPart > 0
      ? startScaledSearch(n, knownAttacks, {
          ...(scaledPart > 0 ? {} : { parallel: opts.parallel }),
          deadlineMs:
            deadline === undefined ? performance.now() + DEFAULT_BRANCH_MS : deadline - SCALED_EARLY_MS,
          graceMs: SCALED_GRACE_MS,
          syncMs: scaledPart * (limit === undefined ? DEFAULT_BRANCH_MS : limit * 1000),
          highs: await loadHighs(),
        })
      : null
  // On large networks the solver keeps a part of the time back for growing its best attack (growByLeaf) when it
  // has not proved it: its proofs there come early or not at all (typical 1,000 × 100: 0.1–4 s), its incumbent is
  // what falls short (hard seed 3: 30,597 tokens after 10 s where A ∪ {s62} burns 31,352).
  const grow = opts.growPart ?? (isLarge(n) ? GROW_PART : 0)
  // (what the scaled search left, when it ran here)
  const solverLimit = scaledPart > 0 ? mipLimitSeconds(n, deadline) : limit
  if (solverLimit === null) {
    const sb = scaled ? await scaled.finish(true) : null
    // the scaled search's attack (valid on n, checked there) when it burns more than the start
    const found =
      sb?.attack && (!start || attackCost(n, sb.attack) > attackCost(n, start)) ? sb.attack : start
    const cost = found ? attackCost(n, found) : 0n
    const exact = sb?.exact !== undefined && sb.exact <= cost
    return {
      attack: found ? describeAttack(n, found) : null,
      proven: exact,
      exact,
      bound: exact
        ? Number(cost)
        : Math.max(sb?.bound ?? Number.POSITIVE_INFINITY, Number(cost) * (1 + 2 ** -48)),
    }
  }
  // (a solver that fails answers nothing: the start, the growth and the scaled search's bound stand, not proven
  // unless they meet)
  const first = await searchOrNothing(n, 'cost', {
    timeLimitSeconds: solverLimit === undefined ? undefined : solverLimit * (1 - grow),
    start: start ? { attack: start } : undefined,
    runner,
    deadline,
  })
  // The solver's "optimal" checked by a second solve (search.ts): at 1e-9 HiGHS proved "no attack" on networks
  // with one (riskd.review.test.ts). A proof the second solve does not confirm is not reported, so it gets all the
  // time left, as the cascade's does (capped at the first solve's time, it stopped unconfirmed on typical 1,000 × 100
  // with allocations, where the first proved in 3 s; see docs/risk.md for what the confirmation costs).
  const out = await secondOpinion(n, 'cost', first, { deadline, runner })
  // The start is an exact valid attack: the solver's answer never replaces it with less (HiGHS, started from it,
  // ended "optimal" on no attack at all), and where it burns more than the solver's "optimum" that proof is wrong.
  let best = out.attack ?? undefined
  let bestCost = out.value
  if (start && attackCost(n, start) > bestCost) {
    best = start
    bestCost = attackCost(n, start)
  }
  if (!out.proven && grow > 0 && best) {
    const highs = await loadHighs()
    // (a leaf's solve under way at its deadline ends after it: GROW_EARLY_MS)
    const until = deadline === undefined ? performance.now() + DEFAULT_GROW_MS : deadline - GROW_EARLY_MS
    // From the verdict's attack first (the most slack, π(A) − cost(B), to spend on more services): on hard
    // 1,000 × 100 seed 3, 5 s of growth from the verdict's 73 services reach 31,457 tokens, from the grown start's
    // 84–85 (services added in a random order, small ones spending the slack) 28,450–30,344 (load 6–7).
    // Growth first, from the verdict's attack (the most slack, π(A) − cost(B), to spend on more services), then
    // from the best found; on hard 1,000 × 100 seed 3, 5 s of growth from the verdict's 73 services reach 31,457
    // tokens, from the grown start's 84–85 (services added in a random order, small ones spending the slack)
    // 28,450–30,344 (load 6–7). Growth stops where no single service can join A; the exchanges (largestSwap.ts:
    // one service of A for one or two worth more, each screened by its cover's LP) then get the rest of the time
    // from the best found: from growth's 87 services (30,838 tokens) they reach 31,792–31,801 in 3.6–8 s at load
    // 11–19 (`npx tsx bench/largestLocal.ts --grown FILE`), past HiGHS's 31,693 after 20 minutes from the same
    // 10 s answer (`bench/hardTruth.ts --question cost`, load 10–22).
    const growUntil =
      opts.swaps === false ? until : performance.now() + (until - performance.now()) * GROW_SHARE
    const seeds = [opts.start, best].filter((a): a is Attack => !!a && isValidAttack(n, a))
    for (const seed of seeds) {
      if (performance.now() >= growUntil) break
      const grown = growByLeaf(n, seed, highs, growUntil)
      if (attackCost(n, grown) > bestCost) {
        best = grown
        bestCost = attackCost(n, grown)
      }
    }
    if (best && opts.swaps !== false && performance.now() < until) {
      const swapped = swapByLeaf(n, best, highs, until)
      if (attackCost(n, swapped) > bestCost) {
        best = swapped
        bestCost = attackCost(n, swapped)
      }
    }
  }
  // The scaled search's bound holds whatever the solver says (it is the branching's: exact when proven)
  const sb = scaled ? await scaled.finish(out.proven && bestCost <= out.value) : null
  // Its best attack is valid on n (checked there): a candidate like the others (the 2^70 + 1 of
  // riskk.review.test.ts, which the solver given no time missed, is the scaled network's best)
  if (sb?.attack && attackCost(n, sb.attack) > bestCost) {
    best = sb.attack
    bestCost = attackCost(n, sb.attack)
  }
  if (bestCost > out.value) {
    // proven exactly when the scaled search's exact bound meets the attack found
    if (sb?.exact !== undefined && sb.exact <= bestCost)
      return {
        attack: best ? describeAttack(n, best) : null,
        proven: true,
        exact: true,
        bound: Number(bestCost),
      }
    return {
      attack: best ? describeAttack(n, best) : null,
      proven: false,
      exact: false,
      // A solver that "proved" less than a verified attack proved nothing, its bound included (its margin can hide
      // every attack: riskg.review.test.ts): no bound from it then. Otherwise the solver's bound stands as before
      // (within its margin), and never below the attack found: Number() rounds to nearest (within 2^-53), so up by
      // 2^-48.
      bound: Math.max(
        Math.min(out.proven ? Number.POSITIVE_INFINITY : out.bound, sb?.bound ?? Number.POSITIVE_INFINITY),
        Number(bestCost) * (1 + 2 ** -48),
      ),
    }
  }
  if (!out.proven && sb) {
    if (sb.exact !== undefined && sb.exact <= out.value)
      return {
        attack: out.attack && describeAttack(n, out.attack),
        proven: true,
        exact: true,
        bound: Number(out.value),
      }
    return {
      attack: out.attack && describeAttack(n, out.attack),
      proven: false,
      exact: false,
      bound: Math.max(Math.min(out.bound, sb.bound), Number(out.value) * (1 + 2 ** -48)),
    }
  }
  return {
    attack: out.attack && describeAttack(n, out.attack),
    proven: out.proven,
    exact: false,
    bound: out.bound,
  }
}
