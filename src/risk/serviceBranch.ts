/**
 * Branch and bound over the attacked services (y_s), bounded at each node by cost shares (shareCore.ts).
 *
 * Why: the cost-share bound is the LP relaxation with each threshold convexified on its own; on networks at the
 * edge of security it stays positive because it attacks services in part (docs/risk.md, "What stays hard"), while
 * for any fixed set of services the LP cover is within a few percent of the integer one. Fixing services in or
 * out removes that looseness where it matters: a forced service's cover is charged even when it costs more than
 * it pays, and a service left out pays nothing and releases its members' shares for the others.
 *
 * Best first, each child warm-started from its parent's prices and flow: the shares are searched over one price per
 * service, the best shares for given prices being a maximum flow (shareFlow.ts) — a child's bound then approaches
 * its LP value in a few steps, where steps on the shares themselves take thousands. A node is pruned only when its
 * bound, recomputed exactly from the shares rounded down (shareNodeBound.ts), is at most the incumbent's exact net
 * profit (0 with no attack: a valid attack must net more than 0). Float errors can only keep a node open. When every node is
 * pruned, no attack nets more than the incumbent: the network is secure (no incumbent) or the incumbent is a most
 * profitable attack — an exact proof.
 */
import type { Highs } from 'highs'
import { type CostShares, toShares } from './costShare.ts'
import { deadlineNow, type LiveDeadline } from './deadline.ts'
import { flatLeaf } from './flatLeaf.ts'
import { coalitionFor, prepare } from './heuristic.ts'
import { solveLeaf } from './leafCover.ts'
import { polishByLeaf } from './leafPolish.ts'
import { MaxHeap } from './maxHeap.ts'
import type { Network } from './network.ts'
import { polishCoalition } from './polish.ts'
import { toNumber } from './rational.ts'
import { repairThresholds } from './repair.ts'
import {
  buildShareCore,
  clearOut,
  evaluate,
  FREE,
  IN,
  initialShares,
  OUT,
  type ShareCore,
  step,
  type Workspace,
  workspace,
} from './shareCore.ts'
import { buildFlowGraph, type FlowGraph, priceBound, pricesFromShares } from './shareFlow.ts'
import { shareTerms } from './shareNodeBound.ts'
import { type Attack, attackCost, attackProfit, isValidAttack, normalizeAttack } from './verify.ts'

export type BranchOptions = {
  /** The best known valid attack (checked exactly here); the search prunes against its net profit. */
  incumbent?: Attack | null
  budgetMs?: number
  /** Subgradient steps on the shares at the root and at every other node. */
  rootSteps?: number
  nodeSteps?: number
  /** Subgradient steps on the prices per service (shareFlow.ts) at the root and at every other node. */
  rootPriceSteps?: number
  nodePriceSteps?: number
  /** Float shares to start the root from (e.g. the best of findCostShares), parallel to the service-ordered edges. */
  rootShares?: Float64Array
  /** The root's rounded attack (roundedAttack) from this many operator–service pairs on (tests: 0). */
  roundedMinEdges?: number
  /** Stop after this many nodes (measurements that must not depend on the machine's load). */
  maxNodes?: number
  /** Called at every node (for measurements). */
  trace?: (depth: number, bound: number, pruned: boolean) => void
  /**
   * A loaded HiGHS module (mip.ts loadHighs): a node with every service fixed is then solved exactly by branching
   * on its operators (leafCover.ts) instead of ending the search. Without it such a node, when its bound stays
   * above the incumbent, leaves the search unproven.
   */
  highs?: Highs
  /** Called with each fully fixed node's exact solve (for measurements). */
  leafTrace?: (attacked: number[], nodes: number, complete: boolean, ms: number) => void
  /**
   * Once an attack is known, the A of a flat node (its prices attack every free service whole or not at all) is
   * covered exactly for this long (flatLeaf.ts), once per A; 0 turns it off. Needs `highs`.
   */
  flatLeafMs?: number
  /** … from this many operator–service pairs on (tests: 0). */
  flatMinEdges?: number
  /** Called with each flat node's exact cover: the incumbent's net before, what the cover found (for measurements). */
  flatTrace?: (attacked: number[], before: bigint, found: bigint, complete: boolean, ms: number) => void
}

