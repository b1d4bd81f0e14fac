import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { solveMostProfitable } from './attack.ts'
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

describe('an attack that nets the cost shares’ bound is proven optimal exactly (attack.ts)', () => {
  test('one service that pays alone, every member needed: proven exactly, without the solver’s word', async () => {
    // α = 1: the only cover is every member, so C_s = σ(N(s)) = 60 and the shares' bound π − C = 40 is what the
    // attack nets. Before, this answer was the solver's (proven, not exact).
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 10 },
        { id: 'b', stake: 20 },
        { id: 'c', stake: 30 },
      ],
      services: [{ id: 's', profit: 100, threshold: 1, operators: ['a', 'b', 'c'] }],
    })
    const { answer } = await solveMostProfitable(n, { timeLimitSeconds: 10 })
    assert.equal(answer.attack?.profit, 100n)
    assert.equal(answer.attack?.cost, 60n)
    assert.equal(answer.proven, true)
    assert.equal(answer.exact, true)
    assert.equal(answer.bound, 40)
  })

  test('an exact answer always equals brute force, on 300 small typical networks, both models (seed 83)', async () => {
    const rng = createRng(83)
    let exact = 0
    for (let i = 0; i < 300; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(3, 8),
          services: rng.int(1, 4),
          membersPerService: [1, 5],
          allocations: i % 2 === 1,
          profitFactor: SMALL_REGIMES[i % 3] as [number, number],
        }),
      )
      const best = bruteMostProfitable(n) ?? 0n
      const { answer } = await solveMostProfitable(n, { timeLimitSeconds: 5 })
      if (!answer.exact) continue
      exact++
      const net = answer.attack ? answer.attack.profit - answer.attack.cost : 0n
      assert.equal(net, best, `network ${i}: exact answer nets ${net}, brute force ${best}`)
    }
    assert.ok(exact > 100, `only ${exact} exact answers`)
  })
})
