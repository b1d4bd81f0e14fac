/**
 * Overrun of each question's time limit: for every network, the wall time of the verdict (most profitable attack),
 * the largest attack and the worst-case cascade R_0.1, each asked with `--time-limit S` as `risk analyze` asks them
 * (the largest from the verdict's attack, the cascade from the largest), and how far past its limit it answered.
 * Run: npx tsx bench/overrun.ts [--time-limit 10] [--sizes 200x50,1000x100] [--seeds 3]
 *        [--regime typical --regime boundary --regime hard] [--model whole --model alloc] [--threads 1]
 * The machine may be shared: the load average is printed beside every row, and the summary gives the largest
 * overrun per question. Overruns are wall-clock, so they are only as steady as the load.
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { largestAttack, solveMostProfitable } from '../src/risk/attack.ts'
import { worstCaseLoss } from '../src/risk/cascade.ts'
import { replacedFlipThreads } from '../src/risk/flipThread.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { abandonedSolves } from '../src/risk/mipThread.ts'
import { parallelBranch } from '../src/risk/parallelBranch.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'
import { benchNetwork, flagOrExit, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    'time-limit': { type: 'string', default: '10' },
    seeds: { type: 'string', default: '3' },
    // one seed only (e.g. --seed 1); overrides --seeds
    seed: { type: 'string' },
    regime: { type: 'string', multiple: true, default: ['typical', 'boundary', 'hard'] },
    model: { type: 'string', multiple: true, default: ['whole', 'alloc'] },
    sizes: { type: 'string', default: '200x50,1000x100' },
    threads: { type: 'string', default: '2' },
    'no-cascade': { type: 'boolean', default: false },
  },
})
const limit = Number(values['time-limit'])
if (!(limit > 0)) throw new Error('--time-limit must be a positive number')
const seeds = values.seed
  ? [Number(values.seed)]
  : Array.from({ length: Number(values.seeds) }, (_, i) => i + 1)
const parallel = Number(values.threads) > 1 ? parallelBranch() : undefined
const sizes = values.sizes.split(',').map((s) => flagOrExit(() => parseSize(s)))
const regimes = values.regime.map((r) => flagOrExit(() => regimeOf(r)))
const load = () => loadavg()[0]?.toFixed(1) ?? '?'

await loadHighs()
console.log(
  `overrun per question; time limit ${limit}s; ${parallel ? 'branching on 2 threads' : 'one thread'}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
// warm up: wasm compile and the threads' start stay out of the figures (as bench/risk.ts)
const tiny = () =>
  parseRiskInput(randomNetwork(createRng(0), { operators: 20, services: 5, membersPerService: [2, 8] }))
await solveMostProfitable(tiny())
if (parallel)
  await parallelBranch({ minEdges: 0 })
    .start(tiny(), { deadline: performance.now() + 5000 })
    .result()

const worst = new Map<string, number>()
const col = (q: string, secs: number) => {
  const over = secs - limit
  worst.set(q, Math.max(worst.get(q) ?? Number.NEGATIVE_INFINITY, over))
  return `${secs.toFixed(2).padStart(7)} ${(over > 0 ? `+${over.toFixed(2)}` : '').padStart(6)}`
}
console.log(
  'model  regime    size         seed   verdict (s, over)  largest (s, over)' +
    (values['no-cascade'] ? '' : '  cascade (s, over)') +
    '  load',
)
for (const model of values.model) {
  for (const regime of regimes) {
    for (const [ops, svcs] of sizes) {
      for (const seed of seeds) {
        const n = benchNetwork({
          seed,
          operators: ops,
          services: svcs,
          regime,
          allocations: model === 'alloc',
        })
        let t = performance.now()
        const best = await solveMostProfitable(n, { timeLimitSeconds: limit, parallel })
        const vs = (performance.now() - t) / 1000
        t = performance.now()
        const large = await largestAttack(n, {
          timeLimitSeconds: limit,
          start: best.attack ?? undefined,
          provenSecure: best.answer.attack === null && best.answer.proven,
          provenExact: best.answer.exact,
          parallel,
        })
        const ls = (performance.now() - t) / 1000
        let cascadeCol = ''
        if (!values['no-cascade']) {
          const start = large.attack
            ? {
                services: large.attack.services.map((id) => n.services.findIndex((s) => s.id === id)),
                operators: large.attack.operators.map((id) => n.operators.findIndex((o) => o.id === id)),
              }
            : (best.attack ?? undefined)
          t = performance.now()
          await worstCaseLoss(n, rat(1n, 10n), { timeLimitSeconds: limit, start, parallel })
          cascadeCol = `  ${col('cascade', (performance.now() - t) / 1000)}   `
        }
        console.log(
          `${model.padEnd(7)}${regime.padEnd(10)}${`${ops}x${svcs}`.padEnd(13)}${String(seed).padEnd(7)}${col('verdict', vs)}     ${col('largest', ls)}   ${cascadeCol}${load()}`,
        )
      }
    }
  }
}
console.log(
  `largest overrun (s): ${[...worst].map(([q, o]) => `${q} ${o > 0 ? `+${o.toFixed(2)}` : 'none'}`).join(', ')}`,
)
// what the time discipline cost: solves abandoned at their limit (mipThread.ts) and flip threads ended for missing
// their deadline (flipThread.ts); each is a thread started again
console.log(`solves abandoned: ${abandonedSolves()}; flip threads replaced: ${replacedFlipThreads()}`)
