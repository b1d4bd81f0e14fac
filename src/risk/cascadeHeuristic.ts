/**
 * A primal heuristic for the worst-case cascade: a shock D (σ(D) ≤ Ψ) and an attack (A, B) valid after it, with
 * σ(D) + cost(B) as large as it finds. The bound (cascadeBound.ts) is Ψ + π(A) − 1, so the aim is a shock that
 * fills the budget to the unit and an attack that burns all but one unit of its profit:
 *
 *  1. Open services greedily. For each service not yet attacked, the cheapest way to reach its threshold after the
 *     current shock, three ways (shock its largest members first, then buy; buy the cheapest first, then shock;
 *     buy only), and the one using least stake (shock budget plus coalition cost) is its plan. The service whose
 *     plan costs least beyond its own profit is added, while the shock stays within Ψ and π(A) > cost(B).
 *  2. Fill the shock to Ψ with operators outside B (a subset sum: largest stake first, then swaps), those outside
 *     N(A) first: a shock only lowers thresholds, so the attack stays valid.
 *  3. Pad B with N(A)'s other members, most expensive first, while cost(B) ≤ π(A) − 1 (or π(A) − a margin, for a
 *     start the solver must accept within its validity margin).
 *  4. With allocations: services added to the best set (or swapped in), each set planned jointly (cascadeLocal.ts).
 *
 * Planning is in floats; every result is checked exactly (isValidAttack, the budget in bigint) and one that fails
 * is not used. Also tried: the given start (the largest attack, D = ∅) with its shock filled, and the shock alone.
 * Tried and dropped: top-down (attack every service with every operator, shock the members whose loss costs the
 * thresholds least slack, delete the most expensive spare members, drop the services holding the dearest member when
 * stuck; members deleted most expensive first, or most cost per unit of slack used) — on hard 1,000 × 100 seed 1 it
 * stalls at a coalition costing 36k against π(A) 30k, even from the solver's own shock, where the solver finds
 * R = 0.68 (97 services, 586 operators costing 29,274 against π(A) 29,275); there the solver's answer is kept.
 */
import { addServices } from './cascadeLocal.ts'
import { repairWithShock, shockCoverPlans } from './cascadeShockCover.ts'
import { type Network, operatorServices } from './network.ts'
import { type Attack, attackCost, isValidAttack, normalizeAttack } from './verify.ts'

export type CascadeCandidate = { shock: number[]; attack: Attack | null; value: bigint }

/** Candidates by value, largest first (bigints: no subtraction to a number). */
const byValueDesc = (a: CascadeCandidate, b: CascadeCandidate): number =>
  b.value > a.value ? 1 : b.value < a.value ? -1 : 0

type State = {
  inA: Uint8Array
  inB: Uint8Array
  inD: Uint8Array
  onA: Float64Array
  shock: number
  cost: number
}

/**
 * The best shock and attack found (value = σ(D) + cost(B), exact): `best` pads B to π(A) − 1 (the definition),
 * `forSolver` to π(A) − `solverMargin`, a start the solver accepts within its validity margin.
 */
