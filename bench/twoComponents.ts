/**
 * Writes a risk input of two large components (typical 200 × 40 with allocations seed 5, which the solver proves
 * within seconds, then 1,000 × 100 seed 1, which it does not), for the flip thread's lifecycle across components
 * (docs/risk.md, "Flips covered exactly"). Run: npx tsx bench/twoComponents.ts OUT.json, then
 * `SURETY_FROM_SOURCE=1 node bin/surety.mjs risk analyze --input OUT.json --time-limit 8`.
 */
import { writeFileSync } from 'node:fs'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

const a = randomNetwork(createRng(5), {
  operators: 200,
  services: 40,
  membersPerService: [60, 80],
  allocations: true,
})
const b = randomNetwork(createRng(1), {
  operators: 1000,
  services: 100,
  membersPerService: [20, 80],
  allocations: true,
})
const ren = (x: string) => `b${x}`
writeFileSync(
  process.argv[2] ?? 'two-components.json',
  JSON.stringify({
    operators: [...a.operators, ...b.operators.map((o) => ({ ...o, id: ren(o.id) }))],
    services: [
      ...a.services,
      ...b.services.map((s) => ({ ...s, id: ren(s.id), operators: s.operators.map(ren) })),
    ],
    allocations: [
      ...(a.allocations ?? []),
      ...(b.allocations ?? []).map((x) => ({ ...x, operator: ren(x.operator), service: ren(x.service) })),
    ],
  }),
)
