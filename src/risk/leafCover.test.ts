import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteUnderFixing } from './bruteForce.ts'
import { parseRiskInput } from './input.ts'
import { solveLeaf } from './leafCover.ts'
import { loadHighs } from './mip.ts'
import type { Network } from './network.ts'
import { hardRegimeInput } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { attackCost, attackProfit, meetsThresholds } from './verify.ts'

const highs = await loadHighs()

/** The bench's hard regime and the edge above it, on dense small networks (randomNetwork.ts). */
const hardNetwork = (rng: ReturnType<typeof createRng>, i: number): Network =>
  parseRiskInput(hardRegimeInput(rng, i, { operators: [4, 9], services: [2, 6], members: [3, 7] }))

/** The best net profit of a coalition attacking exactly A, by enumeration. */
function bruteLeaf(n: Network, A: number[]): bigint {
  const fixed = Uint8Array.from(n.services, (_, s) => (A.includes(s) ? 1 : 2))
  const best = bruteUnderFixing(n, fixed)
  if (best === null) throw new Error('every member together always meets α ≤ 1')
  return best
}

describe('the exact covering solve at a fully fixed node', () => {
  test('finds the best coalition for A when it beats the incumbent, and proves none does otherwise (seed 43)', () => {
    const rng = createRng(43)
    let improved = 0
    let pruned = 0
    for (let i = 0; i < 300; i++) {
      const n = hardNetwork(rng, i)
      const A = n.services.flatMap((_, s) => (rng.next() < 0.6 ? [s] : []))
      if (A.length === 0) continue
      const best = bruteLeaf(n, A)
      // incumbents just below, at and above the optimum for A, and far below it
      for (const value of [best - 1n, best, best + 1n, best - 1000n]) {
        const out = solveLeaf(n, A, value, highs, performance.now() + 10_000)
        assert.equal(out.complete, true, `network ${i}: not complete`)
        if (best > value) {
          improved++
          assert.ok(out.attack, `network ${i}: missed a coalition netting ${best} > ${value}`)
          assert.deepEqual(
            out.attack.services,
            [...A].sort((x, y) => x - y),
          )
          assert.ok(meetsThresholds(n, out.attack), `network ${i}: a threshold missed`)
          const net = attackProfit(n, out.attack) - attackCost(n, out.attack)
          assert.equal(net, out.value)
          assert.equal(out.value, best, `network ${i}: found ${out.value}, brute force ${best}`)
        } else {
          pruned++
          assert.equal(out.attack, null, `network ${i}: an attack netting ${out.value} ≤ ${value}`)
          assert.equal(out.value, value)
        }
      }
    }
    assert.ok(improved >= 300 && pruned >= 300, `improved ${improved}, pruned ${pruned}`)
  })
})

describe('a leaf without a deadline', () => {
  test('solves to the end (HiGHS rejects an infinite time_limit: it threw before) (seed 47)', () => {
    const rng = createRng(47)
    let solved = 0
    for (let i = 0; i < 40; i++) {
      const n = hardNetwork(rng, i)
      const A = n.services.flatMap((_, s) => (rng.next() < 0.6 ? [s] : []))
      if (A.length === 0) continue
      const best = bruteLeaf(n, A)
      const out = solveLeaf(n, A, best - 1n, highs, Number.POSITIVE_INFINITY)
      assert.equal(out.complete, true, `network ${i}: not complete`)
      assert.equal(out.value, best, `network ${i}: found ${out.value}, brute force ${best}`)
      solved++
    }
    assert.ok(solved >= 30, `solved ${solved}`)
  })
})