export type BranchOutcome = {
  /** Every node was pruned by an exact bound: `attack` is a most profitable attack, or none exists. */
  proven: boolean
  /** The best valid attack known (the incumbent or one found at a node), or null. */
  attack: Attack | null
  /** Its exact net profit (0 without one). */
  value: bigint
  /**
   * Upper bound on the best net profit, amount units: `value` when proven, else the largest float bound of the
   * nodes left open (not exact: a lead, like the solver's bound).
   */
  bound: number
  nodes: number
  /** On threads (parallelBranch.ts): the nodes each bounded. */
  nodesPerThread?: number[]
}

/**
 * An open node: its fixings, its parent's shares (a warm start), its parent's bound (a bound on it too), and the
 * service its last fixing forced in or left out. Plain typed arrays and numbers, so a node can be handed to
 * another thread (parallelBranch.ts) as it is.
 */
export type BranchNode = {
  fixed: Uint8Array
  lam: Float64Array
  parentBound: number
  forced?: number
  dropped?: number
  /** The parent's best prices per service (shareFlow.ts), when the node bounds are searched over prices. */
  mu?: Float64Array
}
type Node = BranchNode

/** What a search over one network builds once: the float core, its workspace, the flow graph, the heuristic's tables. */
export type BranchContext = {
  n: Network
  core: ShareCore
  ws: Workspace
  graph: FlowGraph
  unitF: number
  p: ReturnType<typeof prepare>
}

export function branchContext(n: Network): BranchContext {
  const core = buildShareCore(n)
  return {
    n,
    core,
    ws: workspace(core),
    graph: buildFlowGraph(core),
    unitF: Number(core.unit),
    p: prepare(n),
  }
}

/**
 * A search in progress: the incumbent (exact), the open nodes (best first: the open node with the largest bound
 * next, so the largest open bound — the search's bound on the best attack — falls as fast as it can; with the
 * incumbent fixed, the nodes a proof must visit are the same in any order), the nodes visited, and the largest
 * bound of a node that could be neither pruned nor branched (which ends the search unproven).
 */
export type BranchState = {
  attack: Attack | null
  value: bigint
  open: MaxHeap<BranchNode>
  nodes: number
  openBound: number
  /**
   * The flat nodes' sets A covered exactly (flatLeaf.ts), by their services joined with commas; true when that
   * cover was settled (no coalition for A nets more than the incumbent then had: the fully fixed node of that A
   * needs no solve of its own).
   */
  flatTried: Map<string, boolean>
  /**
   * Milliseconds spent on them, and when the first flat node was met (performance.now(); NaN before: read there,
   * not when the state is made, so that a search without flat nodes reads the clock as before).
   */
  flatMs: number
  flatSince: number
}

export function branchState(ctx: BranchContext, incumbent: Attack | null | undefined): BranchState {
  const n = ctx.n
  const attack = incumbent && isValidAttack(n, incumbent) ? normalizeAttack(n, incumbent) : null
  return {
    attack,
    value: attack ? attackProfit(n, attack) - attackCost(n, attack) : 0n,
    open: new MaxHeap<BranchNode>(),
    nodes: 0,
    openBound: Number.NEGATIVE_INFINITY,
    flatTried: new Map(),
    flatMs: 0,
    flatSince: Number.NaN,
  }
}

/** The root: nothing fixed, from the given shares (the cost shares' best) or the initial ones. */
export const rootNode = (ctx: BranchContext, rootShares?: Float64Array): BranchNode => ({
  fixed: new Uint8Array(ctx.core.S),
  lam: rootShares ?? initialShares(ctx.core),
  parentBound: Infinity,
})

/**
 * Takes an attack found elsewhere (another thread, the heuristic) as the incumbent when it is exactly valid and
 * nets more than the current one; true when it did.
 */
export function offerIncumbent(ctx: BranchContext, state: BranchState, a: Attack): boolean {
  if (!isValidAttack(ctx.n, a)) return false
  const attack = normalizeAttack(ctx.n, a)
  const value = attackProfit(ctx.n, attack) - attackCost(ctx.n, attack)
  if (value <= state.value) return false
  state.attack = attack
  state.value = value
  return true
}

/**
 * A float bound in share units as amount units. With amounts past a float (1e308 and more) the unit they are
 * counted in is Infinity and every float of the search NaN: NaN bounds nothing (it compares below everything),
 * so it is no bound at all.
 */
export function amountBound(unitsBound: number, unitF: number): number {
  const b = unitsBound * unitF
  return Number.isNaN(b) ? Number.POSITIVE_INFINITY : b
}

