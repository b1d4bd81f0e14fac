import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { shockBudget } from './cascadeBound.ts'
import {
  buildCascadeCoupled,
  type CascadeCoupledMultipliers,
  coupledCascadeBound,
  coupledCascadeExact,
} from './cascadeCoupled.ts'
import { findCascadeShares } from './cascadeShares.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork, randomShares } from './randomNetwork.ts'
import { rat } from './rational.ts'
import type { Rng } from './rng.ts'
import { createRng } from './rng.ts'

const PSIS = [0n, 5n, 10n, 25n, 50n]
// boundary and hard (the bench's) and a hotter one, where small networks have valid attacks
const REGIMES = [
  [0.02, 0.25],
  [0.05, 0.35],
  [0.2, 0.7],
] as const

/** Random multipliers, any sign for λ, μ and θ ≥ 0 (their numerators over 2^40): the bound must hold for any. */
function randomMultipliers(
  rng: Rng,
  n: ReturnType<typeof parseRiskInput>,
  unit: bigint,
): CascadeCoupledMultipliers {
  const big = (x: number) => BigInt(Math.round(x * 2 ** 40))
  return {
    lam: n.services.map((s) => s.members.map(() => big((rng.next() - 0.5) * 0.4))),
    mu: n.services.map(() => big(rng.next() * 3)),
    theta: big(rng.next() * 4),
    unit,
  }
}

describe('coupled cascade bound (cascadeCoupled.ts)', () => {
  test('never below brute force, from searched and random multipliers (300 small networks with allocations)', () => {
    const rng = createRng(1414)
    let tight = 0
    let warmTight = 0
    let below = 0
    for (let i = 0; i < 300; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(2, 7),
          services: rng.int(1, 4),
          membersPerService: [1, 5],
          allocations: true,
          profitFactor: REGIMES[i % REGIMES.length],
        }),
      )
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = bruteCascade(n, psi)
      const { bound } = coupledCascadeBound(n, budget, {
        deadline: Number.POSITIVE_INFINITY,
        maxIterations: 300,
      })
      assert.ok(bound >= truth, `network ${i}: searched bound ${bound} below the true ${truth}`)
      // from shares, as worstCaseLoss starts it (searched shares on even networks, random ones on odd)
      const shares =
        i % 2 === 0
          ? (findCascadeShares(n, budget, { budgetMs: 50, shareSteps: 60, priceSteps: 10 }).shares[0] ??
            randomShares(rng, n))
          : randomShares(rng, n)
      const warm = coupledCascadeBound(n, budget, {
        deadline: Number.POSITIVE_INFINITY,
        maxIterations: 200,
        shares,
      }).bound
      assert.ok(warm >= truth, `network ${i}: bound from shares ${warm} below the true ${truth}`)
      if (bound === truth || warm === truth) tight++
      if (warm === truth) warmTight++
      if (bound < totalOf(n)) below++
      const core = buildCascadeCoupled(n, budget)
      const random = coupledCascadeExact(n, budget, randomMultipliers(rng, n, core.unit))
      assert.ok(random >= truth, `network ${i}: random multipliers' bound ${random} below the true ${truth}`)
    }
    // and not vacuous: below all stake on most, meeting the truth on some
    assert.ok(below >= 150, `below σ(V) on only ${below} of 300`)
    assert.ok(tight >= 30, `equal to the truth on only ${tight} of 300`)
    assert.ok(warmTight >= 30, `from shares, equal to the truth on only ${warmTight} of 300`)
  })
})

const totalOf = (n: ReturnType<typeof parseRiskInput>) => n.operators.reduce((a, o) => a + o.stake, 0n)
