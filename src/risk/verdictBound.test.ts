import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteMostProfitable } from './bruteForce.ts'
import { findCostShares, sharesFit } from './costShare.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { cmp, rat } from './rational.ts'
import { createRng } from './rng.ts'

describe('the cost shares’ cap on an insecure network’s bound (attack.ts CAP_STEPS)', () => {
  test('50 steps never bound the net profit below the brute-force optimum, both models (seed 79)', () => {
    const rng = createRng(79)
    let insecure = 0
    let below = 0
    for (let i = 0; i < 400; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(4, 10),
          services: rng.int(1, 5),
          membersPerService: [2, 7],
          allocations: i % 2 === 1,
          // the typical regime, where a service usually pays alone and the cap is what the shares are used for
          profitFactor: SMALL_REGIMES[0],
        }),
      )
      const best = bruteMostProfitable(n)
      if (best === null) continue
      insecure++
      const out = findCostShares(n, { maxIterations: 50, budgetMs: 5_000 })
      assert.ok(sharesFit(n, out.shares), `network ${i}: shares above a stake or an allocation`)
      assert.ok(cmp(out.bound, rat(best)) >= 0, `network ${i}: bound below the optimum ${best}`)
      // the cap is worth having: below Σ π, what a solver that never finished its LP reports
      const all = n.services.reduce((a, s) => a + s.profit, 0n)
      if (cmp(out.bound, rat(all)) < 0) below++
    }
    assert.ok(insecure > 150, `only ${insecure} insecure networks`)
    assert.ok(below > insecure / 2, `the cap beat Σ π on only ${below} of ${insecure}`)
  })
})
