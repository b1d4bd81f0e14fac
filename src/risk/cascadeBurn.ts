/**
 * The most stake a cascade can burn at all, whatever it attacks — an exact (bigint) upper bound on R_ψ·σ(V) that
 * the cost shares' bound (cascadeBound.ts) does not see, and the cascade that meets it when the profits allow.
 *
 * With allocations an operator in B forfeits cost_v = min(σ_v, a_v(A)) ≤ c_v = min(σ_v, a_v(S)), S every service:
 * an operator that allocates less than its stake can never lose all of it to an attack, only to the shock. For a
 * shock D (σ(D) ≤ Ψ) and an attack (A, B) valid after it (B ∩ D = ∅):
 *
 *   σ(D) + cost(B) ≤ σ(D) + Σ_{v∉D} c_v = Σ_v c_v + Σ_{v∈D} g_v,   g_v = σ_v − c_v ≥ 0,
 *
 * so R_ψ σ(V) ≤ Σ_v c_v + K, K = max{g(D) : σ(D) ≤ Ψ} (a 0/1 knapsack; the shock alone is covered too: σ(D) ≤
 * Σ c + g(D)). In the paper's model c_v = σ_v for every listed operator and the bound is σ(V) less what no shock can
 * take of the unlisted ones. Where the profits are large (the bench's typical regime: Σ π above σ(V)), the bound is
 * met: attack every service with every operator outside D. Each threshold then holds whatever D is
 * (a(N(s) \ D) ≥ α_s (σ(N(s)) − a(D ∩ N(s))) for α_s ≤ 1), the loss is exactly Σ c + g(D), and the attack is valid
 * when Σ_{v∉D} c_v ≤ π(S) − 1. With D the knapsack's optimum that is R_ψ, proven exactly.
 *
 * K is solved exactly by dynamic programming over the budget when that is small enough (stakes divided by their
 * greatest common divisor); otherwise bounded by the fractional knapsack, its part rounded down (K is whole).
 */
import type { Network } from './network.ts'
import { operatorServices, totalStake } from './network.ts'
import { gcd } from './rational.ts'
import { type Attack, attackCost, isValidAttack, normalizeAttack } from './verify.ts'

/** Past this many DP cells (items × budget steps) the knapsack is bounded by its LP instead. */
const MAX_CELLS = 20_000_000
/**
 * Past this many budget steps too: the DP holds one float per step (8 bytes), so a few items over a budget of 10^7
 * steps took 100 MB within MAX_CELLS; this keeps it at 16 MB.
 */
const MAX_STEPS = 2_000_000n

export type BurnBound = {
  /** Σ c_v + K (or its fractional bound), never above σ(V): an upper bound on R_ψ σ(V), amount units. */
  bound: bigint
  /** A shock within the budget with g(D) = K when `exact` (else the LP's whole items: g(D) ≤ K). */
  shock: number[]
  /** Whether K was solved exactly (then Σ c + g(shock) = bound). */
  exact: boolean
}

/** c_v = min(σ_v, Σ_s a_vs): the most an attack can ever charge operator v. */
export function burnCaps(n: Network): bigint[] {
  return operatorServices(n).map((es, v) => {
    const own = n.operators[v]?.stake ?? 0n
    let on = 0n
    for (const e of es) on += e.stake
    return on < own ? on : own
  })
}

/**
 * Σ c_v + max{Σ_{v∈D} g_v : σ(D) ≤ Ψ}. `maxCells` (tests) moves the switch to the knapsack's LP; `wrong` is for the
 * tests' mutant only ('noShockGain': the shock's gain left out, as if D could burn no stake an attack could not).
 */
