/**
 * A local search over the attacked services A in which every neighbour is covered exactly: flip one service in or
 * out of the best attack known, and ask leafCover.ts for the cheapest coalition of the new A that nets more than
 * that attack. The heuristic (heuristic.ts) walks over A too, but charges each A a reverse-deletion coalition,
 * 1–2% dearer than A's cheapest one, so it stops where a flip only pays with a cheap cover: on typical
 * 1,000 × 100 with allocations seed 1 its A (89 services, 20,292–20,369 tokens once covered exactly) lacks two
 * services of the best attack HiGHS found in 15 minutes (91 services, 20,531).
 *
 * An exact cover takes 30–500 ms at that size, so the flips are screened first by their covers' LP relaxation
 * (one HiGHS model over every operator and service, the flipped service's row switched on or off and its members'
 * costs changed in place, re-solved warm: 10–20 ms a flip): `π(A') − LP(A')` is at least what any coalition for A'
 * nets, so a flip whose LP value does not beat the best attack cannot improve it, and the others are tried best LP
 * first. A float screen only orders and skips moves of a heuristic; what comes back is an attack checked exactly
 * (verify.ts), or the one given.
 */
import type { Highs } from 'highs'
import { deadlineNow, type LiveDeadline } from './deadline.ts'
import { solveLeaf } from './leafCover.ts'
import { type Network, operatorServices, serviceStake } from './network.ts'
import { rat, toNumber } from './rational.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from './verify.ts'

const net = (n: Network, a: Attack): bigint => attackProfit(n, a) - attackCost(n, a)

/** Per flip, at most this long for its exact cover (its first LP and cuts may overrun it a little). */
const FLIP_MS = 150
/** After an accepted flip, only this many of the last screen's best flips are screened again before trying. */
const RESCREEN = 20

/**
 * The covers' LP for every flip of A at once: one model, columns the operators (cost min(σ_v, a_v(A)), in [0, 1]),
 * rows the services' thresholds (on for s ∈ A), amounts divided by the largest.
 */
