import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { shockBudget } from './cascadeBound.ts'
import { cascadeStart } from './cascadeHeuristic.ts'
import { repairWithShock, shockCoverPlans } from './cascadeShockCover.ts'
import { parseRiskInput } from './input.ts'
import type { Network } from './network.ts'
import { hardRegimeInput, randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { rat } from './rational.ts'
import { createRng, type Rng } from './rng.ts'
import { attackCost, isValidAttack, meetsThresholds } from './verify.ts'

const PSIS = [0n, 5n, 10n, 20n, 35n, 50n]

/** Small networks, most at the hard regime or just above it (where attacking nearly everything pays), some not. */
function smallNetwork(rng: Rng, i: number): Network {
  if (i % 4 === 3)
    return parseRiskInput(
      randomNetwork(rng, {
        operators: rng.int(2, 7),
        services: rng.int(1, 4),
        membersPerService: [1, 5],
        allocations: i % 8 === 7,
        profitFactor: SMALL_REGIMES[i % 3],
      }),
    )
  return parseRiskInput(hardRegimeInput(rng, i, { operators: [3, 7], services: [2, 4], members: [2, 5] }))
}

const stakeOf = (n: Network, shock: readonly number[]) =>
  shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)

describe('cascadeShockCover', () => {
  test('its plans are valid as planned, and the start with them is worth what it claims and never above brute force (300 small networks, seed 14)', () => {
    const rng = createRng(14)
    let plans = 0
    let better = 0
    for (let i = 0; i < 300; i++) {
      const n = smallNetwork(rng, i)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = bruteCascade(n, psi)
      for (const plan of shockCoverPlans(n, budget)) {
        plans++
        const shock = new Set(plan.shock)
        const at = `network ${i}, ψ ${psi.num}/${psi.den}`
        assert.ok(stakeOf(n, plan.shock) <= budget, `${at}: the shock is over the budget`)
        // the float plan itself, before any exact repair: its thresholds met after its shock, and it pays — the
        // amounts here are small integers, so floats see every unit
        const attack = { services: plan.services, operators: plan.operators }
        assert.ok(meetsThresholds(n, attack, shock), `${at}: a threshold is missed as planned`)
        assert.ok(isValidAttack(n, attack, shock), `${at}: the plan is not a valid attack`)
        const repaired = repairWithShock(n, attack, shock)
        assert.ok(isValidAttack(n, repaired, shock), `${at}: the repaired plan is not valid`)
        assert.ok(
          stakeOf(n, plan.shock) + attackCost(n, repaired) <= truth,
          `${at}: the plan burns more than R_ψ`,
        )
      }
      const without = cascadeStart(n, budget, { shockCover: false }).best
      const start = cascadeStart(n, budget)
      for (const c of [start.best, start.forSolver]) {
        const at = `network ${i}: the start`
        assert.ok(stakeOf(n, c.shock) <= budget, `${at}: shock over budget`)
        if (c.attack) assert.ok(isValidAttack(n, c.attack, new Set(c.shock)), `${at}: invalid attack`)
        assert.equal(c.value, stakeOf(n, c.shock) + (c.attack ? attackCost(n, c.attack) : 0n), `${at}: value`)
        assert.ok(c.value <= truth, `${at}: ${c.value} above brute force's ${truth}`)
      }
      assert.ok(start.best.value >= without.value, `network ${i}: the start lost with the shock cover`)
      if (start.best.value > without.value) better++
    }
    // not vacuous: the plans come up, and they find cascades the opening greedy does not
    assert.ok(plans >= 60, `only ${plans} plans`)
    assert.ok(better >= 15, `the shock cover improved the start on ${better} networks only`)
  })

  test('repairWithShock meets every threshold after the shock exactly, with members outside it (200 networks, seed 15)', () => {
    const rng = createRng(15)
    for (let i = 0; i < 200; i++) {
      const n = smallNetwork(rng, i)
      const shock = new Set(n.operators.flatMap((_, v) => (rng.next() < 0.3 ? [v] : [])))
      const services = n.services.flatMap((_, s) => (rng.next() < 0.6 ? [s] : []))
      if (services.length === 0) continue
      const operators = n.operators.flatMap((_, v) => (rng.next() < 0.3 ? [v] : []))
      const a = repairWithShock(n, { services, operators }, shock)
      assert.ok(meetsThresholds(n, a, shock), `network ${i}: a threshold is still missed`)
      assert.ok(
        a.operators.every((v) => !shock.has(v)),
        `network ${i}: a shocked operator in the coalition`,
      )
    }
  })
})
