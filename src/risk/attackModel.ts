/**
 * The attack search as one mixed-integer program, in three flavours sharing the same constraints:
 *  - 'profit'  : maximise π(A) − cost(B)                    (the most profitable attack; > 0 means insecure)
 *  - 'cost'    : maximise cost(B) over valid attacks         (the largest attack)
 *  - 'cascade' : maximise σ(D) + cost(B) over shocks D with σ(D) ≤ ψ·σ(V) and valid attacks after D (R_ψ)
 *
 * Variables: y_s (service attacked), x_v (operator in the coalition), d_v (operator removed by the shock), and
 * continuous ones describing the cost of operators whose allocations differ from their stake (costModel.ts).
 * Amounts are divided by the largest amount so coefficients sit in [0, 1] (see mip.ts for the tolerances).
 * The reductions of presolve.ts are applied while building.
 */
import { addOperatorCost, type CostTerms } from './costModel.ts'
import { MipBuilder } from './mip.ts'
import { type Network, operatorServices, serviceStake, totalStake } from './network.ts'
import { cappedCoefficient, forcedMembers, worthlessServices } from './presolve.ts'
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
  /** Fills the continuous columns from the binaries (for a start solution); see costModel.ts. */
  complete: ((values: Float64Array) => void)[]
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
  const byOp = operatorServices(n)
  const worthless = objective === 'profit' ? worthlessServices(n) : n.services.map(() => false)

  const y = n.services.map((s, si) =>
    b.addVar(objective === 'profit' ? scaled(s.profit) : 0, 0, worthless[si] ? 0 : 1, true),
  )
  const x = n.operators.map((_, v) => ((byOp[v]?.length ?? 0) > 0 ? b.binary() : -1))
  const d = objective === 'cascade' ? n.operators.map((o) => b.binary(scaled(o.stake))) : []
  const complete: AttackModel['complete'] = []
  // Cost of each operator: a lower side (what the validity row and the profit objective charge) and, when cost is
  // maximised, an upper side (what the objective counts); both equal the exact cost at any binary point.
  const terms: CostTerms = { lower: [], upper: [] }
  /** Per service, per member (parallel to `members`): the column counting its stake in the threshold row. */
  const held: number[][] = n.services.map((s) => s.members.map(() => -1))
  n.operators.forEach((o, v) => {
    const xv = x[v] as number
    if (xv < 0) return
    const mine = byOp[v] ?? []
    const edges = mine.map((e) => ({ y: y[e.service] as number, stake: e.stake }))
    const cols = addOperatorCost(
      b,
      { x: xv, stake: o.stake, edges, scaled, exact: objective !== 'profit' },
      terms,
      complete,
    )
    mine.forEach((e, i) => {
      const k = n.services[e.service]?.members.indexOf(v) ?? -1
      const row = held[e.service]
      if (row && k >= 0) row[k] = cols[i] as number
    })
  })
  if (objective === 'profit') for (const [col, coef] of terms.lower) b.cost[col] = (b.cost[col] ?? 0) - coef
  else for (const [col, coef] of terms.upper) b.cost[col] = (b.cost[col] ?? 0) + coef

  // Thresholds: Σ_{v∈N(s)} a_vs x_v ≥ α_s (σ(N(s)) − Σ a_vs d_v) y_s, linear because the d-term only matters
  // when y_s = 1 (when y_s = 0 the row reads Σ a x + α Σ a d ≥ 0, always true). Coefficients capped at the need.
  n.services.forEach((s, si) => {
    const need = toNumber(s.threshold) * scaled(serviceStake(s))
    const ys = y[si] as number
    const row: [number, number][] = [[ys, -need]]
    s.members.forEach((v, k) => {
      const a = scaled(s.memberStake[k] ?? 0n)
      row.push([held[si]?.[k] as number, cappedCoefficient(a, need)])
      if (objective === 'cascade')
        row.push([d[v] as number, cappedCoefficient(toNumber(s.threshold) * a, need)])
    })
    b.addRow(row, 0, Number.POSITIVE_INFINITY)
    if (objective !== 'cascade')
      for (const k of forcedMembers(s))
        b.addRow(
          [
            [x[s.members[k] as number] as number, 1],
            [ys, -1],
          ],
          0,
          Number.POSITIVE_INFINITY,
        )
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
    for (const [col, coef] of terms.lower) row.push([col, -coef])
    row.push([t, -VALIDITY_MARGIN])
    b.addRow(row, 0, Number.POSITIVE_INFINITY)
    complete.push((v) => {
      v[t] = y.some((c) => (v[c] ?? 0) > 0.5) ? 1 : 0
    })
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
  return { builder: b, y, x, d, unit, complete }
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

/**
 * A full column assignment for a known attack (and shock): the solver's starting incumbent. The attack must be
 * normalised (B ⊆ N(A)) and valid; the continuous columns are filled in from the binaries.
 */
export function startSolution(
  m: AttackModel,
  attack: Attack,
  shock: number[] = [],
): { indices: number[]; values: number[] } {
  const values = new Float64Array(m.builder.numCols)
  for (const s of attack.services) {
    const column = m.y[s] as number
    // a worthless service's y is fixed at 0 in the verdict's model (presolve.ts): left out of the start, which
    // stays valid (the other thresholds are unchanged, the cost can only fall); HiGHS refuses a start off bounds
    if ((m.builder.upper[column] ?? 1) > 0) values[column] = 1
  }
  for (const v of attack.operators) if ((m.x[v] ?? -1) >= 0) values[m.x[v] as number] = 1
  for (const v of shock) if ((m.d[v] ?? -1) >= 0) values[m.d[v] as number] = 1
  for (const fill of m.complete) fill(values)
  return { indices: Array.from(values, (_, i) => i), values: Array.from(values) }
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
