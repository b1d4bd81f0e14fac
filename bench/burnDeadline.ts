/**
 * How long worstCaseLoss takes under tiny time limits on a network whose burn-bound knapsack fills the DP
 * (200 operators securing nothing, stakes 997–1,196, Ψ = 99,999: 2·10^7 cells). Prints milliseconds per run ('x':
 * proven exactly) and the load average. Run: npx tsx bench/burnDeadline.ts
 */
import { loadavg } from 'node:os'
import { worstCaseLoss } from '../src/risk/cascade.ts'
import type { Network } from '../src/risk/network.ts'
import { rat } from '../src/risk/rational.ts'

const stakes = Array.from({ length: 200 }, (_, i) => 997n + BigInt(i))
const operators = [...stakes, 10n ** 9n].map((stake, i) => ({ id: `v${i}`, stake }))
const n: Network = {
  scale: 0,
  hasAllocations: true,
  operators,
  services: [
    { id: 's', profit: 1n, threshold: { num: 1n, den: 2n }, members: [200], memberStake: [10n ** 9n] },
  ],
}
const total = operators.reduce((a, o) => a + o.stake, 0n)
for (const limit of [0.01, 0.1, 1]) {
  const runs: string[] = []
  for (let k = 0; k < 5; k++) {
    const t = performance.now()
    const r = await worstCaseLoss(n, rat(99_999n, total), { timeLimitSeconds: limit })
    runs.push(`${Math.round(performance.now() - t)}${r.exact ? 'x' : ''}`)
  }
  console.log(`limit ${limit} s: ${runs.join(' ')} ms (load ${loadavg()[0]?.toFixed(1)})`)
}