export function cascadeStart(
  n: Network,
  budget: bigint,
  opts: {
    start?: Attack | null
    solverMargin?: bigint
    deadline?: number
    /** The local step after the openings, with allocations (cascadeLocal.ts): false turns it off. */
    local?: boolean
    /** The shock chosen with the coalition (cascadeShockCover.ts): its deadline (default `deadline`), or off. */
    shockCover?: number | false
  } = {},
): { best: CascadeCandidate; forSolver: CascadeCandidate } {
  const solverMargin = opts.solverMargin !== undefined && opts.solverMargin > 1n ? opts.solverMargin : 1n
  const byOp = operatorServices(n)
  const best: CascadeCandidate[] = []
  const forSolver: CascadeCandidate[] = []
  const finish = (services: number[], operators: number[], shock: number[], toSolver = true): void => {
    const base = services.length > 0 ? normalizeAttack(n, { services, operators }) : null
    if (base && !isValidAttack(n, base, new Set(shock))) return
    const inB = new Set(base?.operators ?? [])
    const members = new Set<number>()
    for (const s of services) for (const v of n.services[s]?.members ?? []) members.add(v)
    const D = fillShock(n, budget, shock, inB, members)
    const lost = D.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
    if (lost > budget) return
    for (const [margin, out] of [
      [1n, best],
      ...(toSolver ? ([[solverMargin, forSolver]] as const) : []),
    ] as const) {
      const attack = base && padAttack(n, base, new Set(D), margin, byOp)
      if (attack && !isValidAttack(n, attack, new Set(D))) continue
      out.push({ shock: D, attack, value: lost + (attack ? attackCost(n, attack, byOp) : 0n) })
    }
  }
  finish([], [], [])
  if (opts.start && isValidAttack(n, opts.start)) finish(opts.start.services, opts.start.operators, [])
  const g = greedyOpen(n, budget, byOp, opts.deadline)
  finish(g.services, g.operators, g.shock)
  // Again with the plan's stake per unit of profit as the criterion: with allocations it opens larger attacks
  // (boundary and hard 1,000 × 100: π(A) 306–1,010 → 887–1,562 tokens, R_ψ up 0.8–1.8 points). Reported when best,
  // but not the solver's start: from it HiGHS missed hard whole-stake 1,000 × 100 seed 1's large cascade (R_ψ 0.157
  // found against 0.680 from the first criterion's start, 10 s, quiet machine) — its path depends on the start.
  const r = greedyOpen(n, budget, byOp, opts.deadline, true)
  finish(r.services, r.operators, r.shock, false)
  // Then, with allocations, services added to the best attack found (and swapped for more profitable ones), each
  // set planned afresh as a whole (cascadeLocal.ts); a plan counts only once finish() has checked it exactly. Not
  // the solver's start (as the second run). 1,000 × 100, R_ψ of the start, seeds 1–3: hard 0.1287, 0.1283, 0.1302 →
  // 0.1373, 0.1380, 0.1393; boundary 0.1183, 0.1196, 0.1148 → 0.1227, 0.1218, 0.1232 (0.06–0.2 CPU-s more). Whole
  // stake it gains too (hard seeds 1 and 3 0.157 → 0.166, 0.187 given 2–4 s) but takes the time HiGHS needs there
  // (its start's 5% of the limit): not without allocations yet.
  const bestOf = () => [...best].sort(byValueDesc)[0]
  const local = (from: CascadeCandidate | undefined) => {
    if (from?.attack && n.hasAllocations && opts.local !== false)
      addServices(
        n,
        from.attack.services,
        Number(budget),
        (services, plan) => {
          const before = best.length
          finish(services, plan.buy, plan.shock, false)
          return best.length > before
        },
        { deadline: opts.deadline, byOp },
      )
  }
  const openings = bestOf()
  local(openings)
  // The shock chosen with the coalition (cascadeShockCover.ts): the hard regime's "attack almost everything" cascades.
  // Its floor is the openings' best, and the local step runs from its cascade too when that beats them: so the start
  // is never below the openings' with the local step (run from the stage's cascade alone, before this review, it
  // ended lower on 9 of 4,500 small runs with allocations: a network where the stage's 180 stayed 180 but the
  // openings' 152 led to 198 = R_ψ), nor below the stage's with it. Reported when best, but not the solver's start:
  // from it HiGHS took 4.1 and 8.5 s to prove hard whole-stake 200 × 50 seeds 1 and 2 (its optimum within a unit of
  // this start) against 2.2 and 3.7 s from the first opening's.
  if (opts.shockCover !== false) {
    const floor = openings?.value ?? 0n
    const before = best.length
    for (const plan of shockCoverPlans(n, budget, { deadline: opts.shockCover ?? opts.deadline, floor })) {
      const shock = new Set(plan.shock)
      const a = repairWithShock(n, { services: plan.services, operators: plan.operators }, shock)
      finish(a.services, a.operators, plan.shock, false)
    }
    const mine = best.slice(before).sort(byValueDesc)[0]
    if (mine && (!openings || mine.value > openings.value)) local(mine)
  }
  const top = (c: CascadeCandidate[]) =>
    c.sort(byValueDesc)[0] ?? {
      shock: [],
      attack: null,
      value: 0n,
    }
  return { best: top(best), forSolver: top(forSolver) }
}

/**
 * Step 1 (floats): services opened one at a time, the cheapest beyond its profit first (or, `perProfit`, the least
 * stake used per unit of profit first).
 */
