import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteLargestCost } from './bruteForce.ts'
import { heuristicAttack } from './heuristic.ts'
import { parseRiskInput } from './input.ts'
import { growByLeaf } from './largestHeuristic.ts'
import { swapByLeaf } from './largestSwap.ts'
import { loadHighs } from './mip.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { attackCost, isValidAttack } from './verify.ts'

describe('swapByLeaf', () => {
  test('reaches the largest attack on a two-service network from one service', async () => {
    const highs = await loadHighs()
    // {s0} by a burns 25 of π 30; {s0, s1} by a, e, f burns 65 of π 71 (nets 6): the largest, by adding s1
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 25 },
        { id: 'e', stake: 20 },
        { id: 'f', stake: 20 },
      ],
      services: [
        { id: 's0', profit: 30, threshold: 1, operators: ['a'] },
        { id: 's1', profit: 41, threshold: 1, operators: ['e', 'f'] },
      ],
    })
    const a = swapByLeaf(n, { services: [0], operators: [0] }, highs, performance.now() + 5000, 500)
    assert.ok(isValidAttack(n, a))
    assert.equal(attackCost(n, a), 65n)
  })

  test('valid attacks, never larger than the largest, at least the start, often past growth; both models (seed 14)', async () => {
    const highs = await loadHighs()
    const rng = createRng(14)
    let tried = 0
    let reached = 0
    let pastGrowth = 0
    let belowGrowth = 0
    for (let i = 0; i < 500; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(3, 8),
          services: rng.int(2, 6),
          membersPerService: [1, 4],
          allocations: i % 2 === 1,
          profitFactor: SMALL_REGIMES[i % SMALL_REGIMES.length],
        }),
      )
      const start = heuristicAttack(n)
      if (!start) continue
      tried++
      const a = swapByLeaf(n, start, highs, performance.now() + 2000, 500)
      assert.ok(isValidAttack(n, a), `network ${i}: not a valid attack`)
      const cost = attackCost(n, a)
      const truth = bruteLargestCost(n)
      assert.ok(cost <= truth, `network ${i}: ${cost} larger than the largest attack ${truth}`)
      assert.ok(cost >= attackCost(n, start), `network ${i}: smaller than its start`)
      if (cost === truth) reached++
      const grown = attackCost(n, growByLeaf(n, start, highs, performance.now() + 2000, 500))
      if (cost > grown) pastGrowth++
      if (cost < grown) belowGrowth++
    }
    assert.ok(tried > 80, `tried ${tried}`)
    assert.ok(reached > (tried * 3) / 4, `reached the largest attack on ${reached} of ${tried}`)
    assert.ok(pastGrowth >= belowGrowth, `past growth on ${pastGrowth}, below it on ${belowGrowth}`)
  })
})
