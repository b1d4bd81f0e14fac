import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade, bruteLargestCost } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import {
  cascadeShareBound,
  coverExcess,
  knapsackBound,
  leastOf,
  shockBudget,
  shockShareCap,
} from './cascadeBound.ts'
import { cascadeStart } from './cascadeHeuristic.ts'
import { findCascadeShares } from './cascadeShares.ts'
import type { CostShares } from './costShare.ts'
import { sharesFit } from './costShare.ts'
import { parseRiskInput } from './input.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork, randomShares, SMALL_REGIMES } from './randomNetwork.ts'
import { type Rational, rat, ratToString, toNumber } from './rational.ts'
import type { Rng } from './rng.ts'
import { createRng } from './rng.ts'
import { attackCost, isValidAttack } from './verify.ts'

const REGIMES = [...SMALL_REGIMES, [0.02, 0.25] as const]
const PSIS = [0n, 5n, 10n, 25n, 50n]

function smallNetwork(rng: Rng, i: number): Network {
  return parseRiskInput(
    randomNetwork(rng, {
      operators: rng.int(2, 6),
      services: rng.int(1, 4),
      membersPerService: [1, 5],
      allocations: i % 2 === 1,
      profitFactor: REGIMES[i % REGIMES.length],
    }),
  )
}

/**
 * A wrong variant, for the tests to catch: the knapsack without the shocked members' shares (ρ* = 0 under any
 * shock), as if the shock could not help open a service.
 */
function boundWithoutShockShares(n: Network, shares: CostShares, budget: bigint): bigint {
  const weights = coverExcess(n, shares).map((w) => w * shares.unit)
  const p = knapsackBound(
    n.services.map((s) => s.profit),
    weights,
    -shares.den,
  )
  return p === null || p < 1n ? budget : budget + p - 1n
}

