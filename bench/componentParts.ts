/**
 * The verdict on networks of several components: two small ones (6 operators, 4 services, with allocations) and one
 * of about 2,000 pairs (200 × 50), the large one last (`--order small-first`, typical regime) or first
 * (`--order large-first`, hard regime with allocations); how many of 12 are proven within `--time-limit`, and each
 * one's wall time. A small component's part of the time by pairs alone was too short to start its solver.
 * Run: npx tsx bench/componentParts.ts [--time-limit 2] [--order small-first|large-first]
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { solveMostProfitable } from '../src/risk/attack.ts'
import { parseRiskInput, type RiskInput } from '../src/risk/input.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

const { values } = parseArgs({
  options: {
    'time-limit': { type: 'string', default: '2' },
    order: { type: 'string', default: 'small-first' },
  },
})
const limit = Number(values['time-limit'])
const largeFirst = values.order === 'large-first'

function join(parts: RiskInput[]): RiskInput {
  const operators: RiskInput['operators'] = []
  const services: RiskInput['services'] = []
  const allocations: NonNullable<RiskInput['allocations']> = []
  parts.forEach((p, k) => {
    for (const o of p.operators) operators.push({ ...o, id: `c${k}_${o.id}` })
    for (const s of p.services)
      services.push({ ...s, id: `c${k}_${s.id}`, operators: s.operators.map((v) => `c${k}_${v}`) })
    for (const a of p.allocations ?? [])
      allocations.push({ ...a, operator: `c${k}_${a.operator}`, service: `c${k}_${a.service}` })
  })
  return allocations.length > 0 ? { operators, services, allocations } : { operators, services }
}

let proven = 0
for (let i = 0; i < 12; i++) {
  const rng = createRng(500 + i)
  const small = [0, 1].map(() =>
    randomNetwork(rng, {
      operators: 6,
      services: 4,
      membersPerService: [2, 4],
      profitFactor: [0.3, 1.5],
      allocations: true,
    }),
  )
  const large = randomNetwork(rng, {
    operators: 200,
    services: 50,
    membersPerService: [30, 50],
    profitFactor: largeFirst ? [0.05, 0.35] : [0.2, 1.2],
    allocations: largeFirst,
  })
  const n = parseRiskInput(join(largeFirst ? [large, ...small] : [...small, large]))
  const t0 = performance.now()
  const out = await solveMostProfitable(n, { timeLimitSeconds: limit })
  const s = (performance.now() - t0) / 1000
  if (out.answer.proven) proven++
  console.log(
    `${i}  proven ${out.answer.proven ? 'yes' : 'NO '}  ${s.toFixed(2)} s  load ${loadavg()[0]?.toFixed(1)}`,
  )
}
console.log(`proven ${proven} of 12 at ${limit} s (${values.order})`)
