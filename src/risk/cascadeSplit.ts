/**
 * The split β of cascadeBound.ts's cascadeSplitBound, read off an LP: for fixed cost shares, the knapsack over
 * services with the shock's credit linked to the attacked services,
 *
 *   max Σ_s π_s y_s  s.t.  Σ_s w_s y_s − Σ_{vs} κ_vs u_vs ≤ 0,  u_vs ≤ y_s,  u_vs ≤ d_v,  Σ_v σ_v d_v ≤ Ψ,
 *
 * all in [0, 1] (w_s = C_s − π_s, κ_vs the shock credits; the knapsack's −1 is left out, so y = 0 is always
 * feasible: a relaxation, and β is only a guess anyway). With p_vs and q_vs the duals of u_vs ≤ y_s and u_vs ≤ d_v,
 * β_vs = p_vs / (p_vs + q_vs) is the split at which this LP and the split knapsack meet (LP duality). Proves
 * nothing: cascadeSplitBound is valid for any β, and only its exact value is reported; a float error or a solver
 * failure only loses tightness (null: no split).
 */
import { coverExcess, SPLIT_DEN, shockEdgeCredits } from './cascadeBound.ts'
import type { CostShares } from './costShare.ts'
import { loadHighs } from './mip.ts'
import { type Network, totalStake } from './network.ts'

export async function findShockSplit(
  n: Network,
  shares: CostShares,
  budget: bigint,
  timeLimitSeconds: number,
): Promise<bigint[][] | null> {
  if (timeLimitSeconds <= 0) return null
  const highs = await loadHighs()
  const total = Number(totalStake(n))
  if (!(total > 0) || !Number.isFinite(total)) return null
  // amounts over σ(V); share units are shares.unit / den amounts
  const perShare = Number(shares.unit) / Number(shares.den) / total
  const kappa = shockEdgeCredits(n, shares)
  const excess = coverExcess(n, shares)
  const S = n.services.length
  const V = n.operators.length
  // columns: y_s (0 … S−1), d_v (S … S+V−1), then one u per edge with κ > 0
  const cost: number[] = n.services.map((s) => Number(s.profit) / total)
  for (let v = 0; v < V; v++) cost.push(0)
  const edges: { si: number; k: number; col: number }[] = []
  n.services.forEach((s, si) => {
    s.members.forEach((_, k) => {
      if ((kappa[si]?.[k] ?? 0n) > 0n) {
        edges.push({ si, k, col: cost.length })
        cost.push(0)
      }
    })
  })
  const starts = [0]
  const indices: number[] = []
  const values: number[] = []
  const rowLower: number[] = []
  const rowUpper: number[] = []
  const row = (entries: [number, number][], lo: number, hi: number) => {
    for (const [c, x] of entries) {
      indices.push(c)
      values.push(x)
    }
    starts.push(indices.length)
    rowLower.push(lo)
    rowUpper.push(hi)
  }
  const inf = highs.infinity
  row(
    n.operators.map((o, v) => [S + v, Number(o.stake) / total]),
    -inf,
    Number(budget) / total,
  )
  const knap: [number, number][] = n.services.map((_, si) => [si, Number(excess[si] ?? 0n) * perShare])
  for (const e of edges) knap.push([e.col, -Number(kappa[e.si]?.[e.k] ?? 0n) * perShare])
  row(knap, -inf, 0)
  const first = rowLower.length // rows 2i: u ≤ y, 2i + 1: u ≤ d
  for (const e of edges) {
    const v = n.services[e.si]?.members[e.k] as number
    row(
      [
        [e.col, 1],
        [e.si, -1],
      ],
      -inf,
      0,
    )
    row(
      [
        [e.col, 1],
        [S + v, -1],
      ],
      -inf,
      0,
    )
  }
  const numCols = cost.length
  const numRows = rowLower.length
  if (!cost.every(Number.isFinite) || !values.every(Number.isFinite)) return null
  const model = highs.createModel()
  try {
    model.passModel({
      numCols,
      numRows,
      sense: highs.constants.objectiveSense.maximize,
      colCost: cost,
      colLower: new Float64Array(numCols),
      colUpper: new Float64Array(numCols).fill(1),
      rowLower,
      rowUpper,
      matrix: { format: 'csr', numRows, numCols, starts, indices, values },
    })
    model.options.set({ output_flag: false, time_limit: timeLimitSeconds })
    model.run()
    if (model.getModelStatus() !== highs.constants.modelStatus.optimal) return null
    const dual = model.getSolution().rowDual
    const split = n.services.map((s) => s.members.map(() => 0n))
    edges.forEach((e, i) => {
      const p = Math.abs(dual[first + 2 * i] ?? 0)
      const q = Math.abs(dual[first + 2 * i + 1] ?? 0)
      if (!(p > 0) || !Number.isFinite(p + q)) return
      const b = Math.round((p / (p + q)) * Number(SPLIT_DEN))
      const at = split[e.si]
      if (at) at[e.k] = BigInt(Math.min(Number(SPLIT_DEN), Math.max(0, b)))
    })
    return split
  } catch {
    return null
  } finally {
    model.dispose()
  }
}
