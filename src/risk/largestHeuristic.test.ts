import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteLargestCost } from './bruteForce.ts'
import { heuristicAttack } from './heuristic.ts'
import { parseRiskInput } from './input.ts'
import { growByLeaf, largestAttackStart, padCoalition } from './largestHeuristic.ts'
import { loadHighs } from './mip.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { attackCost, attackProfit, isValidAttack } from './verify.ts'

describe('largestAttackStart', () => {
  test('pads the coalition with more stake while the attack stays valid', () => {
    // π = 22 and α = 1/2 of 25: a alone (10) attacks; a and b (20) still profit; adding c (25) would not.
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 10 },
        { id: 'b', stake: 10 },
        { id: 'c', stake: 5 },
      ],
      services: [{ id: 's', profit: 22, threshold: 0.5, operators: ['a', 'b', 'c'] }],
    })
    assert.deepEqual(padCoalition(n, { services: [0], operators: [0] }), { services: [0], operators: [0, 1] })
  })

  test('keeps the margin the largest-attack search demands', () => {
    // π = 21: a and b (20) would leave a margin of 1, below the 2 units padding keeps; a stays alone.
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 10 },
        { id: 'b', stake: 10 },
      ],
      services: [{ id: 's', profit: 21, threshold: 0.5, operators: ['a', 'b'] }],
    })
    assert.deepEqual(padCoalition(n, { services: [0], operators: [0] }).operators, [0])
  })

  test('returns valid attacks, never larger than the largest, at least as large as its start, both models (seed 12)', () => {
    const rng = createRng(12)
    let grew = 0
    let tried = 0
    for (let i = 0; i < 150; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(3, 6),
          services: rng.int(2, 5),
          membersPerService: [2, 4],
          allocations: i % 2 === 1,
          profitFactor: i % 3 === 0 ? [0.05, 0.35] : [0.2, 1.2],
        }),
      )
      const start = heuristicAttack(n)
      if (!start) continue
      tried++
      const a = largestAttackStart(n, start)
      assert.ok(a && isValidAttack(n, a), `network ${i}: not a valid attack`)
      const cost = attackCost(n, a)
      assert.ok(attackProfit(n, a) - cost >= 1n, `network ${i}: no margin left`)
      assert.ok(cost <= bruteLargestCost(n), `network ${i}: larger than the largest attack`)
      assert.ok(cost >= attackCost(n, start), `network ${i}: smaller than its start`)
      if (cost > attackCost(n, start)) grew++
    }
    assert.ok(tried > 50 && grew > tried / 3, `grew ${grew} of ${tried} starts`)
  })

  test('growByLeaf: valid attacks, never larger than the largest, at least its start, often grown; both models (seed 13)', async () => {
    const highs = await loadHighs()
    const rng = createRng(13)
    let grew = 0
    let tried = 0
    let reached = 0
    for (let i = 0; i < 300; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(3, 7),
          services: rng.int(2, 5),
          membersPerService: [1, 4],
          allocations: i % 2 === 1,
          profitFactor: SMALL_REGIMES[i % SMALL_REGIMES.length],
        }),
      )
      const start = heuristicAttack(n)
      if (!start) continue
      // the smallest start there is: the first service of the heuristic's attack alone, if that is valid
      const one = padCoalition(n, { services: [start.services[0] as number], operators: start.operators })
      const from = isValidAttack(n, one) ? one : start
      tried++
      const a = growByLeaf(n, from, highs, performance.now() + 2000, 500)
      assert.ok(isValidAttack(n, a), `network ${i}: not a valid attack`)
      const cost = attackCost(n, a)
      const truth = bruteLargestCost(n)
      assert.ok(cost <= truth, `network ${i}: ${cost} larger than the largest attack ${truth}`)
      assert.ok(cost >= attackCost(n, from), `network ${i}: smaller than its start`)
      if (cost > attackCost(n, from)) grew++
      if (cost === truth) reached++
    }
    assert.ok(tried > 50 && grew > tried / 5, `grew ${grew} of ${tried} starts`)
    assert.ok(reached > tried / 2, `grew ${grew}; reached the largest attack on ${reached} of ${tried}`)
  })
})
