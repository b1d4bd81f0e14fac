/**
 * The exact answer at a fully fixed node of the branch and bound over services (serviceBranch.ts): with every
 * service attacked or left out, what remains is choosing the cheapest coalition that meets each attacked
 * service's threshold — a covering knapsack with one row per service in A,
 *
 *   min Σ_v c_v x_v   s.t.  Σ_v a_vs x_v ≥ α_s σ(N(s))  (s ∈ A),   x ∈ {0, 1},
 *
 * where c_v = min(σ_v, Σ_{s∈A} a_vs) is a constant once A is fixed (σ_v in the paper's model). Such a leaf's
 * cost-share bound is the LP of this problem (at best), and at the edge of security it can sit above the
 * incumbent for ever (hard 1,000 × 100 seed 2: π(A) 18,607 against an LP cover of 18,591.4 tokens), so the
 * search used to stop there. Here it is solved by branch and bound over the operators: each node's LP by HiGHS
 * (warm-started, bounds changed in place), whose row duals μ ≥ 0 give, by weak duality, a bound recomputed in
 * bigint,
 *
 *   cost(B) ≥ Σ_{v in} c_v + Σ_s μ_s r_s + Σ_{v free} min(0, c_v − μ·a_v),   r_s = α_s σ(N(s)) − Σ_{v in} a_vs,
 *
 * valid for ANY μ ≥ 0 — so the float LP can only weaken it, never forge it. The LP is strengthened by c-MIR cuts
 * of single rows (coverCuts.ts, exact integer rows valid for every coalition), which enter the sum above like any
 * other row, with their own duals. The same exact reduced costs c_v − μ·a_v fix operators (a child whose bound
 * already exceeds the cutoff is never opened), and feasibility
 * (every row still reachable, members no row can do without) is propagated in bigint. Coalitions come from
 * rounding each node's LP solution, completed and trimmed exactly. The outcome is exact either way: the best
 * coalition for A when it nets more than the incumbent, or a proof that none does.
 */
import type { Highs } from 'highs'
import { type IntRow, maxAbs, separateMir } from './coverCuts.ts'
import { deadlineNow, type LiveDeadline } from './deadline.ts'
import type { Network } from './network.ts'
import { type Attack, normalizeAttack } from './verify.ts'

export type LeafOutcome = {
  /** Every coalition for A was settled: none nets more than `value`. False when the deadline stopped it. */
  complete: boolean
  /** The best coalition for A found netting more than the value passed in, with A (null when none was found). */
  attack: Attack | null
  /** Its exact net profit, or the value passed in. */
  value: bigint
  /** Upper bound on the net profit of any coalition for A, amount units (floats: a lead); `value` when complete. */
  bound: number
  /** Operator-branching nodes visited. */
  nodes: number
}

/** Duals are read to 2^-40: any μ ≥ 0 gives a valid bound, so the rounding only loosens it, by far less than a unit. */
const K = 40
const FREE = 0
const IN = 1
const OUT = 2
/** c-MIR rounds at the first node (the LP of hard 1,000 × 100 seed 2's second leaf stops rising after about 20). */
const ROOT_CUT_ROUNDS = 30
/** … and at every other node, whose LP point differs a little. */
const NODE_CUT_ROUNDS = 2
/** At most this many cuts per row of A, kept for the whole leaf (the LP grows with them). */
const CUTS_PER_ROW = 6

const bitLength = (x: bigint): number => (x <= 0n ? 0 : x.toString(2).length)

/** A row of the leaf's LP: Σ g x ≥ h over the local operators, given to the solver divided by 2^e. */
type Row = IntRow & { e: number }

/**
 * The cheapest coalition for the services `services` (indices into n.services, every one attacked), when it nets
 * more than `value`; `highs` a loaded HiGHS module (mip.ts loadHighs). Stops at `deadline` (performance.now(); read again at every check, as it may move).
 */
