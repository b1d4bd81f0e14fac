/**
 * The attack search as one mixed-integer program, in three flavours sharing the same constraints:
 *  - 'profit'  : maximise π(A) − cost(B)                    (the most profitable attack; > 0 means insecure)
 *  - 'cost'    : maximise cost(B) over valid attacks         (the largest attack)
 *  - 'cascade' : maximise σ(D) + cost(B) over shocks D with σ(D) ≤ ψ·σ(V) and valid attacks after D (R_ψ)
 *
 * Variables: y_s (service attacked), x_v (operator in the coalition), d_v (operator removed by the shock), and
 * for the cost of operators whose allocations differ from their stake, z_vs = x_v ∧ y_s, c_v and w_v.
 * Amounts are divided by the largest amount so coefficients sit in [0, 1] (see mip.ts for the tolerances).
 */
import { MipBuilder } from './mip.ts'
import { type Network, operatorServices, serviceStake, totalStake } from './network.ts'
import { type Rational, rat, toNumber } from './rational.ts'
import type { Attack } from './verify.ts'

export type AttackObjective = 'profit' | 'cost' | 'cascade'

/**
 * In 'cost' and 'cascade' an attack must clear break-even by this much (in units of the largest amount), because
 * a strict inequality cannot be given to a floating-point solver. Attacks closer to break-even are not counted.
 */
export const VALIDITY_MARGIN = 1e-7

export type AttackModel = {
  builder: MipBuilder
  /** Column of y_s per service. */
  y: number[]
  /** Column of x_v per operator, -1 when the operator secures nothing. */
  x: number[]
  /** Column of d_v per operator ('cascade' only). */
  d: number[]
  /** The amount that was scaled to 1. */
  unit: bigint
}

function largestAmount(n: Network): bigint {
  let m = 0n
  for (const o of n.operators) if (o.stake > m) m = o.stake
  for (const s of n.services) if (s.profit > m) m = s.profit
  return m > 0n ? m : 1n
}

