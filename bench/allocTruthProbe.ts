/**
 * Probe (HiGHS, not a proof of optimality): the cascade MIP (attackModel.ts) with allocations for a long time,
 * started from the engine's start (cascadeStart) — the truth or near it, to tell which side of the cascade gap is
 * loose. Prints the found loss (checked exactly by searchAttack) and HiGHS's bound in points of R_ψ.
 * `npx tsx bench/allocTruthProbe.ts --size 200x50 --seed 1 --regime hard --time 600 [--whole]`
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { buildAttackModel } from '../src/risk/attackModel.ts'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { loadHighs, solveMip } from '../src/risk/mip.ts'
import { totalStake } from '../src/risk/network.ts'
import { rat } from '../src/risk/rational.ts'
import { searchAttack } from '../src/risk/search.ts'
import { benchNetwork, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '200x50' },
    seed: { type: 'string', default: '1' },
    time: { type: 'string', default: '600' },
    regime: { type: 'string', default: 'hard' },
    whole: { type: 'boolean', default: false },
    // y binary, x and d fractional: a relaxation every bound that covers fractionally for a fixed A sits above
    'relax-xd': { type: 'boolean', default: false },
  },
})
await loadHighs()
const [ops, svcs] = parseSize(values.size)
const seed = Number(values.seed)
const n = benchNetwork({
  seed,
  operators: ops,
  services: svcs,
  regime: regimeOf(values.regime),
  allocations: !values.whole,
})
const total = totalStake(n)
const psi = rat(1n, 10n)
const budget = shockBudget(n, psi)
const pts = (x: bigint | number) => ((Number(x) / Number(total)) * 100).toFixed(3)
const h = cascadeStart(n, budget, { deadline: performance.now() + 2000 })
console.log(
  `${values.regime} ${values.size} seed ${seed}: σ(V) ${total} Ψ ${budget}; start ${h.best.value} (${pts(h.best.value)} pts, |A| ${h.best.attack?.services.length ?? 0}); load ${loadavg()[0]?.toFixed(1)}`,
)
if (values['relax-xd']) {
  const m = buildAttackModel(n, 'cascade', psi)
  for (const c of [...m.x, ...m.d]) if (c >= 0) m.builder.integer[c] = 0
  const t0 = performance.now()
  const sol = await solveMip(m.builder, { maximize: true, timeLimitSeconds: Number(values.time) })
  const u = Number(m.unit)
  const A = m.y.flatMap((c, s) => ((sol.values?.[c] ?? 0) > 0.5 ? [s] : []))
  const piA = A.reduce((a, s) => a + Number(n.services[s]?.profit ?? 0n), 0)
  console.log(
    `y binary, x and d fractional ${values.time}s: status ${sol.status} found ${(sol.objective * u).toFixed(1)} (${pts(sol.objective * u)} pts) bound ${(sol.bound * u).toFixed(1)} (${pts(sol.bound * u)} pts); |A| ${A.length} π(A) ${piA} in ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${loadavg()[0]?.toFixed(1)}`,
  )
  process.exit(0)
}
const t = performance.now()
const out = await searchAttack(n, 'cascade', {
  timeLimitSeconds: Number(values.time),
  shock: psi,
  start: h.forSolver.attack ? { attack: h.forSolver.attack, shock: h.forSolver.shock } : undefined,
})
console.log(
  `MIP ${values.time}s: found ${out.value} (${pts(out.value)} pts) bound ${out.bound.toFixed(1)} (${pts(out.bound)} pts) proven ${out.proven}; |A| ${out.attack?.services.length ?? 0} A=${out.attack?.services.join(',')} |B| ${out.attack?.operators.length ?? 0} |D| ${out.shock.length} in ${((performance.now() - t) / 1000).toFixed(0)} s, load ${loadavg()[0]?.toFixed(1)}`,
)