export function solveLeaf(
  n: Network,
  services: number[],
  value: bigint,
  highs: Highs,
  deadline: LiveDeadline,
): LeafOutcome {
  const profit = services.reduce((x, s) => x + (n.services[s]?.profit ?? 0n), 0n)
  // a coalition must cost at most `cap` to net more than `value` (net profits are whole units)
  let cap = profit - value - 1n
  let best: Attack | null = null
  let bestValue = value
  const done = (complete: boolean, bound: number, nodes: number): LeafOutcome => ({
    complete,
    attack: best,
    value: bestValue,
    // a float lead only; NaN (amounts beyond a float) reads as "no bound"
    bound: complete ? Number(bestValue) : Math.max(Number(bestValue), Number.isNaN(bound) ? Infinity : bound),
    nodes,
  })
  if (cap < 0n) return done(true, 0, 0)

  // The operators of N(A) and their costs.
  const local = new Map<number, number>()
  const ops: number[] = []
  const onA = new Map<number, bigint>()
  for (const si of services) {
    const s = n.services[si]
    if (!s) throw new RangeError(`no service ${si}`)
    s.members.forEach((v, k) => {
      if (!local.has(v)) {
        local.set(v, ops.length)
        ops.push(v)
      }
      onA.set(v, (onA.get(v) ?? 0n) + (s.memberStake[k] ?? 0n))
    })
  }
  const P = ops.length
  const cost = ops.map((v) => {
    const own = n.operators[v]?.stake ?? 0n
    const on = onA.get(v) ?? 0n
    return on < own ? on : own
  })
  // The thresholds as integer rows: den · σ(B ∩ N(s)) ≥ num · σ(N(s)); the first R rows, cuts after them.
  const rows: Row[] = services.map((si) => {
    const s = n.services[si] as Network['services'][number]
    const total = s.memberStake.reduce((x, y) => x + y, 0n)
    const g = s.memberStake.map((a) => (a ?? 0n) * s.threshold.den)
    return {
      cols: Int32Array.from(s.members, (v) => local.get(v) as number),
      g,
      h: s.threshold.num * total,
      e: bitLength(maxAbs(g)),
    }
  })
  const R = rows.length
  const opRows: { r: number; g: bigint }[][] = ops.map(() => [])
  const indexRow = (r: number) => {
    const row = rows[r] as Row
    row.cols.forEach((v, k) => {
      opRows[v]?.push({ r, g: row.g[k] as bigint })
    })
  }
  for (let r = 0; r < R; r++) indexRow(r)
  const cutsSeen = new Set<string>()

  // The LP: costs divided by 2^ec, each row by 2^e (powers of two, so the duals convert exactly).
  const ec = bitLength(maxAbs(cost))
  // x / 2^e as a float, shifted in bigint first: amounts beyond a float (2^1024 and more) still give finite numbers
  // (the solver only guides; the exact bound reads its duals against the exact rows)
  const scaled = (x: bigint, e: number) => {
    const sh = Math.max(0, e - 60)
    return Number(x >> BigInt(sh)) / 2 ** (e - sh)
  }
  const model = highs.createModel()
  try {
    const starts = [0]
    const indices: number[] = []
    const values: number[] = []
    for (const row of rows) {
      row.cols.forEach((v, k) => {
        indices.push(v)
        values.push(scaled(row.g[k] as bigint, row.e))
      })
      starts.push(indices.length)
    }
    model.passModel({
      numCols: P,
      numRows: R,
      sense: highs.constants.objectiveSense.minimize,
      colCost: cost.map((c) => scaled(c, ec)),
      colLower: new Float64Array(P),
      colUpper: new Float64Array(P).fill(1),
      rowLower: rows.map((row) => scaled(row.h, row.e)),
      rowUpper: new Float64Array(R).fill(highs.infinity),
      matrix: { format: 'csr', numRows: R, numCols: P, starts, indices, values },
    })
    model.options.set({
      output_flag: false,
      presolve: 'off',
      primal_feasibility_tolerance: 1e-10,
      dual_feasibility_tolerance: 1e-10,
    })
    const allCols = { kind: 'range', from: 0, to: P - 1 } as const
    const lower = new Float64Array(P)
    const upper = new Float64Array(P)

    const meets = (row: Row, held: bigint) => held >= row.h

    /** A coalition from a seed set, completed greedily and trimmed exactly; kept when it costs at most `cap`. */
    const improve = (seed: Uint8Array) => {
      const inB = Uint8Array.from(seed)
      const held: bigint[] = []
      for (let r = 0; r < R; r++) {
        const row = rows[r] as Row
        held.push(row.cols.reduce((x, v, k) => (inB[v] ? x + (row.g[k] as bigint) : x), 0n))
      }
      for (;;) {
        // the operator adding the most of what the unmet rows still miss per unit of cost (floats only choose)
        let pick = -1
        let score = -1
        for (let v = 0; v < P; v++) {
          if (inB[v]) continue
          let gain = 0
          for (const { r, g } of opRows[v] as { r: number; g: bigint }[]) {
            if (r >= R) break
            const row = rows[r] as Row
            if (meets(row, held[r] as bigint)) continue
            const miss = Number(row.h - (held[r] as bigint))
            gain += Math.min(Number(g), miss) / miss
          }
          if (gain <= 0) continue
          const sc = gain / Math.max(Number(cost[v] as bigint), 1e-300)
          if (sc > score) {
            score = sc
            pick = v
          }
        }
        if (pick < 0) break
        inB[pick] = 1
        for (const { r, g } of opRows[pick] as { r: number; g: bigint }[])
          if (r < R) held[r] = (held[r] as bigint) + g
      }
      for (let r = 0; r < R; r++) if (!meets(rows[r] as Row, held[r] as bigint)) return
      // trim: the most expensive members no row needs, exactly
      const members = [...inB.keys()].filter((v) => inB[v])
      members.sort((x, y) => Number((cost[y] as bigint) - (cost[x] as bigint)))
      for (const v of members) {
        const mine = (opRows[v] as { r: number; g: bigint }[]).filter(({ r }) => r < R)
        if (mine.some(({ r, g }) => !meets(rows[r] as Row, (held[r] as bigint) - g))) continue
        inB[v] = 0
        for (const { r, g } of mine) held[r] = (held[r] as bigint) - g
      }
      let c = 0n
      for (let v = 0; v < P; v++) if (inB[v]) c += cost[v] as bigint
      if (c > cap) return
      cap = c - 1n
      bestValue = profit - c
      best = normalizeAttack(n, { services, operators: ops.filter((_, v) => inB[v]) })
    }

    /**
     * Feasibility and forced members on the threshold rows, exactly: false when some row cannot be met any more.
     * An operator no unmet row can do without is fixed in; one whose rows are all met is fixed out (it would only
     * cost).
     */
    const propagate = (state: Uint8Array): boolean => {
      const met = new Uint8Array(R)
      for (let changed = true; changed; ) {
        changed = false
        for (let r = 0; r < R; r++) {
          const row = rows[r] as Row
          let held = 0n
          let avail = 0n
          row.cols.forEach((v, k) => {
            if (state[v] === IN) held += row.g[k] as bigint
            else if (state[v] === FREE) avail += row.g[k] as bigint
          })
          if (meets(row, held)) {
            met[r] = 1
            continue
          }
          if (!meets(row, held + avail)) return false
          row.cols.forEach((v, k) => {
            if (state[v] === FREE && !meets(row, held + avail - (row.g[k] as bigint))) {
              state[v] = IN
              changed = true
            }
          })
        }
      }
      for (let v = 0; v < P; v++)
        if (state[v] === FREE && (opRows[v] as { r: number }[]).every(({ r }) => r >= R || met[r]))
          state[v] = OUT
      return true
    }

    /**
     * The exact Lagrangian bound for the LP's row duals (read to 2^-K) under `state`, and each free operator's
     * exact reduced cost, both in units of 2^-W of an amount unit.
     */
    const exactBound = (state: Uint8Array, mu: Float64Array) => {
      let eMax = 0
      for (const row of rows) eMax = Math.max(eMax, row.e)
      // the integer row's multiplier is μ · 2^(ec − e) = m · 2^(ec − e − K); scaled by 2^W it is m · 2^shift
      const W = Math.max(0, K + eMax - ec)
      const M = rows.map((row, r) => {
        const x = mu[r] as number
        // any μ ≥ 0 is valid, 0 included: a dual the solver got wrong or too large to read only loosens the bound
        if (!(x > 0) || !Number.isFinite(x * 2 ** K)) return 0n
        return BigInt(Math.floor(x * 2 ** K)) << BigInt(W - K - row.e + ec)
      })
      let lb = 0n
      for (let v = 0; v < P; v++) if (state[v] === IN) lb += (cost[v] as bigint) << BigInt(W)
      rows.forEach((row, r) => {
        const m = M[r] as bigint
        if (m === 0n) return
        let rest = row.h
        row.cols.forEach((v, k) => {
          if (state[v] === IN) rest -= row.g[k] as bigint
        })
        lb += m * rest
      })
      const rc: bigint[] = new Array(P).fill(0n)
      for (let v = 0; v < P; v++) {
        if (state[v] !== FREE) continue
        let d = (cost[v] as bigint) << BigInt(W)
        for (const { r, g } of opRows[v] as { r: number; g: bigint }[]) d -= (M[r] as bigint) * g
        rc[v] = d
        if (d < 0n) lb += d
      }
      // above `cap` (read when compared: a coalition found since may have lowered it), nothing here pays
      return { lb, rc, over: (x: bigint) => x > cap << BigInt(W) }
    }

    /** One round of c-MIR cuts from the threshold rows at the LP point x; how many were added. */
    const separate = (x: Float64Array): number => {
      let added = 0
      for (let r = 0; r < R; r++) {
        const row = rows[r] as Row
        const cut = separateMir(row, x, 1e-4)
        if (!cut) continue
        const key = `${r}:${cut.h}:${cut.g.join(',')}`
        if (cutsSeen.has(key)) continue
        cutsSeen.add(key)
        const e = bitLength(maxAbs(cut.g))
        rows.push({ ...cut, e })
        indexRow(rows.length - 1)
        model.addRow(scaled(cut.h, e), highs.infinity, {
          indices: cut.cols,
          values: cut.g.map((v) => scaled(v, e)),
        })
        added++
      }
      return added
    }

    type Open = { state: Uint8Array; lpBound: number }
    const stack: Open[] = [{ state: new Uint8Array(P), lpBound: Number.NEGATIVE_INFINITY }]
    let nodes = 0
    while (stack.length > 0) {
      if (performance.now() > deadlineNow(deadline)) {
        const lowest = stack.reduce((x, o) => Math.min(x, o.lpBound), Number.POSITIVE_INFINITY)
        return done(false, Number(profit) - lowest, nodes)
      }
      const { state, lpBound } = stack.pop() as Open
      nodes++
      let x: Float64Array | null = null
      let settled = false
      let nodeBound = lpBound
      let cutRounds = 0
      // propagate, solve the LP, bound exactly, round, cut, fix by reduced costs; again while that changes anything
      for (let round = 0; round < 100 && !settled; round++) {
        if (!propagate(state)) {
          settled = true
          break
        }
        if (!state.includes(FREE)) {
          improve(state.map((st) => (st === IN ? 1 : 0)))
          settled = true
          break
        }
        for (let v = 0; v < P; v++) {
          lower[v] = state[v] === IN ? 1 : 0
          upper[v] = state[v] === OUT ? 0 : 1
        }
        model.changeColsBounds(allCols, lower, upper)
        // HiGHS measures time_limit against its run clock, which adds up every run of the model since the last
        // reset: without one, once the leaf had spent in LPs what was left to the deadline, every run returned
        // timeLimit at once and the leaf went on blind
        model.zeroAllClocks()
        // HiGHS rejects an infinite time_limit: a leaf without a deadline runs under HiGHS's own default (none)
        const left = (deadlineNow(deadline) - performance.now()) / 1000
        model.options.set('time_limit', Number.isFinite(left) ? Math.max(0.01, left) : Number.MAX_VALUE)
        model.run()
        if (model.getModelStatus() !== highs.constants.modelStatus.optimal) {
          x = null
          break
        }
        const sol = model.getSolution()
        x = sol.colValue
        // in amount units, for the float bound reported on a timeout only
        nodeBound = Math.max(nodeBound, model.getObjectiveValue() * 2 ** ec)
        // HiGHS's row duals for ≥ rows of a minimisation are ≥ 0; one that comes out negative is read as 0, which
        // stays valid
        const { lb, rc, over } = exactBound(state, sol.rowDual)
        if (over(lb)) {
          settled = true
          break
        }
        improve(Uint8Array.from(x, (xv, v) => (state[v] === IN || (state[v] === FREE && xv >= 0.5) ? 1 : 0)))
        if (over(lb)) {
          settled = true
          break
        }
        // cuts while they lift the LP
        if (
          cutRounds < (nodes === 1 ? ROOT_CUT_ROUNDS : NODE_CUT_ROUNDS) &&
          rows.length < R * (1 + CUTS_PER_ROW)
        ) {
          cutRounds++
          if (separate(x) > 0) continue
        }
        // reduced-cost fixing: the bound with x_v = 1 is lb + max(0, rc), with x_v = 0 it is lb + max(0, −rc)
        let fixed = false
        for (let v = 0; v < P; v++) {
          if (state[v] !== FREE) continue
          const d = rc[v] as bigint
          if (d > 0n && over(lb + d)) {
            state[v] = OUT
            fixed = true
          } else if (d < 0n && over(lb - d)) {
            state[v] = IN
            fixed = true
          }
        }
        if (!fixed) break
      }
      if (settled) continue
      if (!state.includes(FREE)) {
        // every operator fixed by the last round's reduced costs
        if (propagate(state)) improve(state.map((st) => (st === IN ? 1 : 0)))
        continue
      }
      // branch on the most fractional free operator (the first free one when the LP failed, came out integral or
      // gave no numbers: a node with a free operator is never dropped here)
      let pick = state.indexOf(FREE)
      let score = -1
      for (let v = 0; v < P; v++) {
        if (state[v] !== FREE) continue
        const xv = x ? (x[v] as number) : 0.5
        const sc = Math.min(xv, 1 - xv) + 1e-9 * scaled(cost[v] as bigint, ec)
        if (sc > score) {
          score = sc
          pick = v
        }
      }
      if (pick < 0) throw new Error('unreachable: a node left open has a free operator')
      const up = x ? (x[pick] as number) >= 0.5 : true
      const child = (st: number) => {
        const c = Uint8Array.from(state)
        c[pick] = st
        return { state: c, lpBound: nodeBound }
      }
      // the rounded direction last, so it is explored first (depth first: a coalition soon, then the proof)
      stack.push(child(up ? OUT : IN), child(up ? IN : OUT))
    }
    return done(true, 0, nodes)
  } finally {
    model.dispose()
  }
}
