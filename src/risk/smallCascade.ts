/**
 * R_ψ of a small network by exhaustive search in bigint: every attacked set A, and for each a depth-first search
 * giving every operator a part — shocked (D), in the coalition (B, only members of N(A)) or neither. A dashboard's
 * devnet (8 operators × 2 services) takes a few thousand nodes, well under a millisecond of work, where the MIP
 * took HiGHS 0.2–1 s per ψ; the answer is exact, not within the solver's tolerances. Returns null when the network
 * is too large for that (the caller then uses the MIP): the search gives up past a node budget.
 */
import { SuretyError } from '../errors.ts'
import { shockBudget } from './cascadeBound.ts'
import { type Network, operatorServices, totalStake } from './network.ts'
import type { Rational } from './rational.ts'
import { type Attack, isValidAttack } from './verify.ts'

export type SmallCascade = {
  /** σ(D) + cost(B) of the best shock and attack, in amount units: the maximum, exactly. */
  value: bigint
  shock: number[]
  /** null when the best is the shock alone (no valid attack adds to it). */
  attack: Attack | null
}

/** Past this many search nodes the enumeration is abandoned (about 0.1–0.3 s of bigint work). */
const MAX_NODES = 200_000
/** Networks beyond these sizes never try: 2^12 attacked sets, or 3^20 assignments per set, cannot finish. */
const MAX_SERVICES = 12
const MAX_OPERATORS = 20

/** min of two bigints (Math.min takes numbers only). */
const smaller = (a: bigint, b: bigint): bigint => (b < a ? b : a)

export function smallCascade(n: Network, psi: Rational, maxNodes = MAX_NODES): SmallCascade | null {
  const nOps = n.operators.length
  const nSvc = n.services.length
  if (nSvc > MAX_SERVICES || nOps > MAX_OPERATORS) return null
  const total = totalStake(n)
  // σ(D) ≤ ψ σ(V) ⇔ σ(D) ≤ ⌊ψ σ(V)⌋ for integer σ(D): one comparison per node, no division after this.
  const budget = shockBudget(n, psi)
  const stake = n.operators.map((o) => o.stake)
  const byOp = operatorServices(n)
  let nodes = 0
  let best: SmallCascade = { value: -1n, shock: [], attack: null }

  for (let mask = 0; mask < 1 << nSvc; mask++) {
    const A: number[] = []
    for (let s = 0; s < nSvc; s++) if (mask & (1 << s)) A.push(s)
    const inA = (s: number) => (mask & (1 << s)) !== 0
    let profit = 0n
    for (const s of A) profit += n.services[s]?.profit ?? 0n
    // An attack must net more than 0: with A non-empty, cost(B) ≤ π(A) − 1. (A = ∅ is the shock alone.)
    if (A.length > 0 && profit <= 0n) continue
    const costCap = A.length > 0 ? profit - 1n : 0n
    // Per operator: cost if in B (min(σ_v, its stake on A)), and its stake on each s in A (slot = index in A).
    const cost = stake.map((own, v) => {
      let onA = 0n
      for (const e of byOp[v] ?? []) if (inA(e.service)) onA += e.stake
      return onA < own ? onA : own
    })
    const onSlot: { slot: number; stake: bigint }[][] = byOp.map((es) =>
      es.flatMap((e) => (inA(e.service) ? [{ slot: A.indexOf(e.service), stake: e.stake }] : [])),
    )
    // Members of N(A) first, largest stake first (they decide the thresholds), then the rest (D or nothing).
    const order = stake
      .map((_, v) => v)
      .sort((x, y) => {
        const mx = onSlot[x]?.length ? 1 : 0
        const my = onSlot[y]?.length ? 1 : 0
        if (mx !== my) return my - mx
        const sx = stake[x] ?? 0n
        const sy = stake[y] ?? 0n
        return sx > sy ? -1 : sx < sy ? 1 : 0
      })
    const num = A.map((s) => n.services[s]?.threshold.num ?? 1n)
    const den = A.map((s) => n.services[s]?.threshold.den ?? 1n)
    const full = A.map((s) => n.services[s]?.memberStake.reduce((a, b) => a + b, 0n) ?? 0n)
    const held = A.map(() => 0n)
    const removed = A.map(() => 0n)
    // What the undecided members of each service still hold, and the undecided stake and coalition cost overall.
    const undecided = [...full]
    let undecidedStake = total
    let undecidedCost = cost.reduce((a, b) => a + b, 0n)
    const part = new Uint8Array(nOps) // 0 neither, 1 shock, 2 coalition

    const feasible = (): boolean => {
      // Optimistically every undecided member joins B (which helps a threshold more than leaving it: α ≤ 1).
      for (let k = 0; k < A.length; k++)
        if (
          ((held[k] ?? 0n) + (undecided[k] ?? 0n)) * (den[k] ?? 1n) <
          (num[k] ?? 1n) * ((full[k] ?? 0n) - (removed[k] ?? 0n))
        )
          return false
      return true
    }
    let aborted = false
    const dfs = (i: number, lost: bigint, paid: bigint): void => {
      if (aborted) return
      if (++nodes > maxNodes) {
        aborted = true
        return
      }
      // The most this branch can reach: the shock within the budget, the coalition's cost within π(A) − 1.
      if (smaller(lost + undecidedStake, budget) + smaller(paid + undecidedCost, costCap) <= best.value)
        return
      if (!feasible()) return
      if (i === order.length) {
        const shock: number[] = []
        const coalition: number[] = []
        for (let v = 0; v < nOps; v++) {
          if (part[v] === 1) shock.push(v)
          else if (part[v] === 2) coalition.push(v)
        }
        best = {
          value: lost + paid,
          shock,
          attack: A.length > 0 ? { services: A, operators: coalition } : null,
        }
        return
      }
      const v = order[i] as number
      const sv = stake[v] ?? 0n
      const cv = cost[v] ?? 0n
      const slots = onSlot[v] ?? []
      undecidedStake -= sv
      undecidedCost -= cv
      for (const e of slots) undecided[e.slot] = (undecided[e.slot] ?? 0n) - e.stake
      // In the coalition (a member of N(A) only), within the cost cap.
      if (slots.length > 0 && paid + cv <= costCap) {
        part[v] = 2
        for (const e of slots) held[e.slot] = (held[e.slot] ?? 0n) + e.stake
        dfs(i + 1, lost, paid + cv)
        for (const e of slots) held[e.slot] = (held[e.slot] ?? 0n) - e.stake
      }
      // Shocked, within the budget.
      if (lost + sv <= budget) {
        part[v] = 1
        for (const e of slots) removed[e.slot] = (removed[e.slot] ?? 0n) + e.stake
        dfs(i + 1, lost + sv, paid)
        for (const e of slots) removed[e.slot] = (removed[e.slot] ?? 0n) - e.stake
      }
      part[v] = 0
      dfs(i + 1, lost, paid)
      undecidedStake += sv
      undecidedCost += cv
      for (const e of slots) undecided[e.slot] = (undecided[e.slot] ?? 0n) + e.stake
    }
    dfs(0, 0n, 0n)
    if (aborted) return null
  }
  // Re-checked from the definitions (verify.ts), apart from the search's own arithmetic.
  const lost = best.shock.reduce((a, v) => a + (stake[v] ?? 0n), 0n)
  if (lost * psi.den > psi.num * total)
    throw new SuretyError('the exhaustive cascade search returned a shock over budget')
  if (best.attack && !isValidAttack(n, best.attack, new Set(best.shock)))
    throw new SuretyError('the exhaustive cascade search returned an invalid attack')
  return best
}
