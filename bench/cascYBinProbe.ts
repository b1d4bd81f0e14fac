/**
 * Probe (floats, HiGHS; not a proof): the whole-stake cascade with only the attacked services binary (y), the shock
 * d and coalition x fractional — a relaxation of R_ψ (every valid (D, A, B) is a point), so its bound is ≥ the truth
 * up to HiGHS's tolerances. `npx tsx bench/cascYBinProbe.ts 200 50 1 [seconds] [intD]`
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
const [ops, svcs, seed, secs] = process.argv.slice(2).map(Number) as [number, number, number, number]
const intD = process.argv[6] === 'intD'
const intX = intD || process.argv[6] === 'xInt'
const intDonly = intD || process.argv[6] === 'dInt'
const membersFor = (ops: number, svcs: number): [number, number] =>
  ops <= 50 ? [5, 20] : ops <= 200 ? [10, 40] : svcs >= 200 ? [25, 100] : [20, 80]
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
const b = new MipBuilder()
const y = n.services.map(() => b.binary(0))
const x = n.operators.map((o) => b.addVar(Number(o.stake), 0, 1, intX))
const d = n.operators.map((o) => b.addVar(Number(o.stake), 0, 1, intDonly))
const svcOf: number[][] = n.operators.map(() => [])
n.services.forEach((s, si) => {
  for (const v of s.members) svcOf[v]?.push(si)
})
n.operators.forEach((_, v) => {
  b.addRow(
    [
      [x[v] as number, 1],
      [d[v] as number, 1],
    ],
    Number.NEGATIVE_INFINITY,
    1,
  )
  // B only among members of attacked services (others burn nothing: cost_v = 0)
  b.addRow(
    [[x[v] as number, 1], ...(svcOf[v] ?? []).map((si) => [y[si] as number, -1] as [number, number])],
    Number.NEGATIVE_INFINITY,
    0,
  )
})
b.addRow(
  n.operators.map((o, v) => [d[v] as number, Number(o.stake)] as [number, number]),
  Number.NEGATIVE_INFINITY,
  psi,
)
if (process.env.MINCOST) {
  n.operators.forEach((o, v) => {
    b.cost[x[v] as number] = -Number(o.stake)
    b.cost[d[v] as number] = 0
  })
} else
  b.addRow(
    [
      ...n.operators.map((o, v) => [x[v] as number, Number(o.stake)] as [number, number]),
      ...n.services.map((s, si) => [y[si] as number, -Number(s.profit)] as [number, number]),
    ],
    Number.NEGATIVE_INFINITY,
    -1,
  )
n.services.forEach((s, si) => {
  const a = Number(s.threshold.num) / Number(s.threshold.den)
  b.addRow(
    [
      [y[si] as number, -a * Number(serviceStake(s))],
      ...s.members.flatMap((v, k) => [
        [x[v] as number, Number(s.memberStake[k])] as [number, number],
        [d[v] as number, a * Number(s.memberStake[k])] as [number, number],
      ]),
    ],
    0,
    Number.POSITIVE_INFINITY,
  )
})
const fixA = process.env.FIXA ? process.env.FIXA.split(',').map(Number) : null
if (fixA)
  for (let si = 0; si < n.services.length; si++) {
    const at = fixA.includes(si) ? 1 : 0
    b.addRow([[y[si] as number, 1]], at, at)
  }
const t0 = performance.now()
const sol = await solveMip(b, { maximize: true, timeLimitSeconds: secs || 60 })
const ys = sol.values ? y.filter((c) => (sol.values?.[c] ?? 0) > 0.5).length : 0
console.log(
  `seed ${seed} ${ops}x${svcs} mode=${process.argv[6] ?? 'frac'}: σ(V) ${total} Ψ ${psi} status ${sol.status} found ${sol.objective.toFixed(1)} (R ${(sol.objective / total).toFixed(4)}, |A| ${ys}) bound ${sol.bound.toFixed(1)} (R ${(sol.bound / total).toFixed(4)}) in ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${loadavg()[0]?.toFixed(1)}`,
)

if (sol.values) {
  const A = y.map((c, si) => ((sol.values?.[c] ?? 0) > 0.5 ? si : -1)).filter((si) => si >= 0)
  console.log(`A = ${A.join(',')} π(A) ${A.reduce((t, si) => t + Number(n.services[si]?.profit), 0)}`)
  if (intD) {
    const B = x.map((c, v) => ((sol.values?.[c] ?? 0) > 0.5 ? v : -1)).filter((v) => v >= 0)
    const Dset = d.map((c, v) => ((sol.values?.[c] ?? 0) > 0.5 ? v : -1)).filter((v) => v >= 0)
    const att = { services: A, operators: B }
    const sd = Dset.reduce((t, v) => t + (n.operators[v]?.stake ?? 0n), 0n)
    const ok = isValidAttack(n, att, new Set(Dset)) && sd <= BigInt(psi)
    console.log(
      `exact check: valid ${ok} σ(D) ${sd} cost(B) ${attackCost(n, att)} loss ${sd + attackCost(n, att)} R ${(Number(sd + attackCost(n, att)) / total).toFixed(4)}`,
    )
  }
}
