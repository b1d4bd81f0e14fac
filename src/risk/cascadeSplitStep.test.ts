import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { cascadeShareBound, cascadeSplitBound, SPLIT_DEN, shockBudget } from './cascadeBound.ts'
import { findCascadeShares } from './cascadeShares.ts'
import { stepShockSplit } from './cascadeSplitStep.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork, randomShares, SMALL_REGIMES } from './randomNetwork.ts'
import { rat } from './rational.ts'
import { createRng } from './rng.ts'

const REGIMES = [...SMALL_REGIMES, [0.02, 0.25] as const]
const PSIS = [5n, 10n, 25n, 50n, 0n]

describe('split by subgradient steps (cascadeSplitStep.ts)', () => {
  test('its exact bound is never below brute force and often below the unsplit one (300 small networks)', () => {
    const rng = createRng(95)
    let lower = 0
    for (let i = 0; i < 300; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(2, 7),
          services: rng.int(1, 4),
          membersPerService: [1, 5],
          allocations: i % 3 !== 0,
          profitFactor: REGIMES[i % REGIMES.length],
        }),
      )
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = bruteCascade(n, psi)
      // searched shares on even networks, random ones on odd: the split must hold for any shares
      const shares =
        i % 2 === 0
          ? (findCascadeShares(n, budget, { budgetMs: 50, shareSteps: 60, priceSteps: 10 }).shares[0] ??
            randomShares(rng, n))
          : randomShares(rng, n)
      const split = stepShockSplit(n, shares, budget, {
        deadline: Number.POSITIVE_INFINITY,
        target: truth,
        maxSteps: 200,
      })
      assert.ok(split, `network ${i}: no split`)
      for (const row of split)
        for (const b of row) assert.ok(b >= 0n && b <= SPLIT_DEN, `network ${i}: β ${b}`)
      const bound = cascadeSplitBound(n, shares, budget, split)
      assert.ok(bound >= truth, `network ${i}: split bound ${bound} below the true ${truth}`)
      if (bound < cascadeShareBound(n, shares, budget)) lower++
    }
    assert.ok(lower >= 20, `below the unsplit bound on only ${lower} of 300`)
  })
})
