/**
 * Time to proof of the exact attack search on seeded random networks (operators × services), in three profit
 * regimes, for the three questions: the most profitable attack (the verdict), the largest attack, and the
 * worst-case cascade R_ψ. Each column is the time to a proven answer, or the final gap when the limit stopped it.
 * Run: npm run bench:risk   (or: npx tsx bench/risk.ts [--time-limit S] [--allocations] [--regime hard]
 *                             [--sizes 1000x100,5000x200] [--seeds 3] [--no-cascade] [--cascade-branch 0.3] [--cascade-pool 0.3] [--cascade-split 0.2]
 *                             [--cascade-coupled-branch 0.6]
 *                             [--threads 1] [--no-scaled-bound])
 * `--threads 2` (the default) runs the branch and bound over services on two worker threads (parallelBranch.ts).
 * The target is every answer proven for 1,000 × 100 within 10 s; 5,000 × 200 within 60 s is the stretch.
 * The machine is shared: the load average is printed with the figures.
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { largestAttack, solveMostProfitable } from '../src/risk/attack.ts'
import { worstCaseLoss } from '../src/risk/cascade.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { parallelBranch } from '../src/risk/parallelBranch.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { rat, toNumber } from '../src/risk/rational.ts'
import { createRng } from '../src/risk/rng.ts'
import { benchNetwork, flagOrExit, parseSize, regimeOf } from './benchNetwork.ts'

const { values } = parseArgs({
  options: {
    'time-limit': { type: 'string', default: '10' },
    allocations: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '3' },
    'no-cascade': { type: 'boolean', default: false },
    // share of the cascade's time limit for the branching over services (cascadeBranch.ts); 0 = off
    'cascade-branch': { type: 'string', default: '0' },
    // share of the cascade's time limit for the branching with a pool of share vectors (cascadePool.ts); 0 = off
    'cascade-pool': { type: 'string', default: '0' },
    // share of the cascade's time limit for the split of the shock's credit (cascadeSplit.ts); 0 = off
    'cascade-split': { type: 'string', default: '0' },
    // share of the time for the coupled branching in the concurrent stages (cascadeCoupledBranch.ts); 0 = off
    'cascade-coupled-branch': { type: 'string', default: '0.6' },
    regime: { type: 'string', multiple: true, default: ['typical', 'boundary', 'hard'] },
    sizes: { type: 'string', default: '50x10,200x50,1000x100' },
    threads: { type: 'string', default: '2' },
    // the largest attack's bound from the verdict's branching on scaled stakes (largestBound.ts), on a thread
    'no-scaled-bound': { type: 'boolean', default: false },
    // print the cascade's R_ψ found and its bound after each row
    'cascade-detail': { type: 'boolean', default: false },
  },
})
/** A bench flag that must be a positive number (`--seeds 3` runs seeds 1 to 3; a list such as `1,2` is refused). */
function positive(name: string, text: string, integer = false): number {
  const x = Number(text)
  if (!(x > 0) || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
    console.error(`--${name} must be a positive ${integer ? 'whole number' : 'number'} (got '${text}')`)
    process.exit(2)
  }
  return x
}
const timeLimitSeconds = positive('time-limit', values['time-limit'])
const seedCount = positive('seeds', values.seeds, true)
const parallel = Number(values.threads) > 1 ? parallelBranch() : undefined
const sizes = values.sizes.split(',').map((s) => flagOrExit(() => parseSize(s)))
const regimes = values.regime.map((r) => flagOrExit(() => regimeOf(r)))
const cascade = !values['no-cascade']
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

