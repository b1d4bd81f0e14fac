/**
 * The branch and bound over services alone, run to the end on one thread from the cost shares' best, with no
 * heuristic and no time limit: the CPU a proof costs, free of the bench's time budgets (its node count does not
 * depend on the machine's load). Prints nodes, wall and CPU seconds and the load average.
 * Run: npx tsx bench/branchProbe.ts [--regime hard] [--size 1000x100] [--seed 2] [--start FILE|verdict]
 *        [--save FILE] [--max-nodes N] [--progress N]
 * `--start verdict` first runs the verdict (10 s, two threads) and starts the branching from its attack;
 * `--start FILE` reads an attack ({services, operators}: indices) saved by `--save` — an insecure network's proof
 * of optimality then costs what this prints.
 * Profile: node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/branchProbe.ts --seed 2
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { solveMostProfitable } from '../src/risk/attack.ts'
import { findCostShares } from '../src/risk/costShare.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { closeBranchThreads, parallelBranch } from '../src/risk/parallelBranch.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'
import {
  amountBound,
  type BranchNode,
  branchContext,
  branchNode,
  branchOutcome,
  branchState,
  rootNode,
} from '../src/risk/serviceBranch.ts'
import { type Attack, attackCost, attackProfit } from '../src/risk/verify.ts'

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'hard' },
    size: { type: 'string', default: '1000x100' },
    seed: { type: 'string', default: '2' },
    start: { type: 'string' },
    save: { type: 'string' },
    'max-nodes': { type: 'string' },
    progress: { type: 'string', default: '0' },
    'trace-from': { type: 'string' },
    'leaf-out': { type: 'string' },
  },
})
// the bench's regimes and members per service (bench/risk.ts)
const profitFactor: [number, number] =
  values.regime === 'boundary' ? [0.02, 0.25] : values.regime === 'typical' ? [0.2, 1.2] : [0.05, 0.35]
const [ops, svcs] = values.size.split('x').map(Number) as [number, number]
const members: [number, number] =
  ops <= 50 ? [5, 20] : ops <= 200 ? [10, 40] : svcs >= 200 ? [25, 100] : [20, 80]
const n = parseRiskInput(
  randomNetwork(createRng(Number(values.seed)), {
    operators: ops,
    services: svcs,
    membersPerService: members,
    profitFactor,
  }),
)
const highs = await loadHighs()
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
const tok = (x: bigint | number) => (Number(x) / 10 ** n.scale).toFixed(1)
let incumbent: Attack | null = null
if (values.start === 'verdict') {
  const best = await solveMostProfitable(n, { timeLimitSeconds: 10, parallel: parallelBranch() })
  await closeBranchThreads()
  incumbent = best.attack
  console.log(`verdict: bound ${tok(best.answer.bound)}`)
} else if (values.start) incumbent = JSON.parse(readFileSync(values.start, 'utf8')) as Attack
if (incumbent) {
  console.log(
    `start: ${incumbent.services.length} services, net ${tok(attackProfit(n, incumbent) - attackCost(n, incumbent))}`,
  )
  if (values.save) writeFileSync(values.save, JSON.stringify(incumbent))
}
console.log(`${values.regime} ${values.size} seed ${values.seed}; load average ${load()}`)
const cpu = process.cpuUsage()
const t = performance.now()
const shares = findCostShares(n, { budgetMs: 1e9 })
// serviceBranch's loop, with a progress line every --progress nodes
const opts = {
  incumbent,
  rootShares: shares.lam,
  highs,
  trace: (depth: number, bound: number, pruned: boolean) => {
    if (values['trace-from'] !== undefined && state.nodes >= Number(values['trace-from']))
      console.log(`  node ${state.nodes}: depth ${depth}, bound ${tok(bound)}, pruned ${pruned}`)
  },
  flatTrace: (A: number[], _before: bigint, value: bigint, complete: boolean, ms: number) =>
    console.log(
      `  node ${state.nodes}: flat A of ${A.length} services covered, net ${tok(value)}, complete ${complete}, ${ms.toFixed(0)} ms`,
    ),
  leafTrace: (A: number[], nodes: number, complete: boolean, ms: number) =>
    console.log(
      `  leaf of ${A.length} services: ${nodes} operator nodes, complete ${complete}, ${ms.toFixed(0)} ms`,
    ),
}
const ctx = branchContext(n)
const state = branchState(ctx, incumbent)
state.open.push(Infinity, rootNode(ctx, shares.lam))
const every = Number(values.progress)
const maxNodes = Number(values['max-nodes'] ?? Number.POSITIVE_INFINITY)
while (state.open.size > 0 && state.nodes < maxNodes) {
  const node = state.open.pop() as BranchNode
  if (values['leaf-out'] && !node.fixed.includes(0)) {
    // a fully fixed node (FREE is 0): its attacked services, for a probe of the leaf alone
    writeFileSync(
      values['leaf-out'],
      JSON.stringify([...node.fixed.keys()].filter((s) => node.fixed[s] === 1)),
    )
    console.log(`  leaf written to ${values['leaf-out']}`)
  }
  if (branchNode(ctx, state, node, opts, performance.now() + 1e9) === 'stop') break
  if (every > 0 && state.nodes % every === 0)
    console.log(
      `  ${state.nodes} nodes, ${state.open.size} open, largest open ${tok(amountBound(state.open.top, ctx.unitF))}, ` +
        `incumbent ${tok(state.value)}, ${((performance.now() - t) / 1000).toFixed(1)} s`,
    )
}
const b = branchOutcome(ctx, state)
const u = process.cpuUsage(cpu)
if (values.save && b.attack) writeFileSync(values.save, JSON.stringify(b.attack))
console.log(
  `proven ${b.proven}, ${b.attack ? `attack netting ${tok(b.value)}` : 'no attack'}, bound ${tok(b.bound)}, ${b.nodes} nodes; ` +
    `${((performance.now() - t) / 1000).toFixed(2)} s wall, ${((u.user + u.system) / 1e6).toFixed(2)} CPU-seconds; ` +
    `load average ${load()}`,
)
