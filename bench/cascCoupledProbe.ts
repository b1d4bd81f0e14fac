/**
 * Probe (floats, HiGHS; not a proof): does the coupling that closed the verdict's bound with allocations (each
 * operator in B counted and charged on every attacked service it secures: coupledCore.ts) tighten the cascade's?
 * Three LP relaxations of R_ψ on one network, beside worstCaseLoss's exact bound (the shares, the split by steps,
 * the burn bound):
 *  - 'P'      : R σ(V) ≤ Ψ + P − 1, P = max π(A) over fractional (y, x, d, z, e): thresholds after the shock with
 *               each edge disaggregated (z_vs = x_v ∧ y_s: z ≤ x, z ≤ y, z ≥ x + y − 1; e_vs = d_v ∧ y_s: e ≤ d,
 *               e ≤ y; z + e ≤ y), x + d ≤ 1, σ(D) ≤ Ψ, and validity cost(B) ≤ π(A) − 1 with the cost pushed down
 *               (σ_v t_v + Σ a_vs u_vs, u_vs + t_v ≥ z_vs);
 *  - 'direct' : max σ(D) + cost(B) over the same rows (cost pushed up: c_v ≤ σ_v x_v, c_v ≤ Σ a_vs z_vs), validity
 *               π(A) − cost(B) ≥ τ with τ ≥ y_s (the empty attack allowed);
 *  - 'model'  : attackModel.ts's cascade MIP with its integrality dropped (the shock aggregated in each threshold).
 * `npx tsx bench/cascCoupledProbe.ts --regime boundary --seed 1 [--size 1000x100] [--seconds 10] [--no-current]
 *   [--modes P,direct,model] [--whole]`
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { buildAttackModel } from '../src/risk/attackModel.ts'
import { worstCaseLoss } from '../src/risk/cascade.ts'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs, MipBuilder, solveMip } from '../src/risk/mip.ts'
import { operatorServices, serviceStake, totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat, toNumber } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'boundary' },
    size: { type: 'string', default: '1000x100' },
    seed: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '10' },
    'no-current': { type: 'boolean', default: false },
    whole: { type: 'boolean', default: false },
    modes: { type: 'string', default: 'P,direct,model' },
  },
})
const REGIMES: Record<string, [number, number]> = { boundary: [0.02, 0.25], hard: [0.05, 0.35] }
const [ops, svcs] = values.size.split('x').map(Number) as [number, number]
const membersFor = (o: number, s: number): [number, number] =>
  o <= 50 ? [5, 20] : o <= 200 ? [10, 40] : s >= 200 ? [25, 100] : [20, 80]
const n = parseRiskInput(
  randomNetwork(createRng(Number(values.seed)), {
    operators: ops,
    services: svcs,
    membersPerService: membersFor(ops, svcs),
    allocations: !values.whole,
    profitFactor: REGIMES[values.regime],
  }),
)
await loadHighs()
const load = () => loadavg()[0]?.toFixed(1)
const total = Number(totalStake(n))
const psi = Number(shockBudget(n, rat(1n, 10n)))
let unit = 1
for (const o of n.operators) unit = Math.max(unit, Number(o.stake))
for (const s of n.services) unit = Math.max(unit, Number(s.profit))
const sc = (v: bigint | number) => Number(v) / unit
const alpha = (si: number) => toNumber(n.services[si]!.threshold)
const byOp = operatorServices(n)
console.log(
  `${values.regime} ${values.size} seed ${values.seed} ${values.whole ? 'whole-stake' : 'allocations'}: σ(V) ${total} Ψ ${psi} Σπ ${n.services.reduce((a, s) => a + Number(s.profit), 0)}; load ${load()}`,
)

if (!values['no-current']) {
  const t = performance.now()
  const c = await worstCaseLoss(n, rat(1n, 10n), { timeLimitSeconds: Number(values.seconds) })
  console.log(
    `current: found ${toNumber(c.worstLoss).toFixed(4)} bound ${c.worstLossBound.toFixed(4)} (gap ${((c.worstLossBound - toNumber(c.worstLoss)) * 100).toFixed(2)} points) in ${((performance.now() - t) / 1000).toFixed(1)} s; load ${load()}`,
  )
}

type Mode = 'P' | 'direct'
/** The disaggregated relaxation; returns the bound on R_ψ σ(V) in units. */
async function coupledLp(mode: Mode): Promise<{ bound: number; objective: number; secs: number }> {
  const b = new MipBuilder()
  const y = n.services.map((s) => b.addVar(mode === 'P' ? sc(s.profit) : 0, 0, 1, false))
  const x = n.operators.map(() => b.addVar(0, 0, 1, false))
  const d = n.operators.map((o) => b.addVar(mode === 'direct' ? sc(o.stake) : 0, 0, 1, false))
  // per service, per member: z and e columns
  const zOf = n.services.map((s) => s.members.map(() => -1))
  const eOf = n.services.map((s) => s.members.map(() => -1))
  const lower: [number, number][] = []
  n.operators.forEach((o, v) => {
    b.addRow(
      [
        [x[v]!, 1],
        [d[v]!, 1],
      ],
      Number.NEGATIVE_INFINITY,
      1,
    )
    const mine = byOp[v] ?? []
    if (mine.length === 0) return
    const t = b.addVar(0, 0, 1, false)
    lower.push([t, sc(o.stake)])
    const zs: [number, number][] = []
    for (const e of mine) {
      const ys = y[e.service]!
      const z = b.addVar(0, 0, 1, false)
      const ed = b.addVar(0, 0, 1, false)
      b.addRow(
        [
          [z, 1],
          [x[v]!, -1],
        ],
        Number.NEGATIVE_INFINITY,
        0,
      )
      b.addRow(
        [
          [z, 1],
          [ys, -1],
        ],
        Number.NEGATIVE_INFINITY,
        0,
      )
      b.addRow(
        [
          [z, 1],
          [x[v]!, -1],
          [ys, -1],
        ],
        -1,
        Number.POSITIVE_INFINITY,
      )
      b.addRow(
        [
          [ed, 1],
          [d[v]!, -1],
        ],
        Number.NEGATIVE_INFINITY,
        0,
      )
      b.addRow(
        [
          [z, 1],
          [ed, 1],
          [ys, -1],
        ],
        Number.NEGATIVE_INFINITY,
        0,
      )
      const k = n.services[e.service]!.members.indexOf(v)
      zOf[e.service]![k] = z
      eOf[e.service]![k] = ed
      const u = b.addVar(0, 0, 1, false)
      b.addRow(
        [
          [u, 1],
          [t, 1],
          [z, -1],
        ],
        0,
        Number.POSITIVE_INFINITY,
      )
      lower.push([u, sc(e.stake)])
      zs.push([z, sc(e.stake)])
    }
    if (mode === 'direct') {
      const c = b.addVar(1, 0, sc(o.stake), false)
      b.addRow(
        [
          [c, 1],
          [x[v]!, -sc(o.stake)],
        ],
        Number.NEGATIVE_INFINITY,
        0,
      )
      b.addRow([[c, 1], ...zs.map(([col, a]) => [col, -a] as [number, number])], Number.NEGATIVE_INFINITY, 0)
    }
  })
  n.services.forEach((s, si) => {
    const row: [number, number][] = [[y[si]!, -alpha(si) * sc(serviceStake(s))]]
    s.members.forEach((_, k) => {
      const a = sc(s.memberStake[k] ?? 0n)
      row.push([zOf[si]![k]!, a], [eOf[si]![k]!, alpha(si) * a])
    })
    b.addRow(row, 0, Number.POSITIVE_INFINITY)
  })
  b.addRow(
    n.operators.map((o, v) => [d[v]!, sc(o.stake)] as [number, number]),
    Number.NEGATIVE_INFINITY,
    sc(psi),
  )
  const validity: [number, number][] = n.services.map((s, si) => [y[si]!, sc(s.profit)])
  for (const [col, coef] of lower) validity.push([col, -coef])
  if (mode === 'P') b.addRow(validity, sc(1), Number.POSITIVE_INFINITY)
  else {
    const tau = b.addVar(0, 0, 1, false)
    for (const ys of y)
      b.addRow(
        [
          [ys, 1],
          [tau, -1],
        ],
        Number.NEGATIVE_INFINITY,
        0,
      )
    b.addRow([...validity, [tau, -sc(1)]], 0, Number.POSITIVE_INFINITY)
  }
  const t0 = performance.now()
  const sol = await solveMip(b, { maximize: true, timeLimitSeconds: 600 })
  const secs = (performance.now() - t0) / 1000
  const obj = sol.status === 'infeasible' ? 0 : sol.bound * unit
  const bound = mode === 'P' ? psi + Math.max(0, obj - 1) : obj
  return { bound, objective: obj, secs }
}

const modes = values.modes.split(',')
for (const mode of (['P', 'direct'] as Mode[]).filter((m) => modes.includes(m))) {
  const r = await coupledLp(mode)
  console.log(
    `LP ${mode.padEnd(6)}: objective ${r.objective.toFixed(1)} → R ≤ ${(r.bound / total).toFixed(4)} (${r.secs.toFixed(1)} s; load ${load()})`,
  )
}
if (modes.includes('model')) {
  const m = buildAttackModel(n, 'cascade', rat(1n, 10n))
  m.builder.integer.fill(0)
  const t0 = performance.now()
  const sol = await solveMip(m.builder, { maximize: true, timeLimitSeconds: 600 })
  console.log(
    `LP model : R ≤ ${((sol.bound * Number(m.unit)) / total).toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s; load ${load()})`,
  )
}