/** The search's answer from its state: proven when nothing is open and nothing was left unsettled. */
export function branchOutcome(ctx: BranchContext, state: BranchState): BranchOutcome {
  const openBound = Math.max(state.openBound, state.open.top)
  const proven = state.open.size === 0 && openBound === Number.NEGATIVE_INFINITY
  return {
    proven,
    attack: state.attack,
    value: state.value,
    bound: proven ? Number(state.value) : Math.max(Number(state.value), amountBound(openBound, ctx.unitF)),
    nodes: state.nodes,
  }
}

export function serviceBranch(n: Network, opts: BranchOptions = {}): BranchOutcome {
  const deadline = performance.now() + (opts.budgetMs ?? 5000)
  const ctx = branchContext(n)
  const state = branchState(ctx, opts.incumbent)
  state.open.push(Infinity, rootNode(ctx, opts.rootShares))
  while (state.open.size > 0) {
    if (performance.now() > deadline || state.nodes >= (opts.maxNodes ?? Number.POSITIVE_INFINITY)) break
    if (branchNode(ctx, state, state.open.pop() as Node, opts, deadline) === 'stop') break
  }
  return branchOutcome(ctx, state)
}

/**
 * Bounds one node and prunes it, settles it (a fully fixed one) or pushes its two children onto `state.open`.
 * 'stop' when the node can be neither pruned nor branched (its bound is then in `state.openBound`): no proof can
 * come from this search any more.
 */
