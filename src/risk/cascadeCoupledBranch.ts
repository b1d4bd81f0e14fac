/**
 * A best-first branching over services for the cascade R_ψ with the coupled Lagrangian (cascadeCoupled.ts) as each
 * node's bound (issue 14; run by cascade.ts's concurrent stages after the coupled stage, `cascadeCoupledBranch`). A node fixes some
 * services IN (in A) or OUT (not in A); its bound is coupledCascadeNodeExact at multipliers searched in floats with
 * the node's fixing (L-BFGS, coupledSearchSteps), warm-started from its parent's, and checked exactly in bigint (any
 * multipliers give a valid bound at any node, so the floats only decide how tight it is). A child's bound is also
 * capped by its parent's (its cascades are among the parent's). The bound returned is the largest over the open
 * nodes and the leaves, at least the incumbent: every cascade is in exactly one of them.
 *
 * The service branched on: the FREE one with a profit whose service term r_s = (1 + θ)π_s − μ_s need_s − Σ_v λ_vs
 * is nearest zero relative to π_s (the Lagrangian is at a kink there: the relaxation takes it in part). A bad pick
 * costs time, never soundness.
 */
import {
  buildCascadeCoupled,
  type CascadeCoupledCore,
  type CascadeCoupledSearch,
  coupledCascadeNodeExact,
  coupledSearchSteps,
  toCascadeMultipliers,
} from './cascadeCoupled.ts'
import { type Network, totalStake } from './network.ts'
import { FREE, IN, OUT } from './shareCore.ts'
import { runSlices, runSteps } from './steps.ts'

type Start = { lam: Float64Array; p: Float64Array; theta: number }
type Node = { fixed: Uint8Array; start: Start | undefined; bound: bigint; depth: number }

export type CoupledBranchOptions = {
  /** performance.now() ms: no node starts after it */
  deadline?: number
  maxNodes?: number
  /** L-BFGS steps at the root and at every other node */
  rootIterations?: number
  nodeIterations?: number
  /** the root's start (e.g. startFromShares, or a finished coupled search) */
  start?: Start
  /** an exact bound already known (amount units), capping the root */
  rootBound?: bigint
  /** pause (yield) after this long of steps (the chunked caller) */
  sliceMs?: number
  /** checked before every step: true ends the branching with the bound so far */
  stop?: () => boolean
  /** tests' mutant, passed to coupledCascadeNodeExact */
  wrong?: 'inEdgesOut'
  /** called after each node with the bound so far and the node just closed (benches) */
  onNode?: (nodes: number, bound: bigint, node: NodeInfo) => void
}

/** A closed node, for benches: its depth, fixing and own exact bound (null: no cascade in it), and whether it was a leaf */
export type NodeInfo = { depth: number; fixed: Uint8Array; bound: bigint | null; leaf: boolean; open: number }

export type CoupledBranchResult = {
  /** an exact bound on R_ψ σ(V), amount units, at least the incumbent */
  bound: bigint
  /** the root's exact bound */
  rootBound: bigint
  nodes: number
  /** nothing left open above the incumbent */
  proven: boolean
}

/**
 * The FREE service to branch on (−1: none with a profit), from the node's multipliers (floats): among those whose
 * service term is within `tol` of zero relative to π_s, the most profitable; else the one nearest zero.
 */
export function pickService(
  c: CascadeCoupledCore,
  r: CascadeCoupledSearch,
  fixed: Uint8Array,
  tol = 0.02,
): number {
  let best = -1
  let bestScore = Number.POSITIVE_INFINITY
  let big = -1
  for (let s = 0; s < c.S; s++) {
    if (fixed[s] !== FREE) continue
    const pi = c.pi[s] as number
    if (!(pi > 0)) continue
    let t = (1 + r.theta) * pi - (r.p[s] as number)
    for (let e = c.svcStart[s] as number; e < (c.svcStart[s + 1] as number); e++) t -= r.lam[e] as number
    const score = Math.abs(t) / pi
    if (score < bestScore) {
      bestScore = score
      best = s
    }
    if (score <= tol && (big < 0 || pi > (c.pi[big] as number))) big = s
  }
  return big >= 0 ? big : best
}

