/**
 * The branch and bound over services alone, run to the end on one thread from the cost shares' best, with no
 * heuristic and no time limit: the CPU a proof of security costs, free of the bench's time budgets (its node count
 * does not depend on the machine's load). Prints nodes, wall and CPU seconds and the load average.
 * Run: npx tsx bench/branchProbe.ts [--regime hard] [--size 1000x100] [--seed 2]
 * Profile: node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/branchProbe.ts --seed 2
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { findCostShares } from '../src/risk/costShare.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'
import { serviceBranch } from '../src/risk/serviceBranch.ts'

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'hard' },
    size: { type: 'string', default: '1000x100' },
    seed: { type: 'string', default: '2' },
  },
})
// the bench's regimes and members per service (bench/risk.ts)
const profitFactor: [number, number] = values.regime === 'boundary' ? [0.02, 0.25] : [0.05, 0.35]
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
console.log(`${values.regime} ${values.size} seed ${values.seed}; load average ${load()}`)
const cpu = process.cpuUsage()
const t = performance.now()
const shares = findCostShares(n, { budgetMs: 1e9 })
const b = serviceBranch(n, { incumbent: null, budgetMs: 1e9, rootShares: shares.lam, highs })
const u = process.cpuUsage(cpu)
console.log(
  `proven ${b.proven}, ${b.attack ? `attack netting ${b.value}` : 'no attack'}, ${b.nodes} nodes; ` +
    `${((performance.now() - t) / 1000).toFixed(2)} s wall, ${((u.user + u.system) / 1e6).toFixed(2)} CPU-seconds; ` +
    `load average ${load()}`,
)
