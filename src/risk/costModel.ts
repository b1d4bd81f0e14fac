/**
 * The cost of one operator in the attack MIP: cost_v = x_v · min(σ_v, Σ_{s∈A} a_vs).
 *
 * Whole-stake operators (a_vs = σ_v on every service) cost σ_v x_v. For the others the model carries two sides,
 * each the tightest linear description of its direction, and no extra binary:
 *
 *  - **Lower side** (charged by the profit objective and the validity row, which push it down):
 *    L_v = σ_v t_v + Σ_s a_vs u_vs with u_vs ≥ z_vs − t_v, u, t ≥ 0, where z_vs = x_v ∧ y_s.
 *    The function T ↦ min(σ_v, a_v(T)) is a truncated modular function, so a polymatroid rank function; its
 *    convex closure is its Lovász extension max{w·z : 0 ≤ w ≤ a, Σ w ≤ σ}, whose LP dual is exactly
 *    min{σ t + Σ a u : u + t ≥ z, u, t ≥ 0}. At a binary point the minimum over t ∈ {0, 1} is min(σ_v, a_v(A)),
 *    exact; in between it is the convex envelope, far tighter than a big-M switch.
 *  - **Upper side** (counted by the 'cost' and 'cascade' objectives, which push it up):
 *    U_v ≤ σ_v x_v and U_v ≤ Σ_s a_vs z_vs with z_vs ≤ x_v, z_vs ≤ y_s — the minimum of two linear functions is
 *    concave, so "≤ both" is exact when maximised.
 *
 * Any solution has U_v ≤ cost_v ≤ L_v, so the objective never overstates the cost and the validity row never
 * understates it; at the optimum both equal the exact cost. Operators allocated no more than their stake never
 * hit the σ_v cap, so they get neither t_v nor the σ_v row.
 */
import type { MipBuilder } from './mip.ts'

export type CostTerms = {
  /** Σ coef·col = the lower side of Σ_v cost_v. */
  lower: [number, number][]
  /** Σ coef·col = the upper side (only built when cost is maximised). */
  upper: [number, number][]
}

export type OperatorCostInput = {
  x: number
  stake: bigint
  /** The operator's services: their y column and its stake on each. */
  edges: { y: number; stake: bigint }[]
  scaled: (v: bigint) => number
  /** Cost is maximised somewhere ('cost', 'cascade'): build the upper side and B ⊆ N(A) too. */
  exact: boolean
}

/**
 * Adds the operator's cost columns and rows; returns, per edge, the column that counts its stake in that service's
 * threshold row: x_v for a whole-stake operator, else z_vs = x_v ∧ y_s (exact: z ≤ x, z ≤ y, z ≥ x + y − 1).
 * Counting z rather than x in the threshold is what keeps the LP honest with allocations: with x counted, half an
 * operator could half-attack every service while its cost, charged on x·y, stayed zero.
 */
export function addOperatorCost(
  b: MipBuilder,
  o: OperatorCostInput,
  terms: CostTerms,
  complete: ((values: Float64Array) => void)[],
): number[] {
  const sigma = o.scaled(o.stake)
  const { x } = o
  if (o.exact)
    // B ⊆ N(A): an operator only joins (and burns stake) if it secures an attacked service. When cost is
    // minimised this holds at the optimum anyway, and leaving the rows out keeps the LP smaller.
    b.addRow([[x, 1], ...o.edges.map((e) => [e.y, -1] as [number, number])], Number.NEGATIVE_INFINITY, 0)
  if (o.edges.every((e) => e.stake === o.stake)) {
    terms.lower.push([x, sigma])
    terms.upper.push([x, sigma])
    return o.edges.map(() => x)
  }
  const allocated = o.edges.reduce((a, e) => a + e.stake, 0n)
  const capped = allocated > o.stake
  const on = (v: Float64Array, col: number) => (v[col] ?? 0) > 0.5

  const z = o.edges.map((e) => {
    const zc = b.addVar(0, 0, 1, false)
    b.addRow(
      [
        [zc, 1],
        [x, -1],
      ],
      Number.NEGATIVE_INFINITY,
      0,
    )
    b.addRow(
      [
        [zc, 1],
        [e.y, -1],
      ],
      Number.NEGATIVE_INFINITY,
      0,
    )
    b.addRow(
      [
        [zc, 1],
        [x, -1],
        [e.y, -1],
      ],
      -1,
      Number.POSITIVE_INFINITY,
    )
    return zc
  })
  complete.push((v) => {
    z.forEach((zc, i) => {
      v[zc] = on(v, x) && on(v, o.edges[i]?.y ?? -1) ? 1 : 0
    })
  })
  const zTerms = z.map((zc, i) => [zc, o.scaled(o.edges[i]?.stake ?? 0n)] as [number, number])
  if (!capped) {
    // Never over-allocated: the σ_v cap never binds, cost = Σ a_vs z_vs exactly, both sides.
    terms.lower.push(...zTerms)
    terms.upper.push(...zTerms)
    return z
  }

  // Lower side: σ t + Σ a u with u + t ≥ z.
  const t = b.addVar(0, 0, 1, false)
  terms.lower.push([t, sigma])
  const u = z.map((zc, i) => {
    const uc = b.addVar(0, 0, 1, false)
    b.addRow(
      [
        [uc, 1],
        [t, 1],
        [zc, -1],
      ],
      0,
      Number.POSITIVE_INFINITY,
    )
    terms.lower.push([uc, zTerms[i]?.[1] ?? 0])
    return uc
  })
  const onA = (v: Float64Array) => o.edges.reduce((a, e) => (on(v, x) && on(v, e.y) ? a + e.stake : a), 0n)
  complete.push((v) => {
    const useCap = onA(v) > o.stake
    v[t] = useCap ? 1 : 0
    u.forEach((uc, i) => {
      v[uc] = !useCap && on(v, z[i] ?? -1) ? 1 : 0
    })
  })
  if (!o.exact) return z

  // Upper side: c ≤ σ x and c ≤ Σ a z.
  const c = b.addVar(0, 0, sigma, false)
  b.addRow(
    [
      [c, 1],
      [x, -sigma],
    ],
    Number.NEGATIVE_INFINITY,
    0,
  )
  b.addRow([[c, 1], ...zTerms.map(([col, a]) => [col, -a] as [number, number])], Number.NEGATIVE_INFINITY, 0)
  terms.upper.push([c, 1])
  complete.push((v) => {
    const held = onA(v)
    v[c] = o.scaled(held < o.stake ? held : o.stake)
  })
  return z
}
