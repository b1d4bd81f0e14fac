/**
 * Prototype measurement (issue 14, serviceCuts.ts): a fully fixed node of the A in FILE bounded by the price search
 * with and without the cuts its exact cover (leafCover.ts) met. Run: npx tsx bench/cutLeafProbe.ts FILE [MS]
 */
import { readFileSync } from 'node:fs'
import { findCostShares } from '../src/risk/costShare.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { solveLeaf } from '../src/risk/leafCover.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'
import { addCut, cutPool } from '../src/risk/serviceCuts.ts'
import { branchContext, branchNode, branchState, rootNode } from '../src/risk/serviceBranch.ts'
import { IN, OUT } from '../src/risk/shareCore.ts'
import type { Attack } from '../src/risk/verify.ts'
const n = parseRiskInput(randomNetwork(createRng(3), { operators: 1000, services: 100, membersPerService: [20, 80], profitFactor: [0.05, 0.35] }))
const highs = await loadHighs()
const tok = (x: bigint | number) => (Number(x) / 10 ** n.scale).toFixed(1)
const att = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Attack
const A = att.services
const ctx = branchContext(n)
const t0 = performance.now()
const out = solveLeaf(n, A, 3300n * 10n ** BigInt(n.scale), highs, performance.now() + Number(process.argv[3] ?? 1500), (s, g, h) => { addCut(ctx.cuts, ctx.core, s, g, h) })
const profit = A.reduce((x, s) => x + (n.services[s]?.profit ?? 0n), 0n)
console.log(`leaf: ${A.length} services, bound ${tok(out.bound)}, found ${tok(out.value)}, ${out.nodes} nodes, ${(performance.now()-t0).toFixed(0)} ms; cuts ${ctx.cuts.cuts.length}`)
const shares = findCostShares(n, { budgetMs: 1e9 })
// root to get prices
const st0 = branchState(ctx, att)
const root = rootNode(ctx, shares.lam)
let rootMu: Float64Array | undefined
branchNode({ ...ctx, cuts: cutPool(ctx.core.S) }, st0, root, { highs, flatLeafMs: 0, roundedMinEdges: 1e9 }, performance.now() + 1e9)
const child = st0.open.pop()!
rootMu = child.mu
const fixed = new Uint8Array(ctx.core.S).fill(OUT)
for (const s of A) fixed[s] = IN
for (const steps of [14, 100, 400, 1500]) {
  for (const [name, c] of [['none', { ...ctx, cuts: cutPool(ctx.core.S) }], ['cuts', ctx]] as const) {
    let got = NaN
    const st = branchState(c, att)
    // bound only: a node with one free service (the last of A's complement) so it is not solved as a leaf
    const f = Uint8Array.from(fixed)
    branchNode(c, st, { fixed: f, lam: Float64Array.from(child.lam), parentBound: 1e9, mu: rootMu }, { flatLeafMs: 0, nodePriceSteps: steps, trace: (_d, b) => (got = b) }, performance.now() + 1e9)
    console.log(`  ${name}/${steps}: ${tok(got)}`)
  }
}
console.log(`pi(A) ${tok(profit)}`)
