import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { shockBudget } from './cascadeBound.ts'
import { cascadeStart } from './cascadeHeuristic.ts'
import { jointPlan } from './cascadeLocal.ts'
import { parseRiskInput } from './input.ts'
import { type Network, operatorServices } from './network.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { rat } from './rational.ts'
import { createRng, type Rng } from './rng.ts'
import { attackCost, isValidAttack } from './verify.ts'

const PSIS = [0n, 5n, 10n, 25n, 50n]

function network(
  rng: Rng,
  i: number,
  operators: number,
  services: number,
  members: [number, number],
): Network {
  return parseRiskInput(
    randomNetwork(rng, {
      operators,
      services,
      membersPerService: members,
      allocations: true,
      profitFactor: SMALL_REGIMES[i % SMALL_REGIMES.length],
    }),
  )
}

/** Per service of A, what the plan leaves of its threshold after the shock (≤ 0: met), in floats. */
function shortfalls(n: Network, A: number[], shock: number[], buy: number[]): number[] {
  const D = new Set(shock)
  const B = new Set(buy)
  return A.map((s) => {
    const svc = n.services[s]
    if (!svc) return 0
    const alpha = Number(svc.threshold.num) / Number(svc.threshold.den)
    let left = 0
    svc.members.forEach((v, k) => {
      const a = Number(svc.memberStake[k])
      left += alpha * a
      if (D.has(v)) left -= alpha * a
      else if (B.has(v)) left -= a
    })
    return left
  })
}

describe('the cascade start’s joint plans and local step (cascadeLocal.ts)', () => {
  test('a joint plan keeps its shock within the budget, meets every threshold after it, costs what it says, and keeps no member it could drop (seed 91)', () => {
    const rng = createRng(91)
    let plans = 0
    for (let i = 0; i < 400; i++) {
      const n = network(rng, i, rng.int(3, 14), rng.int(1, 6), [1, 8])
      const A = n.services.map((_, s) => s).filter(() => rng.next() < 0.6)
      if (A.length === 0) continue
      const budget = shockBudget(n, rat(PSIS[i % PSIS.length] as bigint, 100n))
      const sigma = Float64Array.from(n.operators, (o) => Number(o.stake))
      const alpha = Float64Array.from(n.services, (s) => Number(s.threshold.num) / Number(s.threshold.den))
      const byOp = operatorServices(n)
      const plan = jointPlan(n, A, Number(budget), sigma, alpha, byOp)
      if (!plan) continue
      plans++
      const lost = plan.shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
      assert.ok(lost <= budget, `network ${i}: shock ${lost} over ${budget}`)
      assert.ok(
        !plan.buy.some((v) => plan.shock.includes(v)),
        `network ${i}: a member both shocked and bought`,
      )
      const left = shortfalls(n, A, plan.shock, plan.buy)
      assert.ok(
        left.every((x) => x <= 1e-9),
        `network ${i}: a threshold unmet (${left.join(', ')})`,
      )
      const cost = attackCost(n, { services: A, operators: plan.buy }, byOp)
      assert.ok(Math.abs(Number(cost) - plan.cost) < 1e-6, `network ${i}: cost ${plan.cost} for ${cost}`)
      // reverse deletion: without any kept member some threshold fails (beyond float noise)
      for (const v of plan.buy) {
        const without = shortfalls(
          n,
          A,
          plan.shock,
          plan.buy.filter((u) => u !== v),
        )
        assert.ok(
          without.some((x) => x > 1e-9),
          `network ${i}: member ${v} kept though every threshold holds without it`,
        )
      }
    }
    assert.ok(plans >= 150, `only ${plans} plans of 400`)
  })

  test('the start with the local step is admissible, worth its value, at least the start without it, and never above brute force (seed 92)', () => {
    const rng = createRng(92)
    for (let i = 0; i < 200; i++) {
      const n = network(rng, i, rng.int(2, 7), rng.int(1, 4), [1, 5])
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const on = cascadeStart(n, budget, { solverMargin: 3n })
      const off = cascadeStart(n, budget, { solverMargin: 3n, local: false })
      for (const c of [on.best, on.forSolver]) {
        const lost = c.shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
        assert.ok(lost <= budget, `network ${i}: shock over budget`)
        if (c.attack) assert.ok(isValidAttack(n, c.attack, new Set(c.shock)), `network ${i}: invalid attack`)
        assert.equal(c.value, lost + (c.attack ? attackCost(n, c.attack) : 0n))
      }
      assert.ok(on.best.value >= off.best.value, `network ${i}: ${on.best.value} < ${off.best.value}`)
      assert.ok(on.best.value <= bruteCascade(n, psi), `network ${i}: above brute force`)
    }
  })

  test('the local step finds larger cascades than the greedy start alone on hard networks of 150 × 25 (seed 93)', () => {
    const rng = createRng(93)
    let better = 0
    for (let i = 0; i < 10; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: 150,
          services: 25,
          membersPerService: [10, 40],
          allocations: true,
          profitFactor: [0.05, 0.35],
        }),
      )
      const budget = shockBudget(n, rat(1n, 10n))
      const on = cascadeStart(n, budget)
      const off = cascadeStart(n, budget, { local: false })
      assert.ok(on.best.value >= off.best.value)
      if (on.best.value > off.best.value) better++
    }
    assert.ok(better >= 2, `better on only ${better} of 10`)
  })
})