export function branchNode(
  ctx: BranchContext,
  state: BranchState,
  node: Node,
  opts: BranchOptions,
  deadline: LiveDeadline,
): 'done' | 'stop' {
  const { n, core, ws, graph, unitF, p } = ctx
  const target = () => toNumber({ num: state.value, den: core.unit })
  // Parent bounds are floats: one below the incumbent still needs the exact check, so nothing is dropped here.
  const nodes = ++state.nodes
  const depth = node.fixed.reduce((a, f) => a + (f === FREE ? 0 : 1), 0)
  const root = node.parentBound === Infinity
  const priceSteps = root ? (opts.rootPriceSteps ?? 300) : nodePriceSteps(opts, state.value)
  let r: Tightened
  if (priceSteps > 0 && (root || node.mu)) {
    // Over prices per service (shareFlow.ts), from the parent's prices and flow; the root first takes its share
    // steps from the cost shares' best, whose prices then start the search.
    clearOut(core, node.lam, node.fixed)
    let first: Tightened | undefined
    if (root) {
      first = tighten(core, node, ws, target(), opts.rootSteps ?? 500, 100, deadline)
      evaluate(core, first.lam, node.fixed, ws)
      node.mu = pricesFromShares(core, first.lam, ws.grad)
      node.lam = first.lam
    }
    r = tightenPrices(core, graph, node, ws, target(), priceSteps, deadline, aimFor(state.value))
    if (first && first.value < r.value) r = { ...first, mu: r.mu }
  } else {
    // Warm starts that know what the last fixing means (at 500 nodes on hard 1,000 × 100 seed 1 the largest open
    // bound is 994 tokens from the parent's shares as they are, 611 with the forced start, 578 with both).
    if (node.dropped !== undefined) redistribute(core, node.lam, node.fixed, node.dropped)
    clearOut(core, node.lam, node.fixed)
    if (node.forced !== undefined) node.lam = betterStart(core, node, ws, node.forced, target(), deadline)
    r = tighten(
      core,
      node,
      ws,
      target(),
      root ? (opts.rootSteps ?? 2000) : (opts.nodeSteps ?? 40),
      root ? 100 : 15,
      deadline,
    )
  }
  let pruned = false
  // Settle the node exactly, fixing what the shares already decide, then tighten again, a few rounds at most.
  for (let round = 0; !pruned && round < 5; round++) {
    const settled = settle(n, core, r, node.fixed, state.value)
    if (settled === 'pruned') pruned = true
    if (settled !== 'fixed') break
    node.lam = r.lam
    clearOut(core, node.lam, node.fixed)
    // the shares kept, under the new fixings: a few more steps (or the first from prices read off them, or none
    // past the deadline) may bound the node less tightly than they already do
    const kept: Tightened = {
      value: evaluate(core, node.lam, node.fixed, ws).value,
      lam: Float64Array.from(node.lam),
      term: Float64Array.from(ws.term),
      inCover: r.inCover,
      ...(r.mu ? { mu: r.mu } : {}),
    }
    const next = r.mu
      ? tightenPrices(
          core,
          graph,
          { ...node, mu: r.mu },
          ws,
          target(),
          opts.nodePriceSteps ?? 14,
          deadline,
          aimFor(state.value),
        )
      : tighten(core, node, ws, target(), opts.nodeSteps ?? 40, 15, deadline)
    r = next.value <= kept.value ? next : kept
  }
  opts.trace?.(depth, r.value * unitF, pruned)
  if (pruned) return 'done'
  // An attack from the node's shares: the forced services and the free ones still paying for their cover. Not at
  // every node: on a secure network it never finds one, and it costs a fifth of a node.
  const found = nodes % 8 === 1 ? nodeAttack(n, p, r.term, node.fixed) : null
  // At the root, also the services the prices attack in at least half of their evaluations, covered exactly for a
  // moment (leafPolish.ts): the start the pruning needs most (see roundedAttack).
  const rounded =
    root && opts.highs && core.E >= (opts.roundedMinEdges ?? ROUNDED_MIN_EDGES)
      ? roundedAttack(n, p, r.inCover, node.fixed, opts.highs, deadline)
      : null
  if (rounded && rounded.value > state.value) {
    state.attack = rounded.attack
    state.value = rounded.value
  }
  if (found && found.value > state.value) {
    state.attack = found.attack
    state.value = found.value
    if (settle(n, core, r, node.fixed, state.value) === 'pruned') return 'done'
  }
  // A flat node's A covered exactly for a moment (flatLeaf.ts), once an attack is known: it may raise the incumbent.
  if (
    flatLeaf(ctx, state, node.fixed, r.inCover, opts, deadline) === 'better' &&
    settle(n, core, r, node.fixed, state.value) === 'pruned'
  )
    return 'done'
  const s = pickService(core, r, node.fixed)
  if (s < 0 && opts.highs) {
    // Every service fixed: what is left is the cheapest coalition for this A, a covering knapsack solved exactly
    // (leafCover.ts) — either the best coalition for A, netting more than the incumbent, or a proof that none
    // does. Either way the node is settled and the search goes on.
    const A = [...node.fixed.keys()].filter((x) => node.fixed[x] === IN)
    // settled already as a flat node's A (flatLeaf): no coalition for it nets more than the incumbent then, and
    // the incumbent never falls
    if (state.flatTried.get(A.join(',')) === true) return 'done'
    const t0 = performance.now()
    const out = solveLeaf(n, A, state.value, opts.highs, deadline)
    opts.leafTrace?.(A, out.nodes, out.complete, performance.now() - t0)
    // the leaf's rules are verify.ts's, so its coalition always passes; if one ever did not, its proof that
    // nothing better exists could not be trusted either, and the node stays open at its own bound
    const trusted = out.attack === null || isValidAttack(n, out.attack)
    if (!trusted) {
      state.openBound = Math.max(state.openBound, r.value)
      return 'stop'
    }
    if (out.attack && out.value > state.value) {
      state.attack = out.attack
      state.value = attackProfit(n, out.attack) - attackCost(n, out.attack)
    }
    if (out.complete) return 'done'
    // the deadline stopped it: the node's own bound holds too (the leaf's is infinite before its first LP)
    state.openBound = Math.max(state.openBound, Math.min(r.value, out.bound / unitF))
    return 'stop'
  }
  if (s < 0) {
    // Every service fixed: the bound is the LP of this A's cheapest coalition. Attack A itself first (the search
    // may stop here, and an A whose bound stays this high often pays: the solver may never find it — HiGHS
    // returned "optimal: no attack" over a net of a quarter of the largest amount). Then ten times the steps
    // before giving up on it; if it still stays above the incumbent, no proof can come from this search (the
    // solver, which also branches on operators, gets the time left).
    const leaf = found ? null : nodeAttack(n, p, r.term, node.fixed)
    if (leaf && leaf.value > state.value) {
      state.attack = leaf.attack
      state.value = leaf.value
    }
    r = r.mu
      ? tightenPrices(
          core,
          graph,
          { ...node, lam: r.lam, mu: r.mu },
          ws,
          target(),
          10 * (opts.nodePriceSteps ?? 14),
          deadline,
          aimFor(state.value),
        )
      : tighten(core, { ...node, lam: r.lam }, ws, target(), 10 * (opts.nodeSteps ?? 40), 150, deadline)
    if (settle(n, core, r, node.fixed, state.value) === 'pruned') return 'done'
    state.openBound = Math.max(state.openBound, r.value)
    return 'stop'
  }
  for (const fix of [OUT, IN]) {
    const fixed = Uint8Array.from(node.fixed)
    fixed[s] = fix
    state.open.push(r.value, {
      fixed,
      lam: Float64Array.from(r.lam),
      parentBound: r.value,
      forced: fix === IN ? s : undefined,
      dropped: fix === OUT ? s : undefined,
      mu: r.mu,
    })
  }
  return 'done'
}

