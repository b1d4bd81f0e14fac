import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteMostProfitable, bruteUnderFixing } from './bruteForce.ts'
import { heuristicAttack, netProfit } from './heuristic.ts'
import { parseRiskInput } from './input.ts'
import { polishByLeaf } from './leafPolish.ts'
import { loadHighs } from './mip.ts'
import type { Network } from './network.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { serviceBranch } from './serviceBranch.ts'
import { type Attack, isValidAttack } from './verify.ts'

const highs = await loadHighs()

/** Every member of A's services: a valid attack whenever A pays for it, and as expensive a coalition as there is. */
const everyMember = (n: Network, services: number[]): Attack => ({
  services,
  operators: [...new Set(services.flatMap((s) => n.services[s]?.members ?? []))].sort((a, b) => a - b),
})

describe('polishByLeaf', () => {
  test('returns the cheapest coalition for the same services, never a worse or an invalid attack (seed 71)', () => {
    const rng = createRng(71)
    let improved = 0
    let checked = 0
    for (let i = 0; i < 400; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(4, 10),
          services: rng.int(1, 5),
          membersPerService: [2, 7],
          allocations: i % 2 === 1,
          // insecure networks only are of use here: the typical regime, the hard one, and richer profits
          profitFactor: [SMALL_REGIMES[0], SMALL_REGIMES[2], [0.6, 2]][i % 3] as [number, number],
        }),
      )
      const best = bruteMostProfitable(n)
      // the heuristic's attack, and every member of its services (a start a polish must improve when it can)
      const h = heuristicAttack(n, { budgetMs: 20 })
      if (!h) continue
      for (const start of [h, everyMember(n, h.services)]) {
        if (!isValidAttack(n, start)) continue
        const out = polishByLeaf(n, start, highs, 5_000)
        checked++
        assert.ok(isValidAttack(n, out), `network ${i}: the polished attack is not valid`)
        assert.deepEqual(out.services, start.services, `network ${i}: the services changed`)
        const fixed = Uint8Array.from(n.services, (_, s) => (start.services.includes(s) ? 1 : 2))
        // enumeration: the best coalition for exactly these services
        const forA = bruteUnderFixing(n, fixed)
        assert.equal(netProfit(n, out), forA, `network ${i}: not the cheapest coalition for A`)
        assert.ok(best !== null && netProfit(n, out) <= best, `network ${i}: beats the brute-force optimum`)
        if (netProfit(n, out) > netProfit(n, start)) improved++
      }
    }
    // the comparison must have bitten: many starts (304 with this seed), 79 of them not the cheapest coalition
    assert.ok(checked > 250, `only ${checked} starts checked`)
    assert.ok(improved > 50, `only ${improved} starts improved`)
  })

  test('keeps the attack given when there is no time or nothing cheaper', () => {
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 10 },
        { id: 'b', stake: 9 },
      ],
      services: [{ id: 's', profit: 30, threshold: 0.4, operators: ['a', 'b'] }],
    })
    const cheapest: Attack = { services: [0], operators: [1] }
    assert.equal(polishByLeaf(n, cheapest, highs, 5_000), cheapest)
    const dear: Attack = { services: [0], operators: [0] }
    assert.equal(polishByLeaf(n, dear, highs, 0), dear)
    assert.deepEqual(polishByLeaf(n, dear, highs, 5_000).operators, [1])
    // the search's own deadline (read live: a worker's moves when the main thread shortens it) stops it too
    assert.equal(
      polishByLeaf(n, dear, highs, 5_000, () => performance.now() - 1),
      dear,
    )
    assert.equal(polishByLeaf(n, dear, highs, 5_000, performance.now() - 1), dear)
    assert.deepEqual(polishByLeaf(n, dear, highs, 5_000, () => performance.now() + 5_000).operators, [1])
  })

  test('the branching’s rounded root attack is valid, never beats brute force, and improves on the root alone (seed 73)', () => {
    const rng = createRng(73)
    let better = 0
    let found = 0
    for (let i = 0; i < 200; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(5, 10),
          services: rng.int(2, 6),
          membersPerService: [3, 7],
          allocations: i % 2 === 1,
          profitFactor: [SMALL_REGIMES[0], SMALL_REGIMES[2]][i % 2] as [number, number],
        }),
      )
      const best = bruteMostProfitable(n)
      // the root only, with and without the rounded attack (on every size: the default leaves small networks out)
      const plain = serviceBranch(n, { highs, maxNodes: 1, budgetMs: 5_000, roundedMinEdges: Infinity })
      const out = serviceBranch(n, { highs, maxNodes: 1, budgetMs: 5_000, roundedMinEdges: 0 })
      if (!out.attack) continue
      found++
      assert.ok(isValidAttack(n, out.attack), `network ${i}: invalid attack`)
      assert.equal(netProfit(n, out.attack), out.value, `network ${i}: value is not the attack's`)
      assert.ok(best !== null && out.value <= best, `network ${i}: beats brute force`)
      assert.ok(out.value >= plain.value, `network ${i}: worse than the root without it`)
      if (out.value > plain.value) better++
    }
    assert.ok(found > 50, `only ${found} attacks found`)
    // 87 attacks with this seed, 30 of them better than the root's own
    assert.ok(better > 10, `only ${better} better than the root’s own`)
  })
})