export function burnBound(
  n: Network,
  budget: bigint,
  opts: { maxCells?: number; wrong?: 'noShockGain' } = {},
): BurnBound {
  const maxCells = BigInt(opts.maxCells ?? MAX_CELLS)
  const caps = burnCaps(n)
  const total = totalStake(n)
  const base = caps.reduce((a, c) => a + c, 0n)
  const stake = (v: number) => n.operators[v]?.stake ?? 0n
  // Items: operators whose shock gains something (g_v > 0, hence σ_v > 0).
  const items = n.operators.map((_, v) => v).filter((v) => stake(v) > (caps[v] ?? 0n))
  const gain = (v: number) => stake(v) - (caps[v] ?? 0n)
  const done = (k: bigint, shock: number[], exact: boolean): BurnBound => {
    const b = base + (opts.wrong === 'noShockGain' ? 0n : k)
    return { bound: b < total ? b : total, shock, exact }
  }
  if (budget < 0n || items.length === 0) return done(0n, [], true)
  let all = 0n
  for (const v of items) all += stake(v)
  if (all <= budget)
    return done(
      items.reduce((a, v) => a + gain(v), 0n),
      items,
      true,
    )
  // Exact 0/1 knapsack by DP over the budget in steps of the stakes' gcd (every σ(D) is a multiple of it).
  let g = 0n
  for (const v of items) g = gcd(g, stake(v))
  const cap = budget / g
  const gainSum = items.reduce((a, v) => a + gain(v), 0n)
  if (
    cap < MAX_STEPS &&
    BigInt(items.length) * (cap + 1n) <= maxCells &&
    gainSum <= BigInt(Number.MAX_SAFE_INTEGER)
  ) {
    const C = Number(cap)
    // best[c]: the largest gain of a subset of the items so far weighing at most c (integers below 2^53: exact)
    const best = new Float64Array(C + 1)
    const keep = new Uint8Array(items.length * (C + 1))
    items.forEach((v, i) => {
      const w = Number(stake(v) / g)
      const p = Number(gain(v))
      for (let c = C; c >= w; c--) {
        const with_ = (best[c - w] as number) + p
        if (with_ > (best[c] as number)) {
          best[c] = with_
          keep[i * (C + 1) + c] = 1
        }
      }
    })
    const shock: number[] = []
    let c = C
    for (let i = items.length - 1; i >= 0; i--) {
      if (keep[i * (C + 1) + c]) {
        const v = items[i] as number
        shock.push(v)
        c -= Number(stake(v) / g)
      }
    }
    return done(BigInt(best[C] as number), shock.reverse(), true)
  }
  // The LP: by g_v / σ_v, highest first (cross-multiplied), the first that does not fit in part, rounded down.
  const order = [...items].sort((v, w) => {
    const d = gain(w) * stake(v) - gain(v) * stake(w)
    return d < 0n ? -1 : d > 0n ? 1 : 0
  })
  let room = budget
  let k = 0n
  const shock: number[] = []
  for (const v of order) {
    if (stake(v) <= room) {
      k += gain(v)
      room -= stake(v)
      shock.push(v)
    } else {
      k += (gain(v) * room) / stake(v) // floor: K is a whole number of units
      break
    }
  }
  return done(k, shock, false)
}

/**
 * The cascade that meets the bound when the profits allow: the burn bound's shock, every service attacked by every
 * operator outside it. Null when that attack is not valid (Σ_{v∉D} c_v ≥ π(S)) or the network has no service.
 * Checked exactly; value = σ(D) + cost(B).
 */
export function burnCascade(
  n: Network,
  shock: readonly number[],
): { shock: number[]; attack: Attack; value: bigint } | null {
  if (n.services.length === 0) return null
  const inD = new Set(shock)
  const byOp = operatorServices(n)
  const operators = n.operators.map((_, v) => v).filter((v) => !inD.has(v) && (byOp[v]?.length ?? 0) > 0)
  const attack = normalizeAttack(n, { services: n.services.map((_, s) => s), operators })
  if (!isValidAttack(n, attack, inD)) return null
  const lost = shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
  return { shock: [...shock], attack, value: lost + attackCost(n, attack, byOp) }
}