type Tightened = {
  value: number
  lam: Float64Array
  term: Float64Array
  inCover: Float64Array
  /** The best prices, when searched over prices. */
  mu?: Float64Array
}

/**
 * Lowers the node's bound by projected subgradient steps on the prices per service (shareFlow.ts), with Polyak's
 * step as in `tighten`. Each evaluation is a maximum flow started from the last one's shares. Returns the best
 * prices' shares with their bound L (at most g: the greedy cover is the cheapest, the price's cover only a bound
 * on it); `inCover` is, per service, the fraction of evaluations whose minimum cut attacks it.
 */
/**
 * The prices' steps aim 70% of the way from the best bound down to the incumbent, and each direction keeps half of
 * the last (a deflected subgradient): on four children of hard 1,000 × 100 seed 1, 20 evaluations reach 659–978
 * tokens this way against 715–1,064 without the deflection; aiming 85% or 95% of the way helps the children that
 * leave a service out but costs those that force one in more.
 */
const PRICE_AIM = { level: 0.7, deflect: 0.5 }
/**
 * While no attack is known (the incumbent nets 0: the search is proving a network secure), the steps aim a full
 * gap below the incumbent and keep less of the last direction. Only the bound matters then, and every child
 * starts near its parent's: hard 1,000 × 100 seed 2 run to the end took 14.5k max flows instead of 32.7k (12.7
 * CPU-seconds instead of 30.6), and it is proven inside 10 s on two threads (7.0–7.3 s), where the 70% aim left it
 * unproven. Once an attack is known the 70% aim stays: the lower one widened the insecure seeds' optimality gaps
 * (seed 3: 1,190 → 2,110 tokens). Any prices give a valid bound (shareNodeBound.ts re-checks exactly), so the aim
 * changes how fast a node is pruned, never whether the pruning is right.
 */
const PROVING_AIM = { level: -1, deflect: 0.3 }
/**
 * Price evaluations for a node's first bound (the root's are rootPriceSteps; a node re-bounded after reduced-cost
 * fixing takes 14): 14 once an attack is known (hard 1,000 × 100 seed 1 with 10, 12, 14, 20, 26: see docs/risk.md),
 * 8 while the search is proving a network secure — more nodes, fewer flows: hard 1,000 × 100 seeds 2 and 1 run to
 * the end (bench/branchProbe.ts) take 1,161 and 123 nodes instead of 1,067 and 109, and 7.3–9.4 and 1.6–1.7
 * CPU-seconds instead of 8.2–9.7 and 1.8–2.1 (three runs each, alternated, load 5–7). Any number of evaluations gives
 * a valid bound (the exact check decides), so this changes how many nodes a proof takes, never whether it is right.
 */
const PROVING_STEPS = 8
const nodePriceSteps = (opts: BranchOptions, incumbent: bigint) =>
  opts.nodePriceSteps ?? (incumbent === 0n ? PROVING_STEPS : 14)
