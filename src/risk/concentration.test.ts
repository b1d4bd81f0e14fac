import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { analyzeNetwork } from './analyze.ts'
import { nakamoto, nakamotoCoefficients } from './concentration.ts'
import { parseRiskInput } from './input.ts'
import { rat, ratToString } from './rational.ts'

describe('Nakamoto coefficients', () => {
  test('count the fewest operators reaching each fraction, boundary included', () => {
    // 40 + 30 + 20 + 10: 40 ≥ 1/3, 40 + 30 ≥ 1/2, 40 + 30 ≥ 2/3 of 100 (70 ≥ 66.6).
    assert.deepEqual(nakamotoCoefficients([10n, 40n, 20n, 30n]), { third: 1, half: 2, twoThirds: 2 })
    assert.equal(nakamoto([1n, 1n], rat(1n, 2n)), 1, 'exactly half counts')
    assert.equal(nakamoto([], rat(1n, 2n)), 0)
    assert.deepEqual(nakamotoCoefficients([1n, 1n, 1n]), { third: 1, half: 2, twoThirds: 2 })
  })
})

describe('analyzeNetwork', () => {
  test('reports verdict, attacks, slack, leverage and concentration together', async () => {
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 30 },
        { id: 'b', stake: 30 },
        { id: 'c', stake: 40 },
      ],
      services: [
        { id: 'cheap', profit: 35, threshold: 0.5, operators: ['a', 'b', 'c'] },
        { id: 'safe', profit: 1, threshold: 1, operators: ['c'] },
      ],
    })
    const r = await analyzeNetwork(n)
    // a (or b) plus c holds ≥ 1/2 of cheap only with c (40 + 30 = 70 > 35): not profitable. c alone is 40 < 50.
    // Two operators a + b = 60 ≥ 50 cost 60 > 35. So the network is secure.
    assert.equal(r.secure, true)
    assert.equal(r.attack, null)
    assert.equal(r.largestAttack, null)
    assert.equal(r.proven, true)
    assert.equal(ratToString(r.services[0]?.leverage ?? rat(0n)), '7/20')
    assert.deepEqual(r.services[1]?.nakamoto, { third: 1, half: 1, twoThirds: 1 })
    assert.deepEqual(r.nakamoto, { third: 1, half: 2, twoThirds: 2 })
    assert.equal(r.totalStake, 100n)
  })

  test('reports the largest attack separately from the most profitable one', async () => {
    const n = parseRiskInput({
      operators: [
        { id: 'x', stake: 10 },
        { id: 'y', stake: 10 },
        { id: 'z', stake: 25 },
      ],
      services: [{ id: 's', profit: 40, threshold: 0.5, operators: ['x', 'y', 'z'] }],
    })
    const r = await analyzeNetwork(n)
    // z alone holds 25 ≥ 22.5 and nets 15; adding x still pays (cost 35 < 40) and burns more; all three do not.
    assert.deepEqual(r.attack, { services: ['s'], operators: ['z'], profit: 40n, cost: 25n })
    assert.equal(r.largestAttack?.cost, 35n)
    assert.equal(r.secure, false)
  })
})
