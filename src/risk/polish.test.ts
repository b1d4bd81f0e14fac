import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { prepare } from './heuristic.ts'
import { parseRiskInput } from './input.ts'
import { polishCoalition } from './polish.ts'
import { randomNetwork } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { attackCost, meetsThresholds } from './verify.ts'

describe('polishCoalition', () => {
  test('swaps an operator for a cheaper one that makes up its shortfall', () => {
    // α = 0.4 of 20 needs 8: b (9) does the job a (10) did, for less.
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 10 },
        { id: 'b', stake: 9 },
        { id: 'c', stake: 1 },
      ],
      services: [{ id: 's', profit: 1, threshold: 0.4, operators: ['a', 'b', 'c'] }],
    })
    const out = polishCoalition(prepare(n), Uint8Array.of(1), [0])
    assert.deepEqual(out.operators, [1])
    assert.equal(out.cost, 9 / 10) // amounts scaled by the largest stake
  })

  test('keeps an operator no cheaper one can replace', () => {
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 10 },
        { id: 'b', stake: 7 },
        { id: 'c', stake: 3 },
      ],
      services: [{ id: 's', profit: 1, threshold: 0.4, operators: ['a', 'b', 'c'] }],
    })
    assert.deepEqual(polishCoalition(prepare(n), Uint8Array.of(1), [0]).operators, [0])
  })

  test('never breaks a threshold and never raises the cost, both models (seed 11)', () => {
    const rng = createRng(11)
    let cheaper = 0
    for (let i = 0; i < 200; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(3, 30),
          services: rng.int(1, 6),
          membersPerService: [2, 12],
          allocations: i % 2 === 1,
        }),
      )
      // Start from a random subset of A's members that meets every threshold (all of them, then drop some).
      const services = n.services.map((_, s) => s).filter(() => rng.next() < 0.7)
      if (services.length === 0) continue
      const inA = new Uint8Array(n.services.length)
      for (const s of services) inA[s] = 1
      let operators = [...new Set(services.flatMap((s) => n.services[s]?.members ?? []))]
      for (const v of [...operators])
        if (rng.next() < 0.5) {
          const fewer = operators.filter((u) => u !== v)
          if (meetsThresholds(n, { services, operators: fewer })) operators = fewer
        }
      const before = attackCost(n, { services, operators })
      const out = polishCoalition(prepare(n), inA, operators)
      const after = { services, operators: out.operators }
      assert.ok(meetsThresholds(n, after), `network ${i}: a threshold is no longer met`)
      const cost = attackCost(n, after)
      assert.ok(cost <= before, `network ${i}: cost rose from ${before} to ${cost}`)
      if (cost < before) cheaper++
    }
    assert.ok(cheaper > 20, `only ${cheaper} coalitions got cheaper`)
  })
})
