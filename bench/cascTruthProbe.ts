/**
 * Probe: the cascade MIP (attackModel.ts) on boundary networks for a long time, to see how far the found side is
 * from the truth. `npx tsx bench/cascTruthProbe.ts --sizes 200x50 --seeds 1,2,3 --time 180`
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { totalStake } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'
import { searchAttack } from '../src/risk/search.ts'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '200x50' },
    seeds: { type: 'string', default: '1,2,3' },
    time: { type: 'string', default: '180' },
    regime: { type: 'string', default: 'boundary' },
  },
})
const REGIMES: Record<string, [number, number]> = {
  typical: [0.2, 1.2],
  boundary: [0.02, 0.25],
  hard: [0.05, 0.35],
}
const membersFor = (ops: number, svcs: number): [number, number] =>
  ops <= 50 ? [5, 20] : ops <= 200 ? [10, 40] : svcs >= 200 ? [25, 100] : [20, 80]
await loadHighs()
const [ops, svcs] = (values.sizes as string).split('x').map(Number) as [number, number]
for (const seed of (values.seeds as string).split(',').map(Number)) {
  const n = parseRiskInput(
    randomNetwork(createRng(seed), {
      operators: ops,
      services: svcs,
      membersPerService: membersFor(ops, svcs),
      profitFactor: REGIMES[values.regime as string],
    }),
  )
  const total = totalStake(n)
  const psi = rat(1n, 10n)
  const t = performance.now()
  const out = await searchAttack(n, 'cascade', { timeLimitSeconds: Number(values.time), shock: psi })
  const sumPi = n.services.reduce((a, s) => a + s.profit, 0n)
  console.log(
    `seed ${seed}: σ(V) ${total} Ψ ${shockBudget(n, psi)} Σπ ${sumPi}; MIP found ${out.value} (R ${(Number(out.value) / Number(total)).toFixed(4)}) bound ${out.bound.toFixed(1)} (R ${(out.bound / Number(total)).toFixed(4)}) proven ${out.proven} A=${out.attack?.services.length ?? 0} in ${((performance.now() - t) / 1000).toFixed(0)} s, load ${loadavg()[0]?.toFixed(1)}`,
  )
}
