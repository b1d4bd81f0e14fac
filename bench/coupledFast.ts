/**
 * The coupled Lagrangian bound (coupledCore.ts, docs/risk.md) searched fast, on typical 1,000 × 100 with
 * allocations (the bench's network); TAU0, DROP, PHASE override the search's schedule (coupledCore.ts): prints the best bound (tokens) against CPU seconds, and the bound checked
 * exactly (coupledCap.ts). Run: npx tsx bench/coupledFast.ts [seed] [budgetMs (wall-clock)] [steps]
 */
import { loadavg } from 'node:os'
import { coupledCapExact, toMultipliers } from '../src/risk/coupledCap.ts'
import { buildCoupledCore, searchCoupled } from '../src/risk/coupledCore.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { toNumber } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

const seed = Number(process.argv[2] ?? 1)
const budgetMs = Number(process.argv[3] ?? 3000)
const steps = Number(process.argv[4] ?? 100_000)
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
console.log(
  `seed ${seed}: ${core.E} edges, setup ${cpu().toFixed(2)} CPU-s, load ${loadavg()[0]?.toFixed(1)}`,
)
const r = searchCoupled(core, {
  budgetMs,
  maxIterations: steps,
  every: 100,
  ...(process.env.TAU0 ? { tau0: Number(process.env.TAU0) } : {}),
  ...(process.env.DROP ? { drop: Number(process.env.DROP) } : {}),
  ...(process.env.PHASE ? { phase: Number(process.env.PHASE) } : {}),
  trace: (it, best) => console.log(`it ${it} bound ${(best * tok).toFixed(1)} cpu ${cpu().toFixed(2)}`),
})
console.log(
  `best ${(r.value * tok).toFixed(1)} tokens after ${r.iterations} iterations, ${cpu().toFixed(2)} CPU-s; load ${loadavg()[0]?.toFixed(1)}`,
)
const exact = coupledCapExact(n, toMultipliers(n, r, core.unit))
console.log(
  `checked exactly: ${(toNumber(exact) / 10 ** n.scale).toFixed(1)} tokens, ${cpu().toFixed(2)} CPU-s in all`,
)
