/**
 * Probe: the cascade MIP (attackModel.ts) on boundary networks for a long time, to see how far the found side is
 * from the truth. `npx tsx bench/cascTruthProbe.ts --sizes 200x50 --seeds 1,2,3 --time 180`
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { shockBudget } from '../src/risk/cascadeBound.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { totalStake } from '../src/risk/network.ts'
import { rat } from '../src/risk/rational.ts'
import { searchAttack } from '../src/risk/search.ts'
import { benchNetwork, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '200x50' },
    seeds: { type: 'string', default: '1,2,3' },
    time: { type: 'string', default: '180' },
    regime: { type: 'string', default: 'boundary' },
  },
})
await loadHighs()
const [ops, svcs] = parseSize(values.sizes as string)
for (const seed of (values.seeds as string).split(',').map(Number)) {
  const n = benchNetwork({
    seed,
    operators: ops,
    services: svcs,
    regime: regimeOf(values.regime as string),
    allocations: false,
  })
  const total = totalStake(n)
  const psi = rat(1n, 10n)
  const t = performance.now()
  const out = await searchAttack(n, 'cascade', { timeLimitSeconds: Number(values.time), shock: psi })
  const sumPi = n.services.reduce((a, s) => a + s.profit, 0n)
  console.log(
    `seed ${seed}: σ(V) ${total} Ψ ${shockBudget(n, psi)} Σπ ${sumPi}; MIP found ${out.value} (R ${(Number(out.value) / Number(total)).toFixed(4)}) bound ${out.bound.toFixed(1)} (R ${(out.bound / Number(total)).toFixed(4)}) proven ${out.proven} A=${out.attack?.services.length ?? 0} in ${((performance.now() - t) / 1000).toFixed(0)} s, load ${loadavg()[0]?.toFixed(1)}`,
  )
}
