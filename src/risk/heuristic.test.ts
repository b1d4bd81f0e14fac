import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteMostProfitable } from './bruteForce.ts'
import { heuristicAttack, netProfit } from './heuristic.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { isValidAttack } from './verify.ts'

describe('heuristicAttack', () => {
  test('finds the restaking attack that only pays across two services', () => {
    const n = parseRiskInput({
      operators: [{ id: 'v', stake: 10 }],
      services: [
        { id: 's1', profit: 6, threshold: 1, operators: ['v'] },
        { id: 's2', profit: 6, threshold: 1, operators: ['v'] },
      ],
    })
    assert.deepEqual(heuristicAttack(n), { services: [0, 1], operators: [0] })
  })

  test('returns only exactly valid attacks, never better than the optimum, and finds most (seed 7)', () => {
    const rng = createRng(7)
    let insecure = 0
    let found = 0
    for (let i = 0; i < 200; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(2, 6),
          services: rng.int(1, 4),
          membersPerService: [1, 4],
          allocations: i % 2 === 1,
          profitFactor: i % 4 < 2 ? [0.2, 1.2] : [0.05, 0.35],
        }),
      )
      const best = bruteMostProfitable(n)
      const a = heuristicAttack(n)
      if (best !== null) insecure++
      if (a === null) continue
      found++
      assert.ok(isValidAttack(n, a), `network ${i}: invalid attack`)
      assert.ok(best !== null && netProfit(n, a) <= best, `network ${i}: beats the optimum`)
    }
    assert.ok(found >= insecure * 0.8, `found ${found} of ${insecure} insecure networks`)
  })
})
