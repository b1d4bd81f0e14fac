/**
 * The coupled Lagrangian's cap (coupledCore.ts) continued warm: the engine's 600 steps (attack.ts COUPLED_STEPS),
 * then a continuation from their best multipliers and τ, against one search of the same total length; bound in
 * tokens against CPU-seconds, on the bench's typical 1,000 × 100 with allocations (issue 14).
 * Run: npx tsx bench/coupledWarm.ts [seed] [continuation steps] [phase] [drop]
 */
import { loadavg } from 'node:os'
import { coupledCapExact, toMultipliers } from '../src/risk/coupledCap.ts'
import { buildCoupledCore, searchCoupled } from '../src/risk/coupledCore.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { toNumber } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

const seed = Number(process.argv[2] ?? 1)
const more = Number(process.argv[3] ?? 2000)
const phase = Number(process.argv[4] ?? 100)
const drop = Number(process.argv[5] ?? 0.5)
const n = parseRiskInput(
  randomNetwork(createRng(seed), {
    operators: 1000,
    services: 100,
    membersPerService: [20, 80],
    allocations: true,
    profitFactor: [0.2, 1.2],
  }),
)
const c0 = process.cpuUsage()
const cpu = () => {
  const u = process.cpuUsage(c0)
  return (u.user + u.system) / 1e6
}
const core = buildCoupledCore(n)
const tok = Number(core.unit) / 10 ** n.scale
const first = searchCoupled(core, { budgetMs: 1e9, maxIterations: 600 })
console.log(
  `seed ${seed}: 600 steps ${(first.value * tok).toFixed(1)} tokens, ${cpu().toFixed(2)} CPU-s, τ ${(first.tau * tok).toExponential(2)}; load ${loadavg()[0]?.toFixed(1)}`,
)
const c1 = cpu()
const r = searchCoupled(core, {
  budgetMs: 1e9,
  maxIterations: more,
  start: first,
  phase,
  drop,
  every: 250,
  trace: (it, best) => console.log(`  +${it} ${(best * tok).toFixed(1)} (${(cpu() - c1).toFixed(2)} CPU-s)`),
})
const exact = coupledCapExact(n, toMultipliers(n, r, core.unit))
console.log(
  `continued ${r.iterations} steps (phase ${phase}, drop ${drop}): ${(r.value * tok).toFixed(1)}, exactly ${(toNumber(exact) / 10 ** n.scale).toFixed(1)} tokens, ${(cpu() - c1).toFixed(2)} CPU-s; load ${loadavg()[0]?.toFixed(1)}`,
)