export function buildAttackModel(n: Network, objective: AttackObjective, shock?: Rational): AttackModel {
  const b = new MipBuilder()
  const unit = largestAmount(n)
  const scaled = (v: bigint): number => toNumber(rat(v, unit))
  const exactCost = objective !== 'profit' // cost must equal, not just bound, the loss when it is maximised
  const byOp = operatorServices(n)

  const y = n.services.map((s) => b.binary(objective === 'profit' ? scaled(s.profit) : 0))
  const x = n.operators.map((_, v) => ((byOp[v]?.length ?? 0) > 0 ? b.binary() : -1))
  const d = objective === 'cascade' ? n.operators.map((o) => b.binary(scaled(o.stake))) : []
  const costSign = objective === 'profit' ? -1 : 1
  /** Terms of Σ_v cost_v, filled below; used by the validity row. */
  const costTerms: [number, number][] = []

  n.operators.forEach((o, v) => {
    const xv = x[v] as number
    if (xv < 0) return
    const edges = byOp[v] ?? []
    const sigma = scaled(o.stake)
    // B ⊆ N(A): an operator only joins if it secures an attacked service. When cost is minimised this holds
    // at the optimum anyway, and leaving the rows out makes the LP relaxation markedly cheaper.
    if (exactCost)
      b.addRow(
        [[xv, 1], ...edges.map((e) => [y[e.service] as number, -1] as [number, number])],
        Number.NEGATIVE_INFINITY,
        0,
      )
    if (edges.every((e) => e.stake === o.stake)) {
      // The paper's model: whole stake on every service, so the cost is simply σ_v.
      b.cost[xv] = (b.cost[xv] ?? 0) + costSign * sigma
      costTerms.push([xv, sigma])
      return
    }
    // z_vs = x_v ∧ y_s; its lower side is what minimisation needs, the upper side what maximisation needs.
    const z = edges.map((e) => {
      const zc = b.addVar(0, 0, 1, false)
      const ys = y[e.service] as number
      b.addRow(
        [
          [zc, 1],
          [xv, -1],
          [ys, -1],
        ],
        -1,
        Number.POSITIVE_INFINITY,
      )
      if (exactCost) {
        b.addRow(
          [
            [zc, 1],
            [xv, -1],
          ],
          Number.NEGATIVE_INFINITY,
          0,
        )
        b.addRow(
          [
            [zc, 1],
            [ys, -1],
          ],
          Number.NEGATIVE_INFINITY,
          0,
        )
      }
      return [zc, scaled(e.stake)] as [number, number]
    })
    const allocated = edges.reduce((a, e) => a + e.stake, 0n)
    if (allocated <= o.stake) {
      // Never over-allocated: the min with σ_v never binds, cost = Σ a_vs z_vs.
      for (const [zc, a] of z) {
        b.cost[zc] = (b.cost[zc] ?? 0) + costSign * a
        costTerms.push([zc, a])
      }
      return
    }
    // Restaked past its stake: c_v = min(σ_v x_v, Σ a_vs z_vs), chosen by w_v (1 = the σ_v cap binds).
    const c = b.addVar(costSign * 1, 0, sigma, false)
    const w = b.binary()
    const big = scaled(allocated)
    b.addRow(
      [[c, 1], ...z.map(([zc, a]) => [zc, -a] as [number, number]), [w, big]],
      0,
      Number.POSITIVE_INFINITY,
    )
    b.addRow(
      [
        [c, 1],
        [xv, -sigma],
        [w, -sigma],
      ],
      -sigma,
      Number.POSITIVE_INFINITY,
    )
    if (exactCost) {
      b.addRow(
        [
          [c, 1],
          [xv, -sigma],
        ],
        Number.NEGATIVE_INFINITY,
        0,
      )
      b.addRow([[c, 1], ...z.map(([zc, a]) => [zc, -a] as [number, number])], Number.NEGATIVE_INFINITY, 0)
    }
    costTerms.push([c, 1])
  })

  // Thresholds: Σ_{v∈N(s)} a_vs x_v ≥ α_s (σ(N(s)) − Σ a_vs d_v) y_s, linear because the d-term only matters
  // when y_s = 1 (when y_s = 0 the row reads Σ a x + α Σ a d ≥ 0, always true).
  n.services.forEach((s, si) => {
    const alpha = toNumber(s.threshold)
    const row: [number, number][] = [[y[si] as number, -alpha * scaled(serviceStake(s))]]
    s.members.forEach((v, k) => {
      const a = scaled(s.memberStake[k] ?? 0n)
      row.push([x[v] as number, a])
      if (objective === 'cascade') row.push([d[v] as number, alpha * a])
    })
    b.addRow(row, 0, Number.POSITIVE_INFINITY)
  })

  if (objective !== 'profit') {
    // Valid: π(A) − cost(B) ≥ margin whenever anything is attacked (t = 1); the empty attack is allowed.
    const t = b.binary()
    for (const ys of y)
      b.addRow(
        [
          [ys, 1],
          [t, -1],
        ],
        Number.NEGATIVE_INFINITY,
        0,
      )
    const row: [number, number][] = n.services.map((s, si) => [y[si] as number, scaled(s.profit)])
    for (const [col, coef] of costTerms) row.push([col, -coef])
    row.push([t, -VALIDITY_MARGIN])
    b.addRow(row, 0, Number.POSITIVE_INFINITY)
  }

  if (objective === 'cascade') {
    for (let v = 0; v < n.operators.length; v++) {
      const xv = x[v] as number
      if (xv >= 0)
        b.addRow(
          [
            [d[v] as number, 1],
            [xv, 1],
          ],
          Number.NEGATIVE_INFINITY,
          1,
        )
    }
    const budget = toNumber(shock ?? rat(0n)) * scaled(totalStake(n))
    b.addRow(
      n.operators.map((o, v) => [d[v] as number, scaled(o.stake)] as [number, number]),
      Number.NEGATIVE_INFINITY,
      budget,
    )
  }
  return { builder: b, y, x, d, unit }
}

/** Reads the attack (and shock) a solution describes. */
export function readSolution(m: AttackModel, values: Float64Array): { attack: Attack; shock: number[] } {
  const on = (col: number) => col >= 0 && (values[col] ?? 0) > 0.5
  return {
    attack: {
      services: m.y.flatMap((c, s) => (on(c) ? [s] : [])),
      operators: m.x.flatMap((c, v) => (on(c) ? [v] : [])),
    },
    shock: m.d.flatMap((c, v) => (on(c) ? [v] : [])),
  }
}

/** Forbids exactly this assignment of the y, x and d variables (used when exact re-verification rejects it). */
export function addNoGoodCut(m: AttackModel, values: Float64Array): void {
  const cols = [...m.y, ...m.x, ...m.d].filter((c) => c >= 0)
  let ones = 0
  const row: [number, number][] = cols.map((c) => {
    const one = (values[c] ?? 0) > 0.5
    if (one) ones++
    return [c, one ? -1 : 1]
  })
  m.builder.addRow(row, 1 - ones, Number.POSITIVE_INFINITY)
}
