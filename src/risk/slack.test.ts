import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { mostProfitableAttack } from './attack.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork } from './randomNetwork.ts'
import { rat, ratToString } from './rational.ts'
import { createRng } from './rng.ts'
import { cascadeBound, certifiedSlack } from './slack.ts'

describe('certifiedSlack', () => {
  test('is 0 on the paper’s two-operator network', () => {
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 0.1 },
        { id: 'b', stake: 0.9 },
      ],
      services: [{ id: 's', profit: 1, threshold: 1, operators: ['a', 'b'] }],
    })
    assert.equal(ratToString(certifiedSlack(n) ?? rat(9n)), '0')
  })

  test('sums an operator’s load over every service it restakes to', () => {
    // v secures two services each worth 6 at α = 1 with stake 10: load 6/10 + 6/10, so 1 + γ = 10/12.
    const n = parseRiskInput({
      operators: [{ id: 'v', stake: 10 }],
      services: [
        { id: 's1', profit: 6, threshold: 1, operators: ['v'] },
        { id: 's2', profit: 6, threshold: 1, operators: ['v'] },
      ],
    })
    assert.equal(ratToString(certifiedSlack(n) ?? rat(9n)), '-1/6')
  })

  test('bounds each service on its own when allocations are below stake', () => {
    // v allocates 1 of its 100 to a service worth 2: its restaking load is tiny, but the service alone is
    // attackable for 1, so γ must be negative.
    const n = parseRiskInput({
      operators: [{ id: 'v', stake: 100 }],
      services: [{ id: 's', profit: 2, threshold: 1, operators: ['v'] }],
      allocations: [{ operator: 'v', service: 's', stake: 1 }],
    })
    assert.equal(ratToString(certifiedSlack(n) ?? rat(9n)), '-1/2')
  })

  test('is -1 when a service with profit has no stake behind it, and unbounded with no profit at all', () => {
    const free = parseRiskInput({
      operators: [{ id: 'v', stake: 0 }],
      services: [{ id: 's', profit: 1, threshold: 0.5, operators: ['v'] }],
    })
    assert.equal(ratToString(certifiedSlack(free) ?? rat(9n)), '-1')
    const idle = parseRiskInput({ operators: [{ id: 'v', stake: 3 }], services: [] })
    assert.equal(certifiedSlack(idle), null)
    assert.equal(ratToString(cascadeBound(null, rat(1n, 10n)) ?? rat(9n)), '1/10')
  })

  test('certifies only secure networks: γ ≥ 0 implies no attack (300 random networks, seed 4)', async () => {
    const rng = createRng(4)
    let certified = 0
    for (let i = 0; i < 300; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(1, 6),
          services: rng.int(1, 3),
          membersPerService: [1, 4],
          allocations: i % 2 === 1,
          profitFactor: [0.05, 0.6],
        }),
      )
      const gamma = certifiedSlack(n)
      if (gamma === null || gamma.num >= 0n) {
        certified++
        assert.equal((await mostProfitableAttack(n)).attack, null, `network ${i}`)
      }
    }
    assert.ok(certified > 30, `only ${certified} networks were certified; the generator should produce more`)
  })
})