function greedyOpen(
  n: Network,
  budget: bigint,
  byOp: { service: number; stake: bigint }[][],
  deadline = Number.POSITIVE_INFINITY,
  perProfit = false,
): { services: number[]; operators: number[]; shock: number[] } {
  const V = n.operators.length
  const S = n.services.length
  const sigma = Float64Array.from(n.operators, (o) => Number(o.stake))
  const alpha = Float64Array.from(n.services, (s) => Number(s.threshold.num) / Number(s.threshold.den))
  const st: State = {
    inA: new Uint8Array(S),
    inB: new Uint8Array(V),
    inD: new Uint8Array(V),
    onA: new Float64Array(V),
    shock: 0,
    cost: 0,
  }
  const psi = Number(budget)
  let profit = 0
  const banned = new Uint8Array(S)
  const pick = (m: Uint8Array) => [...m.keys()].filter((i) => m[i])
  // Each round tries every service: stopped at the deadline (what is open so far is still a valid answer).
  while (performance.now() < deadline) {
    let best: { s: number; plan: Plan; net: number } | null = null
    for (let s = 0; s < S; s++) {
      if (st.inA[s] || banned[s]) continue
      const svc = n.services[s]
      if (!svc) continue
      const plan = planFor(svc, st, sigma, alpha[s] as number, psi - st.shock, profit)
      if (!plan) continue
      const used = plan.shockUsed + plan.extraCost
      const net = perProfit
        ? used / Math.max(Number(svc.profit), Number.MIN_VALUE)
        : used - Number(svc.profit)
      if (!best || net < best.net) best = { s, plan, net }
    }
    if (!best) break
    const svc = n.services[best.s]
    if (!svc) break
    const saved = {
      inB: st.inB.slice(),
      inD: st.inD.slice(),
      onA: st.onA.slice(),
      shock: st.shock,
      cost: st.cost,
    }
    st.inA[best.s] = 1
    for (const v of best.plan.shock) {
      st.inD[v] = 1
      st.shock += sigma[v] as number
    }
    for (const v of best.plan.buy) st.inB[v] = 1
    svc.members.forEach((v, k) => {
      st.onA[v] = (st.onA[v] as number) + Number(svc.memberStake[k] ?? 0n)
    })
    // Checked exactly at every step: a float plan at the edge that fails is undone and the service not tried again.
    const D = pick(st.inD)
    const lost = D.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
    const attack = normalizeAttack(n, { services: pick(st.inA), operators: pick(st.inB) })
    if (lost > budget || !isValidAttack(n, attack, new Set(D))) {
      st.inA[best.s] = 0
      Object.assign(st, saved)
      banned[best.s] = 1
      continue
    }
    profit += Number(svc.profit)
    st.cost = Number(attackCost(n, attack, byOp))
  }
  return { services: pick(st.inA), operators: pick(st.inB), shock: pick(st.inD) }
}

type Plan = { shock: number[]; buy: number[]; shockUsed: number; extraCost: number }

/**
 * The cheapest of three ways to open service s from the current state (floats), or null when none fits the shock
 * budget left and the profit slack (π(A) + π_s − 1 − cost(B) with s added).
 */
function planFor(
  svc: Network['services'][number],
  st: State,
  sigma: Float64Array,
  alpha: number,
  room: number,
  profit: number,
): Plan | null {
  let total = 0
  let removed = 0
  let held = 0
  let raise = 0 // what B's members already in the coalition pay more once s is attacked
  const free: { v: number; a: number; cost: number }[] = []
  svc.members.forEach((v, k) => {
    const a = Number(svc.memberStake[k] ?? 0n)
    total += a
    if (st.inD[v]) removed += a
    else if (st.inB[v]) {
      held += a
      raise +=
        Math.min(sigma[v] as number, (st.onA[v] as number) + a) -
        Math.min(sigma[v] as number, st.onA[v] as number)
    } else if (a > 0) free.push({ v, a, cost: Math.min(sigma[v] as number, (st.onA[v] as number) + a) })
  })
  const need = alpha * (total - removed) - held
  const slack = profit + Number(svc.profit) - 1 - st.cost - raise
  if (slack < 0) return null
  if (need <= 0) return { shock: [], buy: [], shockUsed: 0, extraCost: raise }
  const byShock = [...free].sort(
    (x, y) => y.a / (sigma[y.v] as number) - x.a / (sigma[x.v] as number) || y.a - x.a,
  )
  const byPrice = [...free].sort((x, y) => x.cost / x.a - y.cost / y.a)
  const plans: Plan[] = []
  const tryPlan = (shockFirst: boolean, allowShock: boolean) => {
    let r = need
    let q = room
    let c = 0
    const shock: number[] = []
    const buy: number[] = []
    const used = new Set<number>()
    const doShock = () => {
      for (const m of byShock) {
        if (r <= 0) break
        const sv = sigma[m.v] as number
        if (used.has(m.v) || sv > q) continue
        used.add(m.v)
        shock.push(m.v)
        q -= sv
        r -= alpha * m.a
      }
    }
    const doBuy = (limit: number) => {
      for (const m of byPrice) {
        if (r <= 0) break
        if (used.has(m.v) || c + m.cost > limit) continue
        used.add(m.v)
        buy.push(m.v)
        c += m.cost
        r -= m.a
      }
    }
    if (shockFirst) {
      doShock()
      doBuy(slack)
    } else {
      doBuy(slack)
      if (allowShock) doShock()
    }
    if (r <= 0) plans.push({ shock, buy, shockUsed: room - q, extraCost: raise + c })
  }
  tryPlan(true, true)
  tryPlan(false, true)
  tryPlan(false, false)
  plans.sort((x, y) => x.shockUsed + x.extraCost - (y.shockUsed + y.extraCost))
  return plans[0] ?? null
}

