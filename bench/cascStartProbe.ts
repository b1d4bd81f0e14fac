/**
 * The cascade start (cascadeHeuristic.ts) alone on the bench's boundary and hard networks, 200 × 50 and 1,000 × 100,
 * seeds 1–3: R_ψ (ψ = 0.1) of the best start, its attacked set, and its wall time and CPU.
 * `npx tsx bench/cascStartProbe.ts [--whole] [--no-local] [--ms 1500]` (`--ms`: the start's deadline; none by default)
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { cascadeStart } from '../src/risk/cascadeHeuristic.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

const { values } = parseArgs({
  options: {
    whole: { type: 'boolean', default: false },
    'no-local': { type: 'boolean', default: false },
    ms: { type: 'string' },
  },
})
const REGIMES: Record<string, [number, number]> = { boundary: [0.02, 0.25], hard: [0.05, 0.35] }
for (const [ops, svcs, members] of [
  [200, 50, [10, 40]],
  [1000, 100, [20, 80]],
] as const)
  for (const regime of ['hard', 'boundary'])
    for (const seed of [1, 2, 3]) {
      const n = parseRiskInput(
        randomNetwork(createRng(seed), {
          operators: ops,
          services: svcs,
          membersPerService: [...members],
          allocations: !values.whole,
          profitFactor: REGIMES[regime],
        }),
      )
      const budget = shockBudget(n, rat(1n, 10n))
      const t = performance.now()
      const cpu = process.cpuUsage()
      const h = cascadeStart(n, budget, {
        local: !values['no-local'],
        deadline: values.ms === undefined ? undefined : performance.now() + Number(values.ms),
      })
      const used = process.cpuUsage(cpu)
      const piA = h.best.attack?.services.reduce((a, s) => a + Number(n.services[s]?.profit), 0) ?? 0
      console.log(
        `${regime} ${ops}x${svcs} seed ${seed}: R ${(Number(h.best.value) / Number(totalStake(n))).toFixed(4)} |A| ${h.best.attack?.services.length ?? 0} π(A) ${piA}; ${(performance.now() - t).toFixed(0)} ms, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU, load ${loadavg()[0]?.toFixed(1)}`,
      )
    }
