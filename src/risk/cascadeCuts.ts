/**
 * The cost-share bound of cascadeBound.ts as valid inequalities of the cascade MIP (attackModel.ts), so that
 * HiGHS's LP, which scales every threshold down with a fractional y_s, sees it too:
 *
 *   Σ_s (C_s − π_s) y_s ≤ Σ_v ρ_v d_v,   ρ_v = Σ_s κ_vs ≤ Σ_s α_s λ_vs (the shock's credit, cascadeBound.ts),
 *
 * valid at every valid (D, A, B) — Σ_{s∈A} C_s ≤ cost(B) + ρ(D) and cost(B) < π(A) (cascadeBound.ts) — and at the
 * empty attack (0 ≤ ρ(D)). (A row cost(B) ≤ π(A) on the objective's side of the cost, which would hold the LP's
 * objective to the knapsack's, was tried: it left hard 200 × 50 seed 2 open at a gap of one unit for 9 s where
 * HiGHS proves it in 1.2 s without.) Coefficients
 * go to the solver in the model's scale (amounts over the largest one), C_s − π_s rounded down and ρ_v up, so a
 * cut never removes a valid point; the answers are re-checked exactly anyway (search.ts).
 */
import type { AttackModel } from './attackModel.ts'
import { coverExcess, shockShares } from './cascadeBound.ts'
import type { CostShares } from './costShare.ts'
import type { Network } from './network.ts'
import { rat, toNumber } from './rational.ts'

/** 2^-45 relative: more than toNumber's error (2^-50), so each coefficient errs on the safe side. */
const SAFE = 2 ** -45

export function addCascadeCuts(n: Network, model: AttackModel, cuts: CostShares[]): void {
  for (const shares of cuts) {
    // share units are shares.unit / den amounts; the model's unit is its own largest amount
    const toModel = (x: bigint) => toNumber(rat(x * shares.unit, shares.den * model.unit))
    const row: [number, number][] = []
    coverExcess(n, shares).forEach((w, si) => {
      const c = toModel(w)
      row.push([model.y[si] as number, c - Math.abs(c) * SAFE])
    })
    shockShares(n, shares).forEach((r, v) => {
      const col = model.d[v] ?? -1
      if (col >= 0 && r > 0n) row.push([col, -toModel(r) * (1 + SAFE)])
    })
    model.builder.addRow(row, Number.NEGATIVE_INFINITY, 0)
  }
}