describe('cascade share bound', () => {
  test('knapsackBound is at least the best subset, exactly, on 300 random item sets', () => {
    const rng = createRng(71)
    for (let i = 0; i < 300; i++) {
      const k = rng.int(0, 7)
      const profits = Array.from({ length: k }, () => BigInt(rng.int(0, 30)))
      const weights = Array.from({ length: k }, () => BigInt(rng.int(-20, 40)))
      const cap = BigInt(rng.int(-30, 60))
      let best: bigint | null = null
      for (let m = 0; m < 1 << k; m++) {
        let p = 0n
        let w = 0n
        for (let j = 0; j < k; j++)
          if (m & (1 << j)) {
            p += profits[j] as bigint
            w += weights[j] as bigint
          }
        if (w <= cap && (best === null || p > best)) best = p
      }
      const lp = knapsackBound(profits, weights, cap)
      if (best === null) assert.equal(lp, null, `set ${i}: a subset fits where the LP says none`)
      else {
        assert.ok(lp !== null && lp >= best, `set ${i}: LP ${lp} below the best subset ${best}`)
        // and not absurdly loose: never more than every profit
        assert.ok(lp <= profits.reduce((a, b) => a + b, 0n))
      }
    }
  })

  test('is at least the exhaustive R_ψ and largest attack on 400 small networks, random and searched shares, both models, four regimes (seed 72)', () => {
    const rng = createRng(72)
    let strict = 0
    for (let i = 0; i < 400; i++) {
      const n = smallNetwork(rng, i)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = bruteCascade(n, psi)
      const searched = findCascadeShares(n, budget, { budgetMs: 200, shareSteps: 40, priceSteps: 10 })
      assert.ok(searched.bound >= truth, `network ${i}, ψ ${ratToString(psi)}: ${searched.bound} < ${truth}`)
      for (const sh of searched.shares) assert.ok(sharesFit(n, sh))
      const random = randomShares(rng, n)
      assert.ok(sharesFit(n, random))
      const r = cascadeShareBound(n, random, budget)
      assert.ok(r >= truth, `network ${i}, random shares: ${r} < ${truth}`)
      // ρ* never exceeds Ψ (each ρ_v ≤ σ_v up to the rounding of whole share units)
      assert.ok(shockShareCap(n, random, budget) <= budget * random.den + BigInt(n.services.length * 8))
      if (psi.num === 0n) {
        const largest = bruteLargestCost(n)
        assert.ok(searched.bound >= largest, `network ${i}: largest ${largest} above ${searched.bound}`)
      }
      if (searched.bound === truth) strict++
    }
    // the bound is tight on a good part of them (it is not just σ(V))
    assert.ok(strict >= 60, `tight on only ${strict} of 400`)
  })

  test('dropping the shocked members’ shares under-bounds: the test above would catch it (seed 72)', () => {
    const rng = createRng(72)
    let caught = 0
    for (let i = 0; i < 400; i++) {
      const n = smallNetwork(rng, i)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = bruteCascade(n, psi)
      const searched = findCascadeShares(n, budget, { budgetMs: 200, shareSteps: 40, priceSteps: 10 })
      randomShares(rng, n) // keep the stream of the test above
      const wrong = leastOf(searched.shares.map((sh) => boundWithoutShockShares(n, sh, budget)))
      if (wrong < truth) caught++
    }
    assert.ok(caught >= 5, `the wrong variant under-bounded only ${caught} networks`)
  })

  test('a hand-made network where the shock opens a service: the bound covers it, the variant without the shock’s shares does not', () => {
    // s = {a (40), b (20)}, α = 1/2, π = 30; c (40) secures nothing and only adds to σ(V), so ψ = 0.4 allows a shock
    // of 40. No attack without a shock (b alone holds 20 < 30; a costs 40 ≥ 30). Shocking a leaves s needing 10:
    // b holds it and costs 20 < 30, so R σ(V) = 40 + 20 = 60.
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 40 },
        { id: 'b', stake: 20 },
        { id: 'c', stake: 40 },
      ],
      services: [{ id: 's', profit: 30, threshold: 0.5, operators: ['a', 'b'] }],
    })
    const psi = rat(2n, 5n)
    const budget = shockBudget(n, psi)
    assert.equal(budget, 40n)
    assert.equal(bruteCascade(n, psi), 60n)
    assert.equal(bruteLargestCost(n), 0n)
    // Each member's whole stake as its share: C_s = 30 = π_s, so the knapsack needs the shock's ρ* = ½·40 = 20.
    const full: CostShares = { shares: [[40n, 20n]], unit: 1n, den: 1n }
    assert.equal(shockShareCap(n, full, budget), 20n)
    assert.equal(cascadeShareBound(n, full, budget), 40n + 30n - 1n)
    assert.equal(boundWithoutShockShares(n, full, budget), 40n, 'the wrong variant sees the shock alone')
    // with no shock allowed both agree that nothing can be attacked
    assert.equal(cascadeShareBound(n, full, 0n), 0n)
    const searched = findCascadeShares(n, budget, { budgetMs: 200 })
    assert.ok(searched.bound >= 60n)
  })

  test('the heuristic’s shock and attack are admissible, worth their value, and never beat brute force (seed 73)', () => {
    const rng = createRng(73)
    let hits = 0
    for (let i = 0; i < 300; i++) {
      const n = smallNetwork(rng, i)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const { best, forSolver } = cascadeStart(n, budget, { solverMargin: 3n })
      for (const c of [best, forSolver]) {
        const lost = c.shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
        assert.ok(lost <= budget, `network ${i}: shock over budget`)
        if (c.attack) assert.ok(isValidAttack(n, c.attack, new Set(c.shock)), `network ${i}: invalid attack`)
        assert.equal(c.value, lost + (c.attack ? attackCost(n, c.attack) : 0n))
      }
      const truth = bruteCascade(n, psi)
      assert.ok(best.value <= truth)
      if (best.value === truth) hits++
    }
    assert.ok(hits >= 150, `optimal on only ${hits} of 300`)
  })

  test('worstCaseLoss through the solver path, with and without the cuts: the brute-force optimum, bound never below it (seed 74)', async () => {
    const rng = createRng(74)
    let exact = 0
    for (let i = 0; i < 60; i++) {
      const n = smallNetwork(rng, i)
      const psi: Rational = rat(PSIS[(i % (PSIS.length - 1)) + 1] as bigint, 100n)
      // every other one with the shares first, as cuts in the MIP (cascadeCuts.ts)
      const r = await worstCaseLoss(n, psi, { exhaustive: false, cascadeCuts: i % 2 === 0 })
      const truth = bruteCascade(n, psi)
      const total = totalStake(n)
      assert.equal(ratToString(r.worstLoss), ratToString(rat(truth, total)), `network ${i}`)
      assert.ok(r.worstLossBound >= toNumber(rat(truth, total)), `network ${i}: bound below the truth`)
      if (r.exact) exact++
    }
    assert.ok(exact >= 3, `exact on only ${exact} of 60`)
  })
})