/** The branching's work, pausing every `sliceMs` (never when undefined). */
export function* coupledBranchSteps(
  n: Network,
  budget: bigint,
  incumbent: bigint,
  opts: CoupledBranchOptions = {},
): Generator<void, CoupledBranchResult, void> {
  const total = totalStake(n)
  const core = buildCascadeCoupled(n, budget)
  const deadline = opts.deadline ?? Number.POSITIVE_INFINITY
  const maxNodes = opts.maxNodes ?? 100_000
  const cap = opts.rootBound !== undefined && opts.rootBound < total ? opts.rootBound : total
  const open: Node[] = [{ fixed: new Uint8Array(core.S).fill(FREE), start: opts.start, bound: cap, depth: 0 }]
  let leafMax = incumbent
  let nodes = 0
  let rootBound = cap
  const boundSoFar = () => {
    let b = leafMax
    for (const o of open) if (o.bound > b) b = o.bound
    return b
  }
  while (open.length > 0 && nodes < maxNodes && performance.now() < deadline && !opts.stop?.()) {
    let at = 0
    for (let i = 1; i < open.length; i++) if ((open[i] as Node).bound > (open[at] as Node).bound) at = i
    const node = open[at] as Node
    if (node.bound <= incumbent) break // best first: every open node is at or below the incumbent
    // (a search stopped early still gives valid multipliers: the node's bound is checked as ever)
    const search = yield* coupledSearchSteps(core, {
      start: node.start,
      fixed: node.fixed,
      maxIterations: nodes === 0 ? (opts.rootIterations ?? 600) : (opts.nodeIterations ?? 60),
      deadline,
      sliceMs: opts.sliceMs,
      stop: opts.stop,
    })
    open[at] = open[open.length - 1] as Node
    open.pop()
    nodes++
    const exact = coupledCascadeNodeExact(
      n,
      budget,
      toCascadeMultipliers(n, core, search),
      node.fixed,
      opts.wrong,
    )
    let leaf = false
    if (exact !== null) {
      const bound = exact.bound < node.bound ? exact.bound : node.bound
      if (nodes === 1) rootBound = bound
      if (bound > incumbent) {
        const s = pickService(core, search, node.fixed)
        if (s < 0) {
          leaf = true
          if (bound > leafMax) leafMax = bound
        } else {
          const start = { lam: search.lam, p: search.p, theta: search.theta }
          const fixIn = Uint8Array.from(node.fixed)
          fixIn[s] = IN
          const fixOut = Uint8Array.from(node.fixed)
          fixOut[s] = OUT
          open.push(
            { fixed: fixIn, start, bound, depth: node.depth + 1 },
            { fixed: fixOut, start, bound, depth: node.depth + 1 },
          )
        }
      }
    }
    opts.onNode?.(nodes, boundSoFar(), {
      depth: node.depth,
      fixed: node.fixed,
      bound: exact?.bound ?? null,
      leaf,
      open: open.length,
    })
  }
  const bound = boundSoFar()
  return { bound: bound < incumbent ? incumbent : bound, rootBound, nodes, proven: bound <= incumbent }
}

/** coupledBranchSteps run through (tests and benches). */
export function branchCascadeCoupled(
  n: Network,
  budget: bigint,
  incumbent: bigint,
  opts: CoupledBranchOptions = {},
): CoupledBranchResult {
  return runSteps(coupledBranchSteps(n, budget, incumbent, { ...opts, sliceMs: undefined }))
}

/**
 * coupledBranchSteps in slices of `sliceMs`, a macrotask awaited between them (setImmediate): run on the main thread
 * while the solver runs on its own (cascade.ts's concurrent stages).
 */
export async function branchCascadeCoupledChunked(
  n: Network,
  budget: bigint,
  incumbent: bigint,
  opts: CoupledBranchOptions & { sliceMs: number },
): Promise<CoupledBranchResult> {
  return runSlices(coupledBranchSteps(n, budget, incumbent, opts))
}
