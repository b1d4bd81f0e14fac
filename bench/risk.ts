/**
 * Solve time of the exact attack search on seeded random networks (operators × services).
 * Run: npm run bench:risk   (or: npx tsx bench/risk.ts [--time-limit SECONDS] [--allocations])
 * The target is the exact verdict for 1,000 × 100 within 10 s. Each size is solved for a few seeds.
 */
import { parseArgs } from 'node:util'
import { largestAttack, mostProfitableAttack } from '../src/risk/attack.ts'
import { worstCaseLoss } from '../src/risk/cascade.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'

const { values } = parseArgs({
  options: {
    'time-limit': { type: 'string', default: '60' },
    allocations: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '3' },
    cascade: { type: 'boolean', default: false },
  },
})
const timeLimitSeconds = Number(values['time-limit'])
const sizes: [number, number, [number, number]][] = [
  [50, 10, [5, 20]],
  [200, 50, [10, 40]],
  [1000, 100, [20, 80]],
]

await loadHighs()
console.log(`attack search, ${values.allocations ? 'with allocations' : 'whole-stake (paper) model'}; time limit ${timeLimitSeconds}s`)
console.log('size            seed  verdict     proven  verdict(s)  largest(s)' + (values.cascade ? '  cascade ψ=0.1 (s)' : ''))
for (const [ops, svcs, members] of sizes) {
  for (let seed = 1; seed <= Number(values.seeds); seed++) {
    const rng = createRng(seed)
    const n = parseRiskInput(
      randomNetwork(rng, { operators: ops, services: svcs, membersPerService: members, allocations: values.allocations }),
    )
    let t = performance.now()
    const best = await mostProfitableAttack(n, { timeLimitSeconds })
    const verdictTime = (performance.now() - t) / 1000
    t = performance.now()
    const large = await largestAttack(n, { timeLimitSeconds })
    const largestTime = (performance.now() - t) / 1000
    let cascadeCol = ''
    if (values.cascade) {
      t = performance.now()
      const c = await worstCaseLoss(n, rat(1n, 10n), { timeLimitSeconds })
      cascadeCol = `  ${((performance.now() - t) / 1000).toFixed(2).padStart(8)}${c.proven ? '' : ' (not proven)'}`
    }
    const verdict = best.attack ? 'insecure' : 'secure'
    const proven = best.proven && large.proven ? 'yes' : 'NO'
    console.log(
      `${`${ops} × ${svcs}`.padEnd(16)}${String(seed).padEnd(6)}${verdict.padEnd(12)}${proven.padEnd(8)}${verdictTime.toFixed(2).padStart(10)}  ${largestTime.toFixed(2).padStart(10)}${cascadeCol}`,
    )
  }
}