const aimFor = (incumbent: bigint) => (incumbent === 0n ? PROVING_AIM : PRICE_AIM)
function tightenPrices(
  core: ShareCore,
  graph: FlowGraph,
  node: Node,
  ws: Workspace,
  target: number,
  maxSteps: number,
  deadline: LiveDeadline,
  aim: { level: number; deflect: number } = PRICE_AIM,
): Tightened {
  const mu = Float64Array.from(node.mu as Float64Array)
  let overshoot = 0
  for (let s = 0; s < core.S; s++) overshoot += core.profit[s] as number
  overshoot *= 1e-4
  const inCover = new Float64Array(core.S)
  let warm: Float64Array | null = node.lam
  let best = { value: Number.POSITIVE_INFINITY, mu: Float64Array.from(mu), lam: node.lam }
  const dir = new Float64Array(core.S)
  let steps = 0
  for (; steps < maxSteps; steps++) {
    // the time limit holds inside a node (as in tighten): any prices give a valid bound, so stopping early only
    // loosens it
    if (steps > 0 && performance.now() > deadlineNow(deadline)) break
    const ev = priceBound(core, graph, mu, node.fixed, warm)
    warm = ev.lam
    for (let s = 0; s < core.S; s++) inCover[s] = (inCover[s] as number) + (ev.attacked[s] as number)
    if (ev.value < best.value) best = { value: ev.value, mu: Float64Array.from(mu), lam: ev.lam }
    if (ev.value <= target) break
    let norm = 0
    for (let s = 0; s < core.S; s++) {
      dir[s] = (ev.grad[s] as number) + aim.deflect * (dir[s] as number)
      norm += (dir[s] as number) ** 2
    }
    if (norm === 0) break
    const level = target + aim.level * (best.value - target) - overshoot
    const size = (ev.value - level) / norm
    for (let s = 0; s < core.S; s++)
      mu[s] = Math.min(1, Math.max(0, (mu[s] as number) - size * (dir[s] as number)))
  }
  const counted = Math.max(1, Math.min(steps + 1, maxSteps))
  for (let s = 0; s < core.S; s++) inCover[s] = (inCover[s] as number) / counted
  const { value } = evaluate(core, best.lam, node.fixed, ws)
  return { value, lam: best.lam, term: Float64Array.from(ws.term), inCover, mu: best.mu }
}

/**
 * Lowers the node's bound by projected subgradient steps with Polyak's step towards the incumbent. Stops when the
 * bound reaches the incumbent, after `maxSteps`, or when over the last 15 steps it fell by less than a tenth of
 * what separates it from the incumbent. `inCover` is, per free service, the share of the steps in which it paid
 * for its cover — an estimate of how far the LP attacks it.
 */
function tighten(
  core: ShareCore,
  node: Node,
  ws: Workspace,
  target: number,
  maxSteps: number,
  patience: number,
  deadline: LiveDeadline,
): Tightened {
  const lam = node.lam
  let overshoot = 0
  for (let s = 0; s < core.S; s++) overshoot += core.profit[s] as number
  overshoot *= 1e-4
  const inCover = new Float64Array(core.S)
  let best: Tightened = { value: Number.POSITIVE_INFINITY, lam, term: new Float64Array(core.S), inCover }
  const history: number[] = []
  let steps = 0
  for (; steps < maxSteps; steps++) {
    // The time limit holds inside a node too: the root's 2,000 steps take seconds on large networks (6 s against
    // a 0.2 s budget at 3,000 × 300). Every shares give a valid bound, so stopping early only loosens it.
    if (steps > 0 && performance.now() > deadlineNow(deadline)) break
    const { value, norm } = evaluate(core, lam, node.fixed, ws)
    for (let s = 0; s < core.S; s++)
      if (node.fixed[s] === FREE && (ws.term[s] as number) > 0) inCover[s] = (inCover[s] as number) + 1
    if (value < best.value)
      best = { value, lam: Float64Array.from(lam), term: Float64Array.from(ws.term), inCover }
    history.push(best.value)
    if (value <= target || norm === 0) break
    const then = history[steps - patience]
    if (then !== undefined && then - best.value < (best.value - target) * (patience === 15 ? 0.1 : 0.01))
      break
    // Polyak's step towards a level 30% of the way from the best bound down to the incumbent (aiming at the
    // incumbent itself overshoots far while the bound is well above it), and a little below the incumbent near it:
    // a step aimed exactly at it only approaches it.
    const level = target + 0.7 * (best.value - target) - overshoot
    step(core, lam, node.fixed, ws, (value - level) / norm)
  }
  const counted = Math.max(1, steps + 1)
  for (let s = 0; s < core.S; s++) inCover[s] = (inCover[s] as number) / counted
  return best
}

/**
 * The node's bound recomputed exactly from its shares rounded down: 'pruned' when it is at most the incumbent.
 * Otherwise reduced-cost fixing, with the same exact terms: forcing a free service in changes the bound by
 * min(0, term) and leaving it out by −max(0, term), so when one of those children's bound is already at most the
 * incumbent, the service is fixed the other way (in `fixed`, in place) — 'fixed'. Each such fix removes a subtree
 * bounded on the node itself, so several can be made at once. Skipped (no bigint work) when the float terms
 * promise nothing.
 */
