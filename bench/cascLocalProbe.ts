/**
 * Probe (HiGHS; answers re-checked exactly): a local search over attacked sets A for the whole-stake cascade, each
 * A charged the cheapest integral coalition after the best integral shock within Ψ (a MIP with A fixed). Starts from
 * a given A (e.g. the optimum of bench/cascYBinProbe.ts's relaxation) and moves by single drops and adds while the
 * deficit cost − (π(A) − 1) falls, to learn whether large valid cascades exist beside the start's.
 * `npx tsx bench/cascLocalProbe.ts 200 50 1 1,3,6`
 */
import { loadavg } from 'node:os'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, solveMip } from '../src/risk/mip.ts'
import { serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'
import { attackCost, isValidAttack } from '../src/risk/verify.ts'

await loadHighs()
const [ops, svcs, seed] = process.argv.slice(2, 5).map(Number) as [number, number, number]
let A = (process.argv[5] ?? '').split(',').filter(Boolean).map(Number)
const secs = Number(process.env.SECS ?? 10)
const membersFor = (o: number, s: number): [number, number] =>
  o <= 50 ? [5, 20] : o <= 200 ? [10, 40] : s >= 200 ? [25, 100] : [20, 80]
const n = parseRiskInput(
  randomNetwork(createRng(seed), {
    operators: ops,
    services: svcs,
    membersPerService: membersFor(ops, svcs),
    profitFactor: [0.02, 0.25],
  }),
)
const total = Number(totalStake(n))
const psi = Number(shockBudget(n, rat(1n, 10n)))
const prof = (S: number[]) => S.reduce((t, si) => t + Number(n.services[si]?.profit), 0)

/** min σ(B) over B, D (σ(D) ≤ Ψ) meeting A's thresholds after D; integral or LP */
async function minCost(S: number[], integral: boolean) {
  const b = new MipBuilder()
  const x = n.operators.map((o) => b.addVar(Number(o.stake), 0, 1, integral))
  const d = n.operators.map(() => b.addVar(0, 0, 1, integral))
  for (let v = 0; v < n.operators.length; v++)
    b.addRow(
      [
        [x[v] as number, 1],
        [d[v] as number, 1],
      ],
      Number.NEGATIVE_INFINITY,
      1,
    )
  b.addRow(
    n.operators.map((o, v) => [d[v] as number, Number(o.stake)] as [number, number]),
    Number.NEGATIVE_INFINITY,
    psi,
  )
  for (const si of S) {
    const s = n.services[si]
    if (!s) continue
    const a = Number(s.threshold.num) / Number(s.threshold.den)
    b.addRow(
      s.members.flatMap((v, k) => [
        [x[v] as number, Number(s.memberStake[k])] as [number, number],
        [d[v] as number, a * Number(s.memberStake[k])] as [number, number],
      ]),
      a * Number(serviceStake(s)),
      Number.POSITIVE_INFINITY,
    )
  }
  const sol = await solveMip(b, { maximize: false, timeLimitSeconds: secs })
  if (!sol.values) return { cost: Number.POSITIVE_INFINITY, bound: sol.bound, B: [], D: [] }
  const pick = (cols: number[]) =>
    cols.map((c, v) => ((sol.values?.[c] ?? 0) > 0.5 ? v : -1)).filter((v) => v >= 0)
  return { cost: sol.objective, bound: sol.bound, B: pick(x), D: pick(d) }
}

let best = 0
const tabu = new Map<number, number>()
for (let round = 0; round < 40; round++) {
  const here = await minCost(A, true)
  const deficit = here.cost - (prof(A) - 1)
  console.log(
    `round ${round}: |A| ${A.length} π(A) ${prof(A)} cost ${here.cost.toFixed(0)} (LB ${here.bound.toFixed(0)}) deficit ${deficit.toFixed(0)}  load ${loadavg()[0]?.toFixed(1)}`,
  )
  if (deficit <= 0) {
    const att = { services: A, operators: here.B }
    const sd = here.D.reduce((t, v) => t + (n.operators[v]?.stake ?? 0n), 0n)
    const ok = isValidAttack(n, att, new Set(here.D)) && sd <= BigInt(psi)
    const loss = Number(sd) + Number(attackCost(n, att))
    // B padded to π(A) − 1 with more members of N(A) would burn more; report R_ψ ≥ (Ψ + π(A) − 1) as an estimate only
    console.log(
      `  VALID (exact ${ok}): σ(D) ${sd} cost(B) ${attackCost(n, att)} → R ≥ ${(loss / total).toFixed(4)} (padded up to ${((psi + prof(A) - 1) / total).toFixed(4)}) A=${A.join(',')}`,
    )
    if (ok) best = Math.max(best, loss)
  }
  // rank single moves by the LP's deficit, then check the best few integrally
  const moves: { si: number; S: number[]; lpDef: number }[] = []
  for (let si = 0; si < n.services.length; si++) {
    if ((tabu.get(si) ?? -1) >= round) continue
    const S = A.includes(si) ? A.filter((t) => t !== si) : [...A, si]
    if (S.length === 0) continue
    const lp = await minCost(S, false)
    // prefer sets that are valid with the largest profit: score by deficit, ties by profit
    moves.push({ si, S, lpDef: lp.cost - (prof(S) - 1) - (deficit <= 0 ? 0.05 * prof(S) : 0) })
  }
  moves.sort((p, q) => p.lpDef - q.lpDef)
  const next = moves[0]
  if (!next) break
  A = next.S
  tabu.set(next.si, round + 4)
}
console.log(`best valid loss ${best} R ${(best / total).toFixed(4)}`)