/**
 * Step 2 (exact): adds operators outside B to the shock while it stays within the budget — outside `members`
 * (N(A)) first, largest stake first — then a few one-for-one swaps that bring it closer to the budget.
 */
export function fillShock(
  n: Network,
  budget: bigint,
  shock: number[],
  inB: ReadonlySet<number>,
  members: ReadonlySet<number>,
): number[] {
  const inD = new Set(shock)
  let lost = shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
  const stake = (v: number) => n.operators[v]?.stake ?? 0n
  const pool = n.operators
    .map((_, v) => v)
    .filter((v) => !inD.has(v) && !inB.has(v))
    .sort((x, y) => {
      const mx = members.has(x) ? 1 : 0
      const my = members.has(y) ? 1 : 0
      if (mx !== my) return mx - my
      return stake(y) > stake(x) ? 1 : stake(y) < stake(x) ? -1 : 0
    })
  for (const v of pool) {
    if (lost + stake(v) <= budget) {
      inD.add(v)
      lost += stake(v)
    }
  }
  // Swaps: replace a shocked operator (not one the caller's plan shocked) by one outside whose stake is larger by
  // at most what is left of the budget, the largest such gain first, a few rounds.
  const fixed = new Set(shock)
  for (let round = 0; round < 5 && lost < budget; round++) {
    const room = budget - lost
    const outside = pool.filter((v) => !inD.has(v))
    const byStake = new Map<bigint, number>()
    for (const v of outside) if (!byStake.has(stake(v))) byStake.set(stake(v), v)
    let bestGain = 0n
    let swap: [number, number] | null = null
    for (const u of inD) {
      if (fixed.has(u)) continue
      for (const [sw, w] of byStake) {
        const gain = sw - stake(u)
        if (gain > bestGain && gain <= room) {
          bestGain = gain
          swap = [u, w]
        }
      }
      if (bestGain === room) break
    }
    if (!swap) break
    inD.delete(swap[0])
    inD.add(swap[1])
    lost += bestGain
  }
  return [...inD].sort((x, y) => x - y)
}

/** Step 3 (exact): N(A)'s other members outside the shock join B, most expensive first, within π(A) − margin. */
function padAttack(
  n: Network,
  a: Attack,
  shock: ReadonlySet<number>,
  margin: bigint,
  byOp: { service: number; stake: bigint }[][],
): Attack {
  const inA = new Set(a.services)
  const inB = new Set(a.operators)
  const profit = a.services.reduce((x, s) => x + (n.services[s]?.profit ?? 0n), 0n)
  const costOf = (v: number) => {
    let onA = 0n
    for (const e of byOp[v] ?? []) if (inA.has(e.service)) onA += e.stake
    const own = n.operators[v]?.stake ?? 0n
    return onA < own ? onA : own
  }
  let cost = attackCost(n, a, byOp)
  const members = new Set<number>()
  for (const s of a.services) for (const v of n.services[s]?.members ?? []) members.add(v)
  const rest = [...members]
    .filter((v) => !inB.has(v) && !shock.has(v))
    .map((v) => ({ v, c: costOf(v) }))
    .sort((x, y) => (y.c > x.c ? 1 : y.c < x.c ? -1 : 0))
  const operators = [...a.operators]
  for (const { v, c } of rest) {
    if (cost + c <= profit - margin) {
      operators.push(v)
      cost += c
    }
  }
  return normalizeAttack(n, { services: a.services, operators })
}
