import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildDashboardRisk, inTokens } from './dashboardRisk.ts'

const small = { simulation: { epochs: 24 * 10, runs: 4 } }

describe('dashboard risk', () => {
  test('an attackable network names the most profitable attack and the graph shows its members', async () => {
    // one operator alone holds more than half of a service worth more than its stake there
    const risk = await buildDashboardRisk(
      {
        operators: [
          { id: 'a', stake: '100' },
          { id: 'b', stake: '50' },
        ],
        services: [{ id: 's', profit: '200', threshold: 0.5, operators: ['a', 'b'] }],
      },
      small,
    )
    assert.equal(risk.analysis.secure, false)
    assert.deepEqual(risk.analysis.attack?.operators, ['a'])
    assert.deepEqual(risk.analysis.attack?.services, ['s'])
    assert.equal(risk.analysis.attack?.netProfit, '100')
    assert.deepEqual(
      risk.graph.edges.map((e) => [e.operator, e.service, e.stake]),
      [
        ['a', 's', '100'],
        ['b', 's', '50'],
      ],
    )
    assert.equal(risk.cascade.length, 5)
  })
  test("the paper's two-operator example is secure with zero slack, and the simulation has daily bands", async () => {
    const risk = await buildDashboardRisk(
      {
        operators: [
          { id: 'small', stake: 0.1 },
          { id: 'large', stake: 0.9 },
        ],
        services: [{ id: 's', profit: 1, threshold: 1, operators: ['small', 'large'] }],
      },
      small,
    )
    assert.equal(risk.analysis.secure, true)
    assert.equal(risk.analysis.attack, null)
    assert.equal(risk.analysis.slack, 0)
    const psi10 = risk.cascade.find((c) => c.psi === 0.1)!
    assert.equal(psi10.worstLoss, 1, 'R_0.1 = 1 in the paper')
    assert.equal(risk.simulation.days.length, 10)
    for (const band of [risk.simulation.stake, risk.simulation.slashed]) {
      assert.equal(band.p50.length, 10)
      for (const [i, v] of band.p5.entries()) assert.ok(v <= band.p95[i]!, 'p5 ≤ p95')
    }
  })
  test('a snapshot in base units is read in token units, exactly', () => {
    const t = inTokens(
      {
        operators: [{ id: 'a', stake: '1000000000000000000001' }],
        services: [{ id: 's', profit: '250000000000000000000000', threshold: 0.5, operators: ['a'] }],
        allocations: [{ operator: 'a', service: 's', stake: '500000000000000000' }],
      },
      18,
    )
    assert.equal(t.operators[0]!.stake, '1000.000000000000000001')
    assert.equal(t.services[0]!.profit, '250000')
    assert.equal(t.allocations![0]!.stake, '0.5')
  })
})