export function flipScreen(n: Network, highs: Highs) {
  const S = n.services.length
  const V = n.operators.length
  const byOp = operatorServices(n)
  let unit = 1n
  for (const o of n.operators) if (o.stake > unit) unit = o.stake
  for (const s of n.services) if (s.profit > unit) unit = s.profit
  const f = (x: bigint) => toNumber(rat(x, unit))
  const stake = n.operators.map((o) => f(o.stake))
  const profit = n.services.map((s) => f(s.profit))
  const need = n.services.map((s) => toNumber(s.threshold) * f(serviceStake(s)))
  const starts = [0]
  const indices: number[] = []
  const values: number[] = []
  n.services.forEach((s, si) => {
    s.members.forEach((v, k) => {
      indices.push(v)
      values.push(Math.min(f(s.memberStake[k] ?? 0n), need[si] ?? 0))
    })
    starts.push(indices.length)
  })
  const inA = new Uint8Array(S)
  const cost = (v: number) => {
    let on = 0
    for (const e of byOp[v] ?? []) if (inA[e.service]) on += f(e.stake)
    return Math.min(stake[v] ?? 0, on)
  }
  const model = highs.createModel()
  model.passModel({
    numCols: V,
    numRows: S,
    sense: highs.constants.objectiveSense.minimize,
    colCost: new Float64Array(V),
    colLower: new Float64Array(V),
    colUpper: new Float64Array(V).fill(1),
    rowLower: new Float64Array(S).fill(-highs.infinity),
    rowUpper: new Float64Array(S).fill(highs.infinity),
    matrix: { format: 'csr', numRows: S, numCols: V, starts, indices, values },
  })
  model.options.set({ output_flag: false, presolve: 'off' })
  const setRow = (s: number) =>
    model.changeRowsBounds(
      { kind: 'set', indices: [s] },
      [inA[s] ? (need[s] ?? 0) : -highs.infinity],
      [highs.infinity],
    )
  const setCosts = (vs: number[]) => {
    const sorted = [...new Set(vs)].sort((a, b) => a - b)
    if (sorted.length > 0) model.changeColsCost({ kind: 'set', indices: sorted }, sorted.map(cost))
  }
  /** π(A) − LP(A) for the current A (−∞ when the LP finds no cover). */
  const lpNet = (): number => {
    model.run()
    if (model.getModelStatus() !== highs.constants.modelStatus.optimal) return Number.NEGATIVE_INFINITY
    let p = 0
    for (let s = 0; s < S; s++) if (inA[s]) p += profit[s] ?? 0
    return p - model.getObjectiveValue()
  }
  /** The LP's net profit of the base with every service of `ss` (distinct) flipped at once; the base is restored. */
  const flippedAll = (ss: number[]): number => {
    const members = ss.flatMap((s) => n.services[s]?.members ?? [])
    const flip = () => {
      for (const s of ss) {
        inA[s] = inA[s] ? 0 : 1
        setRow(s)
      }
      setCosts(members)
    }
    flip()
    const out = lpNet()
    flip()
    return out
  }
  return {
    unit,
    /** Makes A the base the flips are taken from. */
    setBase(services: number[]) {
      inA.fill(0)
      for (const s of services) inA[s] = 1
      for (let s = 0; s < S; s++) setRow(s)
      setCosts([...Array(V).keys()])
    },
    /** The LP's net profit of the base with s flipped (amounts over `unit`); the base is restored. */
    flipped(s: number): number {
      return flippedAll([s])
    },
    /** The LP's net profit of the base with every service of `ss` flipped ([] gives the base's own). */
    flippedAll,
    /**
     * The base's LP net and, per service of the base, μ_s·need_s − π_s from its row dual μ_s: what dropping s
     * could add to the LP net at first order, an estimate without an LP per service (amounts over `unit`).
     */
    dropEstimates(): { base: number; drop: Map<number, number> } {
      const base = lpNet()
      const drop = new Map<number, number>()
      // no optimal LP, no duals to read: every drop estimated +∞ (tried on its own LP, as all are then)
      const dual =
        base > Number.NEGATIVE_INFINITY
          ? model.getSolution().rowDual
          : new Float64Array(S).fill(Number.POSITIVE_INFINITY)
      for (let s = 0; s < S; s++)
        if (inA[s]) drop.set(s, Math.abs(dual[s] ?? 0) * (need[s] ?? 0) - (profit[s] ?? 0))
      return { base, drop }
    },
    dispose: () => model.dispose(),
  }
}

/**
 * The best attack reached from `attack` by single flips of services, each new A covered exactly (leafCover.ts)
 * and accepted when it nets more (first improvement, flips in the order of their covers' LP, screened again after
 * each accepted one), until no flip gains or `budgetMs` (and `outer`) runs out. `attack` must be valid.
 *
 * A leaf that its first `flipMs` does not settle is kept open with its float bound, and when no flip gains any
 * more the open leaves are tried again, highest bound first, each with twice its last time, round after round:
 * on typical 1,000 × 100 with allocations a third to a half of the promising flips' covers are not settled in
 * 150 ms, and the search used to stop there after 2 s of its 10 (seed 3: six flips left open, bounds up to 58
 * tokens above the attack). The best attack's own A is one of those leaves (its cover may still get cheaper).
 */
