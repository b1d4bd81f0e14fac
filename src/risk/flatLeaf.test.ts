import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteMostProfitable } from './bruteForce.ts'
import { heuristicAttack } from './heuristic.ts'
import { parseRiskInput } from './input.ts'
import { loadHighs } from './mip.ts'
import type { Network } from './network.ts'
import { hardRegimeInput } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { serviceBranch } from './serviceBranch.ts'
import { attackCost, attackProfit, isValidAttack } from './verify.ts'

const highs = await loadHighs()

/** The bench's hard regime and the edge above it, on dense small networks (randomNetwork.ts). */
const hardNetwork = (rng: ReturnType<typeof createRng>, i: number): Network =>
  parseRiskInput(hardRegimeInput(rng, i, { operators: [4, 8], services: [3, 8], members: [3, 6] }))

describe('flat covers in the branch and bound over services', () => {
  test('the search with them agrees with brute force on 300 hard-regime networks (seed 91)', () => {
    // Flat covers on at any size, from a weak start (the heuristic's attack, or none: then the root's own attacks
    // start them). One search in three gives each cover almost no time, so that it ends unsettled: a cover taken
    // for settled then would skip the fully fixed node of its A, and a wrong proof shows here.
    const rng = createRng(91)
    let covers = 0
    let unsettled = 0
    let raised = 0
    let insecure = 0
    for (let i = 0; i < 300; i++) {
      const n = hardNetwork(rng, i)
      const best = bruteMostProfitable(n)
      if (best !== null) insecure++
      const incumbent = i % 2 === 1 ? heuristicAttack(n, { budgetMs: 20 }) : null
      const flatLeafMs = i % 3 === 0 ? 1e-9 : 500
      const out = serviceBranch(n, {
        incumbent,
        budgetMs: 10_000,
        highs,
        flatMinEdges: 0,
        flatLeafMs,
        flatTrace: (_A, before, found, complete) => {
          covers++
          if (!complete) unsettled++
          if (found > before) raised++
        },
      })
      if (out.attack) {
        assert.ok(isValidAttack(n, out.attack), `network ${i}: invalid attack`)
        assert.equal(attackProfit(n, out.attack) - attackCost(n, out.attack), out.value)
      }
      assert.ok(
        best === null || out.bound >= Number(best) * (1 - 1e-9),
        `network ${i}: bound below the optimum`,
      )
      // exact leaves: every search ends proven, at brute force's optimum
      assert.ok(out.proven, `network ${i}: unproven`)
      assert.equal(out.value, best ?? 0n, `network ${i}: proved ${out.value}, brute force finds ${best}`)
    }
    console.log(
      `${insecure} insecure, ${covers} flat covers, ${unsettled} unsettled, ${raised} raised the incumbent`,
    )
    assert.ok(insecure >= 90, `only ${insecure} insecure networks`)
    assert.ok(covers >= 80 && unsettled >= 20, `flat covers: ${covers}, ${unsettled} unsettled`)
    // (2, not 3: a fully fixed node is no longer covered before its own exact solve, and 2 of the 4 raises this seed
    // saw were those solves' own; 211 covers fell to 116)
    assert.ok(raised >= 2, 'no flat cover raised the incumbent')
  })
})
