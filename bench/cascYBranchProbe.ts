/**
 * Probe (issue 14; not wired): an exact bound on the whole-stake cascade R_ψ from a branch and bound over the
 * attacked services (y binary), each node's LP relaxation (coalition x and shock d fractional) solved by HiGHS in
 * floats and then bounded *exactly* from its row duals (weak duality, bigint, rounded down only where the loss is
 * whole): so the bound holds whatever HiGHS answers.
 *
 * The relaxation, for a node's box of y (IN = 1, OUT = 0, FREE in [0, 1]); every valid cascade (D, A, B), with B cut
 * to N(A) (the others cost and burn nothing), is a point (x = 1_B, d = 1_D, y = 1_A):
 *
 *   max σ·x + σ·d
 *   x_v + d_v ≤ 1                                  (B ∩ D = ∅)
 *   x_v − Σ_{s ∋ v} y_s ≤ 0                        (B ⊆ N(A))
 *   σ·d ≤ Ψ                                         (the shock's budget)
 *   σ·x − π·y − t ≤ −1                              (validity: cost(B) ≤ π(A) − 1; t ≥ 0 an artificial, see below)
 *   den_s α_s σ(N(s)) y_s − Σ_{v∈N(s)} (den_s σ_v x_v + num_s σ_v d_v) − t_s ≤ 0   (α_s = num_s/den_s)
 *
 * The artificials t (cost −M, t ≤ its row's whole need) keep every node's LP feasible, so every node has duals;
 * they are 0 at every real point, so the LP stays a relaxation. For any u ≥ 0 on these rows,
 * max ≤ u·b + Σ_j max_{col j's box} (c_j − (Aᵀu)_j)·col_j (Lagrangian, the box kept): computed in bigint with u
 * rounded to multiples of 2^-30 (any u ≥ 0 is valid). The empty attack (the shock alone, ≤ Ψ) is apart.
 *
 * `npx tsx bench/cascYBranchProbe.ts 200 50 1 [seconds]`; `npx tsx bench/cascYBranchProbe.ts check [count]` compares
 * it with brute force on small whole-stake networks (a mutant: MUTANT=1 drops the shock's term from the cover rows,
 * LP and exact check alike: 8 of 300 runs fall below brute force).
 */