function settle(
  n: Network,
  core: ShareCore,
  r: Tightened,
  fixed: Uint8Array,
  value: bigint,
): 'pruned' | 'fixed' | 'open' {
  // Net profits are whole amount units, so a bound below value + 1 already rules out anything better than the
  // incumbent: that unit absorbs the shares' rounding down, without which a node whose LP is tight at the
  // incumbent (every node holding an optimal attack) could never be pruned. The float bound carries the profits'
  // inflation (shareCore.ts) on top, so the filter allows for it too.
  const t = toNumber({ num: value + 1n, den: core.unit }) + inflation(core)
  let hopeful = r.value <= t
  for (let s = 0; s < core.S && !hopeful; s++) {
    if (fixed[s] !== FREE) continue
    const term = r.term[s] as number
    if (r.value + Math.min(0, term) <= t || r.value - Math.max(0, term) <= t) hopeful = true
  }
  if (!hopeful) return 'open'
  const shares: CostShares = toShares(n, r.lam, core.svcStart)
  const terms = shareTerms(n, shares, fixed)
  let sum = 0n
  terms.forEach((x, s) => {
    if (x !== null && (fixed[s] === IN || x > 0n)) sum += x
  })
  // bound (amount) = share units · unit / den < value + 1  ⇔  units · unit < (value + 1) · den: no attack under
  // it nets more than `value` (a whole number of units)
  const atMost = (units: bigint) => units * shares.unit < (value + 1n) * shares.den
  if (atMost(sum)) return 'pruned'
  let changed = false
  terms.forEach((x, s) => {
    if (x === null || fixed[s] !== FREE) return
    if (atMost(sum + (x < 0n ? x : 0n))) {
      fixed[s] = OUT
      changed = true
    } else if (atMost(sum - (x > 0n ? x : 0n))) {
      fixed[s] = IN
      changed = true
    }
  })
  return changed ? 'fixed' : 'open'
}

/**
 * How far the float bound may sit above the exact one from the profits' inflation alone (1e-7 of each profit plus
 * 1e-12, shareCore.ts), doubled for room: a float bound within it of the incumbent is worth the exact check.
 */
function inflation(core: ShareCore): number {
  let sum = 0
  for (let s = 0; s < core.S; s++) sum += core.profit[s] as number
  return 2e-7 * sum + 2e-12 * core.S
}

/**
 * The free service the bound is least sure about (paid for its cover in closest to half the steps); −1 only when
 * every service is fixed. Scores that are not numbers (amounts beyond a float) fall back to the first free service:
 * a node with a free service taken for a fully fixed one would be settled as if its free services were left out.
 */
function pickService(core: ShareCore, r: Tightened, fixed: Uint8Array): number {
  let best = fixed.indexOf(FREE)
  let score = Number.NEGATIVE_INFINITY
  for (let s = 0; s < core.S; s++) {
    if (fixed[s] !== FREE) continue
    const y = r.inCover[s] as number
    // weighted by profit: on hard 1,000 × 100 this beat y(1 − y)·need and |term|-based picks (bound after 10 s
    // 892 against 913–1,192 tokens); a tiny profit term breaks ties among services never or always attacked
    const sc = (0.5 - Math.abs(y - 0.5)) * (core.profit[s] as number) + 1e-9 * (core.profit[s] as number)
    if (sc > score) {
      score = sc
      best = s
    }
  }
  return best
}

/**
 * How long the root's rounded attack is covered exactly (leafCover.ts). On hard 1,000 × 100 seed 3 the services
 * the root's prices attack at least half of the time, covered by reverse deletion, net 2,121 tokens, and 3,266
 * after half a second of this (thresholds 0.35, 0.65 and 0.8: 2,848, 3,042, 2,144); the heuristic's attack with
 * the same polish nets 2,813–3,087, and without a better start than that the search met 3,384 only at its 732nd node,
 * a leaf.
 */
const ROUNDED_LEAF_MS = 500
/**
 * Only from 2,500 operator–service pairs (attack.ts's large components): below, the search gets a tenth of the
 * time once an attack is known (about a second at 200 × 50), and half of it would go here.
 */
const ROUNDED_MIN_EDGES = 2500