export function flipByLeaf(
  n: Network,
  attack: Attack,
  highs: Highs,
  budgetMs: number,
  outer: LiveDeadline = Number.POSITIVE_INFINITY,
  /** Per flip, at most this long for its exact cover at first (tests: long enough for every leaf to be settled). */
  flipMs = FLIP_MS,
): Attack {
  const own = performance.now() + budgetMs
  const deadline = () => Math.min(own, deadlineNow(outer))
  if (budgetMs <= 0 || attack.services.length === 0) return attack
  let best = attack
  let value = net(n, best)
  /** Leaves settled: no coalition for that A nets more than the value then (values only grow). */
  const settled = new Set<string>()
  /** Leaves tried and not settled: their A, float bound (a lead) and the time they were last given. */
  const open = new Map<string, { services: number[]; bound: number; ms: number }>()
  /** Covers A exactly for up to `ms`; true when it found an attack netting more than the best (now the best). */
  const tryLeaf = (services: number[], ms: number, bound: number): boolean => {
    const key = services.join(',')
    if (services.length === 0 || settled.has(key)) return false
    // the search's deadline read live (a retry may be given seconds, and the thread's caller may stop it meanwhile)
    const until = performance.now() + ms
    const out = solveLeaf(n, services, value, highs, () => Math.min(deadline(), until))
    if (out.complete) {
      settled.add(key)
      open.delete(key)
    } else open.set(key, { services, bound: Number.isFinite(out.bound) ? out.bound : bound, ms })
    if (out.attack && isValidAttack(n, out.attack) && net(n, out.attack) > value) {
      best = out.attack
      value = net(n, best)
      return true
    }
    return false
  }
  let screen: ReturnType<typeof flipScreen> | undefined
  try {
    screen = flipScreen(n, highs)
    const all = [...n.services.keys()]
    let candidates = all
    // the start's own A, whose cover the polish may have left unsettled
    open.set(best.services.join(','), {
      services: best.services,
      bound: Number.POSITIVE_INFINITY,
      ms: flipMs / 2,
    })
    for (;;) {
      screen.setBase(best.services)
      const lp: [number, number][] = []
      for (const s of candidates) {
        if (performance.now() >= deadline()) return best
        lp.push([s, screen.flipped(s)])
      }
      lp.sort((a, b) => b[1] - a[1])
      // the LP's value is at least any coalition's for that A: below the best attack's net (in floats, with a
      // relative slack of 1e-9 for the LP's own error) the flip cannot improve it
      const floor = () => {
        const scaled = Number(value) / Number(screen?.unit ?? 1n)
        return scaled - 1e-9 * Math.max(1, Math.abs(scaled))
      }
      let moved = false
      for (const [s, v] of lp) {
        if (v <= floor()) break
        if (performance.now() >= deadline()) return best
        const services = best.services.includes(s)
          ? best.services.filter((t) => t !== s)
          : [...best.services, s].sort((a, b) => a - b)
        if (open.has(services.join(','))) continue // retried below, with more time
        if (tryLeaf(services, flipMs, v * Number(screen.unit))) {
          moved = true
          break
        }
      }
      if (moved) {
        candidates = lp.slice(0, RESCREEN).map(([s]) => s)
        continue
      }
      // a partial screen that found nothing: once more over every flip before the open leaves
      if (candidates !== all) {
        candidates = all
        continue
      }
      // every flip screened and tried once: the open leaves again, highest bound first, each with twice its time
      // (bounds in amount units against the best's net, as floats with the same slack; past a float, where
      // either is Infinity and the slack NaN, no leaf can be dropped on a lead: all are kept, as below a float a
      // leaf is dropped only when its bound says so)
      const slack = (x: number) => x - 1e-9 * Math.max(1, Math.abs(x))
      while (!moved) {
        const retry = [...open.values()]
          .filter((l) => !(l.bound <= slack(Number(value))))
          .sort((a, b) => b.bound - a.bound)
        if (retry.length === 0) return best
        for (const l of retry) {
          if (performance.now() >= deadline()) return best
          // at least 1 ms: a leaf first given none (flipMs 0) would otherwise be retried with none for ever, and
          // with no deadline (the thread's budget is unbounded) the search never ended
          if (tryLeaf(l.services, Math.max(1, 2 * l.ms), l.bound)) {
            moved = true
            break
          }
        }
      }
    }
  } catch {
    // an improvement only: a solver failure leaves the best attack found so far, checked exactly
    return best
  } finally {
    screen?.dispose()
  }
}