await loadHighs()
console.log(
  `attack search, ${values.allocations ? 'with allocations' : 'whole-stake (paper) model'}; time limit ${timeLimitSeconds}s per question; ${parallel ? 'branching on 2 threads' : 'one thread'}; load average ${load()}`,
)
// The first solve pays for compiling the wasm; keep it out of the figures.
await solveMostProfitable(
  parseRiskInput(randomNetwork(createRng(0), { operators: 20, services: 5, membersPerService: [2, 8] })),
)
// Likewise the threads' start (loading their modules and the solver): one small search on them first.
if (parallel)
  await parallelBranch({ minEdges: 0 })
    .start(
      parseRiskInput(randomNetwork(createRng(0), { operators: 20, services: 5, membersPerService: [2, 8] })),
      {
        deadline: performance.now() + 5000,
      },
    )
    .result()
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since)
  return ((u.user + u.system) / 1e6).toFixed(1)
}
/** Seconds when proven, else the remaining gap (bound − value) in token units, or "no bound". */
const cell = (seconds: number, proven: boolean, gap: number, unitsPerToken: number) =>
  (proven
    ? seconds.toFixed(2)
    : Number.isFinite(gap)
      ? `gap ${(gap / unitsPerToken).toPrecision(3)}`
      : 'no bound'
  ).padStart(14)
console.log(
  'regime    size          seed  verdict   proven  most profitable (s)    largest (s)' +
    (cascade ? '  cascade ψ=0.1 (s)' : '') +
    '  cpu (s)  load',
)
for (const regime of regimes) {
  for (const [ops, svcs] of sizes) {
    for (let seed = 1; seed <= seedCount; seed++) {
      const n = benchNetwork({
        seed,
        operators: ops,
        services: svcs,
        regime,
        allocations: values.allocations,
      })
      const perToken = 10 ** n.scale
      // CPU seconds this process got for the row's three questions: on a loaded machine, far below wall time.
      const cpu = process.cpuUsage()
      let t = performance.now()
      const best = await solveMostProfitable(n, { timeLimitSeconds, parallel })
      const verdictTime = (performance.now() - t) / 1000
      t = performance.now()
      const large = await largestAttack(n, {
        timeLimitSeconds,
        start: best.attack ?? undefined,
        provenSecure: best.answer.attack === null && best.answer.proven,
        parallel,
        scaledSearch: !values['no-scaled-bound'],
      })
      const largestTime = (performance.now() - t) / 1000
      const a = best.answer
      const net = a.attack ? Number(a.attack.profit - a.attack.cost) : 0
      const largeCost = Number(large.attack?.cost ?? 0n)
      let cascadeCol = ''
      if (cascade) {
        t = performance.now()
        const start = large.attack
          ? {
              services: large.attack.services.map((id) => n.services.findIndex((s) => s.id === id)),
              operators: large.attack.operators.map((id) => n.operators.findIndex((o) => o.id === id)),
            }
          : (best.attack ?? undefined)
        const c = await worstCaseLoss(n, rat(1n, 10n), {
          timeLimitSeconds,
          start,
          // the solver on its thread, abandoned at the deadline (mipThread.ts), as in the CLI
          parallel,
          cascadeBranch: Number(values['cascade-branch']),
          cascadePool: Number(values['cascade-pool']),
          cascadeSplit: Number(values['cascade-split']),
          cascadeCoupledBranch: Number(values['cascade-coupled-branch']),
        })
        const secs = (performance.now() - t) / 1000
        const gapPct = (c.worstLossBound - toNumber(c.worstLoss)) * 100
        if (values['cascade-detail'])
          console.log(
            `  cascade: found ${toNumber(c.worstLoss).toFixed(4)} bound ${c.worstLossBound.toFixed(4)}`,
          )
        cascadeCol = `  ${(c.proven ? secs.toFixed(2) : `gap ${gapPct.toPrecision(3)}%`).padStart(17)}`
      }
      const verdictProven = a.attack !== null || a.proven || a.bound <= 0
      const verdict = a.attack ? 'insecure' : verdictProven ? 'secure' : 'unknown'
      console.log(
        `${regime.padEnd(10)}${`${ops} × ${svcs}`.padEnd(14)}${String(seed).padEnd(6)}${verdict.padEnd(10)}${(verdictProven ? 'yes' : 'NO').padEnd(8)}${cell(verdictTime, a.proven, a.bound - net, perToken).padStart(19)}  ${cell(largestTime, large.proven, large.bound - largeCost, perToken)}${cascadeCol}  ${cpuSeconds(cpu).padStart(7)}  ${load().split(' ')[0]}`,
      )
    }
  }
}