/**
 * The services the node's prices attack in at least half of their evaluations (`inCover`), with a coalition by
 * reverse deletion polished exactly for ROUNDED_LEAF_MS; null when that is not a valid attack — always on a
 * secure network, which then pays for one reverse deletion and nothing more.
 */
function roundedAttack(
  n: Network,
  p: ReturnType<typeof prepare>,
  inCover: Float64Array,
  fixed: Uint8Array,
  highs: Highs,
  deadline: LiveDeadline,
): { attack: Attack; value: bigint } | null {
  const found = nodeAttack(
    n,
    p,
    Float64Array.from(inCover, (y) => (y >= 0.5 ? 1 : -1)),
    fixed,
  )
  if (!found) return null
  const budget = Math.min(ROUNDED_LEAF_MS, deadlineNow(deadline) - performance.now())
  const attack = polishByLeaf(n, found.attack, highs, budget, deadline)
  return { attack, value: attackProfit(n, attack) - attackCost(n, attack) }
}

/** The forced services and the free ones whose cover still pays, attacked by a polished reverse-deletion coalition. */
function nodeAttack(
  n: Network,
  p: ReturnType<typeof prepare>,
  term: Float64Array,
  fixed: Uint8Array,
): { attack: Attack; value: bigint } | null {
  const inA = Uint8Array.from(fixed, (f, s) => (f === IN || (f === FREE && (term[s] as number) > 0) ? 1 : 0))
  if (!inA.includes(1)) return null
  const cover = coalitionFor(p, inA)
  if (!cover) return null
  const polished = polishCoalition(p, inA, cover.operators)
  // the float coalition may miss a threshold by members too small for a float to see: add them back, exactly
  const attack = repairThresholds(n, {
    services: [...inA.keys()].filter((s) => inA[s]),
    operators: polished.operators,
  })
  if (!isValidAttack(n, attack)) return null
  return { attack, value: attackProfit(n, attack) - attackCost(n, attack) }
}

/**
 * A service just forced in must be covered whole, and its cover's members then pay their whole stake for it: the
 * parent's shares, spread over their other services, take many steps to learn that. Start instead from the
 * parent's shares with the members of s's cheapest cover moved onto s entirely, when 20 steps from there beat 20
 * from the parent's.
 */
function betterStart(
  core: ShareCore,
  node: Node,
  ws: Workspace,
  s: number,
  target: number,
  deadline: LiveDeadline,
): Float64Array {
  const shifted = Float64Array.from(node.lam)
  evaluate(core, shifted, node.fixed, ws)
  for (let e = core.svcStart[s] as number; e < (core.svcStart[s + 1] as number); e++) {
    if ((ws.grad[e] as number) <= 0) continue
    const v = core.owner[e] as number
    for (let i = core.opStart[v] as number; i < (core.opStart[v + 1] as number); i++)
      shifted[core.opEdge[i] as number] = 0
    shifted[e] = Math.min(core.a[e] as number, core.sigma[v] as number)
  }
  const a = tighten(core, { ...node, lam: Float64Array.from(node.lam) }, ws, target, 20, 1000, deadline)
  const b = tighten(core, { ...node, lam: shifted }, ws, target, 20, 1000, deadline)
  return b.value < a.value ? b.lam : a.lam
}

/**
 * A service just left out frees its members' shares on it: each member spreads them over its services still in
 * play, in proportion to its shares there (capped by its stake on each), instead of losing them.
 */
function redistribute(core: ShareCore, lam: Float64Array, fixed: Uint8Array, s: number): void {
  for (let e = core.svcStart[s] as number; e < (core.svcStart[s + 1] as number); e++) {
    const freed = lam[e] as number
    lam[e] = 0
    if (freed <= 0) continue
    const v = core.owner[e] as number
    let total = 0
    for (let i = core.opStart[v] as number; i < (core.opStart[v + 1] as number); i++) {
      const f = core.opEdge[i] as number
      if (fixed[core.svcOf[f] as number] !== OUT) total += lam[f] as number
    }
    if (total <= 0) continue
    for (let i = core.opStart[v] as number; i < (core.opStart[v + 1] as number); i++) {
      const f = core.opEdge[i] as number
      if (fixed[core.svcOf[f] as number] === OUT) continue
      lam[f] = Math.min(core.a[f] as number, (lam[f] as number) * (1 + freed / total))
    }
  }
}
