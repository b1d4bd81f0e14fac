import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { shareBound, worstCaseLoss } from './cascade.ts'
import { parseRiskInput } from './input.ts'
import { totalStake } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { rat, ratToString } from './rational.ts'
import { createRng } from './rng.ts'

describe('worstCaseLoss', () => {
  test('reproduces the paper’s example: a 10% shock loses everything when γ = 0', async () => {
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 0.1 },
        { id: 'b', stake: 0.9 },
      ],
      services: [{ id: 's', profit: 1, threshold: 1, operators: ['a', 'b'] }],
    })
    const r = await worstCaseLoss(n, rat(1n, 10n))
    assert.equal(ratToString(r.worstLoss), '1')
    assert.equal(r.proven, true)
    assert.deepEqual(r.shock.operators, ['a'])
    assert.deepEqual(r.attack?.operators, ['b'])
    assert.equal(r.bound, null, 'no bound without positive slack')
  })

  test('stays within (1 + 1/γ)·ψ when the network has slack', async () => {
    // s1 is worth a quarter of its stake, half of what α = 1/2 puts at risk: k = 1/2, so γ = 1 and R_ψ < 2ψ.
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 40 },
        { id: 'b', stake: 30 },
        { id: 'c', stake: 30 },
      ],
      services: [
        { id: 's1', profit: 25, threshold: 0.5, operators: ['a', 'b', 'c'] },
        { id: 's2', profit: 0, threshold: 0.5, operators: ['a'] },
      ],
    })
    const r = await worstCaseLoss(n, rat(3n, 10n))
    assert.equal(ratToString(r.gamma ?? rat(0n)), '1')
    assert.equal(ratToString(r.bound ?? rat(0n)), '3/5')
    assert.ok(r.worstLoss.num * (r.bound?.den ?? 1n) < (r.bound?.num ?? 0n) * r.worstLoss.den)
  })

  test('the float bound on R_ψ stays a number with stakes past a float’s range (it was NaN: ∞/∞)', async () => {
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: '1e320' },
        { id: 'b', stake: '9e320' },
      ],
      services: [{ id: 's', profit: '1e321', threshold: 1, operators: ['a', 'b'] }],
    })
    const r = await worstCaseLoss(n, rat(1n, 10n))
    assert.equal(ratToString(r.worstLoss), '1')
    assert.equal(r.worstLossBound, 1)
    assert.equal(shareBound(Number.NaN, 10n ** 330n), 1, 'no number: the whole stake')
    assert.equal(shareBound(5, 10n ** 330n), 1, 'a finite bound over a total past a float: not 0')
    assert.equal(shareBound(Number.POSITIVE_INFINITY, 10n), 1)
    assert.equal(shareBound(3, 10n), 0.3)
    assert.equal(shareBound(30, 10n), 1, 'never more than all stake')
  })

  test('counts the shock alone when it enables no attack', async () => {
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 50 },
        { id: 'b', stake: 50 },
      ],
      services: [{ id: 's', profit: 1, threshold: 1, operators: ['a', 'b'] }],
    })
    const r = await worstCaseLoss(n, rat(1n, 2n))
    // Removing a leaves b alone able to attack s, but b (50) costs more than s is worth (1).
    assert.equal(ratToString(r.worstLoss), '1/2')
    assert.equal(r.attack, null)
  })

  test('agrees with brute force on 120 random networks and shocks (seed 3)', async () => {
    const rng = createRng(3)
    for (let i = 0; i < 120; i++) {
      const allocations = i % 3 === 2
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(1, 5),
          services: rng.int(1, 3),
          membersPerService: [1, 4],
          allocations,
        }),
      )
      const psi = rat(BigInt(rng.int(0, 40)), 100n)
      const r = await worstCaseLoss(n, psi, { exhaustive: false })
      const expected = rat(bruteCascade(n, psi), totalStake(n))
      assert.equal(ratToString(r.worstLoss), ratToString(expected), `network ${i}, ψ = ${ratToString(psi)}`)
      if (r.bound)
        assert.ok(r.worstLoss.num * r.bound.den <= r.bound.num * r.worstLoss.den, `bound, network ${i}`)
    }
  })

  test('agrees with brute force on 80 edge-of-security networks (no service pays alone) and shocks, both models (seed 6)', async () => {
    const rng = createRng(6)
    for (let i = 0; i < 80; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(2, 5),
          services: rng.int(2, 3),
          membersPerService: [2, 4],
          allocations: i % 2 === 1,
          profitFactor: [0.15, 0.6],
        }),
      )
      const psi = rat(BigInt(rng.int(5, 50)), 100n)
      const r = await worstCaseLoss(n, psi, { exhaustive: false })
      const expected = rat(bruteCascade(n, psi), totalStake(n))
      assert.equal(ratToString(r.worstLoss), ratToString(expected), `network ${i}, ψ = ${ratToString(psi)}`)
    }
  })

  test('agrees with brute force on 50 hard-regime networks (profits 0.05–0.35 of a lone attack) and shocks, both models (seed 10)', async () => {
    const rng = createRng(10)
    for (let i = 0; i < 50; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(3, 5),
          services: rng.int(4, 6),
          membersPerService: [2, 4],
          allocations: i % 2 === 1,
          profitFactor: [0.05, 0.35],
        }),
      )
      const psi = rat(BigInt(rng.int(5, 40)), 100n)
      const r = await worstCaseLoss(n, psi, { exhaustive: false })
      const expected = rat(bruteCascade(n, psi), totalStake(n))
      assert.equal(ratToString(r.worstLoss), ratToString(expected), `network ${i}, ψ = ${ratToString(psi)}`)
      assert.ok(r.proven, `network ${i}: not proven`)
    }
  })
})
