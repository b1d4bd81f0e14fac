import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { mostProfitableAttack } from './attack.ts'
import { bruteMostProfitable } from './bruteForce.ts'
import { components, liftAttack } from './components.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { certifiedSlack } from './slack.ts'

describe('components', () => {
  test('keeps services that share an operator together (splitting them would drop the restaking attack)', async () => {
    // Either service alone (π = 6) is worth less than v's stake (10); both together are worth 12.
    const n = parseRiskInput({
      operators: [{ id: 'v', stake: 10 }],
      services: [
        { id: 's1', profit: 6, threshold: 1, operators: ['v'] },
        { id: 's2', profit: 6, threshold: 1, operators: ['v'] },
      ],
    })
    assert.equal(components(n).length, 1)
    assert.equal((await mostProfitableAttack(n)).attack?.cost, 10n)
  })

  test('splits independent groups and maps their attacks back to the whole network', () => {
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 1 },
        { id: 'b', stake: 2 },
        { id: 'c', stake: 3 },
        { id: 'idle', stake: 4 },
      ],
      services: [
        { id: 's1', profit: 5, threshold: 1, operators: ['a', 'c'] },
        { id: 's2', profit: 5, threshold: 1, operators: ['b'] },
        { id: 's3', profit: 5, threshold: 1, operators: ['c'] },
      ],
    })
    const parts = components(n)
    assert.deepEqual(
      parts.map((c) => [c.services, c.operators]),
      [
        [
          [0, 2],
          [0, 2],
        ],
        [[1], [1]],
      ],
    )
    const first = parts[0] as (typeof parts)[number]
    assert.deepEqual(first.network.services[1]?.members, [1], 'members are renumbered inside the component')
    assert.deepEqual(liftAttack(first, { services: [1], operators: [1] }), { services: [2], operators: [2] })
  })

  test('the most profitable attack is the union of the components’ best attacks', async () => {
    // Two copies of a profitable group and one secure group (γ ≥ 0 there, though not network-wide).
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 4 },
        { id: 'b', stake: 3 },
        { id: 'c', stake: 50 },
      ],
      services: [
        { id: 's1', profit: 10, threshold: 1, operators: ['a'] },
        { id: 's2', profit: 5, threshold: 1, operators: ['b'] },
        { id: 's3', profit: 1, threshold: 1, operators: ['c'] },
      ],
    })
    const secureOne = components(n)[2]
    assert.ok(secureOne && (certifiedSlack(secureOne.network)?.num ?? -1n) >= 0n)
    assert.ok((certifiedSlack(n)?.num ?? 0n) < 0n)
    const out = await mostProfitableAttack(n)
    assert.deepEqual(out.attack, { services: ['s1', 's2'], operators: ['a', 'b'], profit: 15n, cost: 7n })
    assert.equal(bruteMostProfitable(n), 8n)
  })

  test('agrees with brute force on 150 sparse random networks, most of them split (seed 11)', async () => {
    const rng = createRng(11)
    let split = 0
    for (let i = 0; i < 150; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(3, 7),
          services: rng.int(2, 4),
          membersPerService: [1, 2],
          allocations: i % 2 === 1,
          profitFactor: [0.3, 1.5],
        }),
      )
      if (components(n).length > 1) split++
      const out = await mostProfitableAttack(n)
      assert.equal(
        out.attack === null ? null : out.attack.profit - out.attack.cost,
        bruteMostProfitable(n),
        `${i}`,
      )
    }
    assert.ok(split > 50, `only ${split} networks split`)
  })
})