import { loadavg } from 'node:os'
import { bruteCascade } from '../src/risk/bruteForce.ts'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { type Network, serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

const highs = await loadHighs()
const SH = 30n
const SC = 2 ** 30
const bmin = (a: bigint, b: bigint): bigint => (a < b ? a : b)
const bmax = (a: bigint, b: bigint): bigint => (a > b ? a : b)

type Row = { cols: number[]; coefs: bigint[]; rhs: bigint }

/** Exact upper bound on the whole-stake cascade loss of every valid (D, A, B) with A in the given boxes. */
export function buildYBranch(n: Network, budget: bigint) {
  const S = n.services.length
  const V = n.operators.length
  const X = S
  const Dc = S + V
  const T0 = S + 2 * V // artificials: validity, then one per service
  // DISAGG=1: each cover row by edge copies z_vs ≤ x_v, e_vs ≤ d_v, z_vs + e_vs ≤ y_s (a member counts for s only as
  // far as s is attacked: the coupled LP's rows), columns after the artificials
  const disagg = process.env.DISAGG === '1'
  const E0 = T0 + 1 + S
  let E = 0
  if (disagg) for (const s of n.services) E += s.members.length
  const cols = E0 + 2 * E
  const sigma = n.operators.map((o) => o.stake)
  const total = totalStake(n)
  const cost: bigint[] = Array(cols).fill(0n)
  for (let v = 0; v < V; v++) {
    cost[X + v] = sigma[v] as bigint
    cost[Dc + v] = sigma[v] as bigint
  }
  const rows: Row[] = []
  const svcOf: number[][] = n.operators.map(() => [])
  n.services.forEach((s, si) => {
    for (const v of s.members) svcOf[v]?.push(si)
  })
  for (let v = 0; v < V; v++) rows.push({ cols: [X + v, Dc + v], coefs: [1n, 1n], rhs: 1n })
  for (let v = 0; v < V; v++)
    rows.push({
      cols: [X + v, ...(svcOf[v] ?? [])],
      coefs: [1n, ...(svcOf[v] ?? []).map(() => -1n)],
      rhs: 0n,
    })
  rows.push({ cols: n.operators.map((_, v) => Dc + v), coefs: [...sigma], rhs: budget })
  rows.push({
    cols: [...n.operators.map((_, v) => X + v), ...n.services.map((_, si) => si), T0],
    coefs: [...sigma, ...n.services.map((s) => -s.profit), -1n],
    rhs: -1n,
  })
  const tUpper: number[] = [Number(total) + 1]
  let edge = 0
  n.services.forEach((s, si) => {
    const num = s.threshold.num
    const den = s.threshold.den
    const c: number[] = [si]
    // the row times den_s: den_s·α_s·σ(N(s)) = num_s·σ(N(s)), whole
    const k: bigint[] = [num * serviceStake(s)]
    s.members.forEach((v, i) => {
      const a = s.memberStake[i] ?? 0n
      if (disagg) {
        const z = E0 + 2 * edge
        const e = z + 1
        edge++
        rows.push({ cols: [z, X + v], coefs: [1n, -1n], rhs: 0n })
        rows.push({ cols: [e, Dc + v], coefs: [1n, -1n], rhs: 0n })
        rows.push({ cols: [z, e, si], coefs: [1n, 1n, -1n], rhs: 0n })
        c.push(z, e)
      } else c.push(X + v, Dc + v)
      k.push(-den * a, process.env.MUTANT ? 0n : -num * a)
    })
    c.push(T0 + 1 + si)
    k.push(-1n)
    rows.push({ cols: c, coefs: k, rhs: 0n })
    tUpper.push(Number(num * serviceStake(s)) + 1)
  })
  // t's cost: −M per unit (M above any loss), t ≤ its row's need
  const M = total + 1n
  for (let j = T0; j < E0; j++) cost[j] = -M
  const R = rows.length
  const starts = [0]
  const indices: number[] = []
  const values: number[] = []
  for (const r of rows) {
    r.cols.forEach((c, i) => {
      indices.push(c)
      values.push(Number(r.coefs[i]))
    })
    starts.push(indices.length)
  }
  const model = highs.createModel()
  const upper = new Float64Array(cols).fill(1)
  for (let j = T0; j < E0; j++) upper[j] = tUpper[j - T0] as number
  model.passModel({
    numCols: cols,
    numRows: R,
    sense: highs.constants.objectiveSense.maximize,
    colCost: cost.map(Number),
    colLower: new Float64Array(cols),
    colUpper: upper,
    rowLower: new Float64Array(R).fill(-highs.infinity),
    rowUpper: rows.map((r) => Number(r.rhs)),
    matrix: { format: 'csr', numRows: R, numCols: cols, starts, indices, values },
  })
  model.options.set({ output_flag: false, presolve: 'off' })
  const lower = new Float64Array(cols)
  const up = upper.slice()
  const allCols = { kind: 'range', from: 0, to: cols - 1 } as const
  const tUp = tUpper.map((t) => BigInt(Math.ceil(t)))

  /** The exact bound (loss units, floored) from duals u (any sign: negatives read as 0), for y in [lo, hi]. */
  function exact(dual: ArrayLike<number>, lo: Uint8Array, hi: Uint8Array, sign: number): bigint {
    const U = rows.map((_, i) => {
      const u = sign * (dual[i] ?? 0)
      return Number.isFinite(u) && u > 0 ? BigInt(Math.round(u * SC)) : 0n
    })
    const red = cost.map((c) => c << SH)
    let b = 0n
    rows.forEach((r, i) => {
      const u = U[i] as bigint
      if (u === 0n) return
      b += u * r.rhs
      r.cols.forEach((c, k) => {
        red[c] = (red[c] as bigint) - u * (r.coefs[k] as bigint)
      })
    })
    for (let j = 0; j < cols; j++) {
      const rj = red[j] as bigint
      if (j < S) {
        if (hi[j] === 1 && (lo[j] === 1 || rj > 0n)) b += rj
      } else if (j < T0 || j >= E0) {
        if (rj > 0n) b += rj
      } else if (rj > 0n) b += rj * (tUp[j - T0] as bigint)
    }
    // loss whole: floor (b may be negative: then no valid point in the box)
    return b >= 0n ? b >> SH : -((-b + (1n << SH) - 1n) >> SH)
  }

  function solve(lo: Uint8Array, hi: Uint8Array): { bound: bigint; y: Float64Array | null } {
    for (let s = 0; s < S; s++) {
      lower[s] = lo[s] as number
      up[s] = hi[s] as number
    }
    model.changeColsBounds(allCols, lower, up)
    model.zeroAllClocks()
    model.run()
    // a box with no LP optimum: bound it by the weakest valid Lagrangian (u = 0): Σ max(0, c_j) over the box
    if (model.getModelStatus() !== highs.constants.modelStatus.optimal)
      return { bound: exact(new Float64Array(R), lo, hi, 1), y: null }
    const sol = model.getSolution()
    const a = exact(sol.rowDual, lo, hi, 1)
    const b = exact(sol.rowDual, lo, hi, -1)
    return { bound: bmin(a, b), y: sol.colValue.slice(0, S) as Float64Array }
  }
  return { S, solve, dispose: () => model.dispose() }
}

type Node = { lo: Uint8Array; hi: Uint8Array; bound: bigint; y: Float64Array | null }

/** Best-first branch and bound; returns the exact bound on the loss (≥ the incumbent) and whether it closed. */
export function branchY(
  n: Network,
  budget: bigint,
  incumbent: bigint,
  ms: number,
  log?: (nodes: number, bound: bigint, open: number, leaves: bigint) => void,
) {
  const core = buildYBranch(n, budget)
  const S = core.S
  const end = performance.now() + ms
  const total = totalStake(n)
  const shockAlone = budget < total ? budget : total
  const floor = incumbent > shockAlone ? incumbent : shockAlone
  const root = core.solve(new Uint8Array(S), new Uint8Array(S).fill(1))
  const open: Node[] = [{ lo: new Uint8Array(S), hi: new Uint8Array(S).fill(1), ...root }]
  let leaves = floor
  let nodes = 1
  let lastLog = performance.now()
  while (open.length > 0 && performance.now() < end) {
    open.sort((p, q) => (p.bound < q.bound ? -1 : p.bound > q.bound ? 1 : 0))
    const node = open.pop() as Node
    if (node.bound <= floor || node.bound <= leaves) continue
    // branch on the FREE y nearest 1/2; none fractional: the node's LP is its subtree's relaxation (a leaf)
    let pick = -1
    let dist = 2
    for (let s = 0; s < S; s++) {
      if (node.lo[s] === node.hi[s]) continue
      const v = node.y ? (node.y[s] as number) : 0.5
      const dd = Math.abs(v - 0.5)
      if (v > 1e-9 && v < 1 - 1e-9 && dd < dist) {
        dist = dd
        pick = s
      }
    }
    if (pick < 0) {
      if (node.bound > leaves) leaves = node.bound
      continue
    }
    for (const val of [1, 0]) {
      const lo = node.lo.slice()
      const hi = node.hi.slice()
      lo[pick] = val
      hi[pick] = val
      const r = core.solve(lo, hi)
      nodes++
      const b = bmin(r.bound, node.bound)
      if (b > floor && b > leaves) open.push({ lo, hi, bound: b, y: r.y })
    }
    if (log && performance.now() - lastLog > 5000) {
      lastLog = performance.now()
      const top = open.reduce((m, q) => bmax(m, q.bound), leaves)
      log(nodes, top, open.length, leaves)
    }
  }
  core.dispose()
  const top = open.reduce((m, q) => bmax(m, q.bound), leaves)
  const bound = bmax(top, floor)
  return { bound: bmin(bound, total), closed: open.length === 0, nodes }
}

const membersFor = (o: number, s: number): [number, number] =>
  o <= 50 ? [5, 20] : o <= 200 ? [10, 40] : s >= 200 ? [25, 100] : [20, 80]

if (process.argv[2] === 'check') {
  const count = Number(process.argv[3] ?? 200)
  const rng = createRng(7)
  let bad = 0
  let closedAtTruth = 0
  for (let i = 0; i < count; i++) {
    const n = parseRiskInput(
      randomNetwork(rng, {
        operators: rng.int(2, 7),
        services: rng.int(1, 5),
        membersPerService: [1, 5],
        profitFactor: (
          [
            [0.2, 1.2],
            [0.15, 0.6],
            [0.05, 0.35],
            [0.02, 0.25],
          ] as const
        )[i % 4],
      }),
    )
    const psi = rat(BigInt([0, 5, 10, 25, 50][i % 5] as number), 100n)
    const budget = shockBudget(n, psi)
    const truth = bruteCascade(n, psi)
    for (const inc of [0n, cascadeStart(n, budget).best.value, truth]) {
      const r = branchY(n, budget, inc, 10_000)
      if (r.bound < truth) {
        bad++
        console.log(`network ${i} incumbent ${inc}: bound ${r.bound} < truth ${truth}`)
      }
      if (inc === truth && r.closed && r.bound === truth) closedAtTruth++
    }
  }
  console.log(
    `${count} networks × 3 incumbents: ${bad} below brute force; closed at the truth ${closedAtTruth}`,
  )
} else {
  const [ops, svcs, seed, secs] = process.argv.slice(2).map(Number) as [number, number, number, number]
  const n = parseRiskInput(
    randomNetwork(createRng(seed), {
      operators: ops,
      services: svcs,
      membersPerService: membersFor(ops, svcs),
      profitFactor: [0.02, 0.25],
    }),
  )
  const total = Number(totalStake(n))
  const budget = shockBudget(n, rat(1n, 10n))
  const inc = cascadeStart(n, budget).best.value
  const t = performance.now()
  const c0 = process.cpuUsage()
  const r = branchY(n, budget, inc, (secs || 60) * 1000, (nodes, b, o, lv) =>
    console.log(
      `  ${((performance.now() - t) / 1000).toFixed(0)} s: ${nodes} LPs, bound R ≤ ${(Number(b) / total).toFixed(4)}, ${o} open, best leaf ${(Number(lv) / total).toFixed(4)}, load ${loadavg()[0]?.toFixed(1)}`,
    ),
  )
  const cpu = process.cpuUsage(c0)
  console.log(
    `${ops}x${svcs} seed ${seed}: start R ${(Number(inc) / total).toFixed(4)}, exact bound R ≤ ${(Number(r.bound) / total).toFixed(4)} (${r.bound}) closed ${r.closed}, ${r.nodes} LPs in ${((performance.now() - t) / 1000).toFixed(1)} s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s), load ${loadavg()[0]?.toFixed(1)}`,
  )
}
