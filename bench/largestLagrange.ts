/**
 * Probe: the largest attack bounded through the verdict's branching (serviceBranch.ts) on a network whose stakes are
 * scaled by c = p/q < 1 (profits by q, stakes by p). Every valid attack has π(A) − cost(B) ≥ 1 and
 * π(A) − c·cost(B) ≤ P(c), the most profitable net on the scaled network divided by q; so
 * cost(B) ≤ (P(c) − 1)/(1 − c). Prints that bound for each c after the given time.
 *   npx tsx bench/largestLagrange.ts --seed 3 --c 0.6,0.7,0.8 --ms 20000 [--start FILE] [--largest FILE]
 *     [--max-nodes N] [--flat-ms MS]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { largestAttack } from '../src/risk/attack.ts'
import { findCostShares } from '../src/risk/costShare.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { loadHighs } from '../src/risk/mip.ts'
import type { Network } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'
import { serviceBranch } from '../src/risk/serviceBranch.ts'
import { type Attack, attackCost, attackProfit } from '../src/risk/verify.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '3' },
    c: { type: 'string', default: '0.7' },
    ms: { type: 'string', default: '10000' },
    start: { type: 'string' },
    largest: { type: 'string' },
    'max-nodes': { type: 'string' },
    // how long a flat node's A is covered exactly (serviceBranch.ts flatLeaf); 0 turns it off
    'flat-ms': { type: 'string' },
  },
})
const n = parseRiskInput(
  randomNetwork(createRng(Number(values.seed)), {
    operators: 1000,
    services: 100,
    membersPerService: [20, 80],
    profitFactor: [0.05, 0.35],
  }),
)
const highs = await loadHighs()
const tok = (x: bigint | number) => (Number(x) / 10 ** n.scale).toFixed(1)
const starts: Attack[] = []
if (values.start) starts.push(JSON.parse(readFileSync(values.start, 'utf8')) as Attack)
let large: Attack | null = null
try {
  if (values.largest) large = JSON.parse(readFileSync(values.largest, 'utf8')) as Attack
} catch {}
if (!large) {
  const out = await largestAttack(n, { timeLimitSeconds: 10, start: starts[0] })
  if (out.attack) {
    const idx = new Map(n.services.map((s, i) => [s.id, i]))
    const vdx = new Map(n.operators.map((o, i) => [o.id, i]))
    large = {
      services: out.attack.services.map((id) => idx.get(id) as number),
      operators: out.attack.operators.map((id) => vdx.get(id) as number),
    }
    if (values.largest) writeFileSync(values.largest, JSON.stringify(large))
  }
  console.log(`largest: found ${tok(out.attack?.cost ?? 0n)}, solver bound ${tok(out.bound)}`)
}
if (large) {
  starts.push(large)
  console.log(`largest attack: cost ${tok(attackCost(n, large))}, π ${tok(attackProfit(n, large))}`)
}

/** Stakes × p, profits × q: net' = q·π − p·cost. */
function scaled(n: Network, p: bigint, q: bigint): Network {
  return {
    ...n,
    operators: n.operators.map((o) => ({ ...o, stake: o.stake * p })),
    services: n.services.map((s) => ({
      ...s,
      profit: s.profit * q,
      memberStake: s.memberStake.map((x) => x * p),
    })),
  }
}
for (const cText of values.c.split(',')) {
  const c = Number(cText)
  const q = 1000n
  const p = BigInt(Math.round(c * 1000))
  const m = scaled(n, p, q)
  const t = performance.now()
  const shares = findCostShares(m, { budgetMs: 2000 })
  const inc = starts
    .map((a) => ({ a, v: q * attackProfit(n, a) - p * attackCost(n, a) }))
    .sort((x, y) => (y.v > x.v ? 1 : -1))[0]
  const b = serviceBranch(m, {
    incumbent: inc?.a ?? null,
    budgetMs: Number(values.ms),
    rootShares: shares.lam,
    highs,
    ...(values['max-nodes'] ? { maxNodes: Number(values['max-nodes']) } : {}),
    ...(values['flat-ms'] !== undefined ? { flatLeafMs: Number(values['flat-ms']) } : {}),
  })
  // bound on the largest: (P̄ − q)/(q − p) units, P̄ in the scaled network's units
  const largestBound = (b.bound - Number(q)) / Number(q - p)
  console.log(
    `c ${c}: P(c) found ${tok(Number(b.value) / Number(q))}, bound ${tok(b.bound / Number(q))}, proven ${b.proven}, ${b.nodes} nodes, ` +
      `${((performance.now() - t) / 1000).toFixed(1)} s → largest ≤ ${tok(largestBound)}; load ${loadavg()[0]?.toFixed(1)}`,
  )
  if (b.attack)
    console.log(
      `  its best attack: π ${tok(attackProfit(n, b.attack))}, cost ${tok(attackCost(n, b.attack))}, ${b.attack.services.length} services`,
    )
}
