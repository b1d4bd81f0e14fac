import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type AttackObjective, buildAttackModel, startSolution } from './attackModel.ts'
import { parseRiskInput } from './input.ts'
import type { MipBuilder } from './mip.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { rat } from './rational.ts'
import { createRng } from './rng.ts'
import { type Attack, attackCost, attackProfit, isValidAttack, meetsThresholds } from './verify.ts'

/** The largest violation of any bound or row by a full column assignment. */
function violation(b: MipBuilder, v: number[]): number {
  let worst = 0
  v.forEach((x, j) => {
    worst = Math.max(worst, (b.lower[j] ?? 0) - x, x - (b.upper[j] ?? 0))
  })
  for (let r = 0; r < b.numRows; r++) {
    let act = 0
    for (let k = b.starts[r] ?? 0; k < (b.starts[r + 1] ?? 0); k++)
      act += (b.values[k] ?? 0) * (v[b.indices[k] ?? 0] ?? 0)
    worst = Math.max(worst, (b.rowLower[r] ?? 0) - act, act - (b.rowUpper[r] ?? 0))
  }
  return worst
}

function* subsets(items: readonly number[]): Generator<number[]> {
  for (let mask = 0; mask < 1 << items.length; mask++) yield items.filter((_, i) => mask & (1 << i))
}

/** Every attack with B ⊆ N(A) \ D that `keep` accepts. */
function attacks(n: Network, shock: number[], keep: (a: Attack) => boolean): Attack[] {
  const out: Attack[] = []
  for (const A of subsets(n.services.map((_, i) => i))) {
    if (A.length === 0) continue
    const members = [...new Set(A.flatMap((s) => n.services[s]?.members ?? []))]
      .filter((v) => !shock.includes(v))
      .sort((a, b) => a - b)
    for (const B of subsets(members)) {
      const a = { services: A, operators: B }
      if (keep(a)) out.push(a)
    }
  }
  return out
}

// The formulation is exact when every real attack is a feasible point of the MIP whose objective is its exact
// value. (The brute-force comparisons check the other direction: no infeasible point scores higher.) This is
// what catches a cost formulation that is loose at binary points, e.g. the σ_v cap of an over-allocated operator.
describe('buildAttackModel', () => {
  const objectiveValue = (b: MipBuilder, v: number[]) => v.reduce((a, x, j) => a + (b.cost[j] ?? 0) * x, 0)

  for (const objective of ['profit', 'cost', 'cascade'] as AttackObjective[]) {
    test(`every real attack is feasible with its exact value ('${objective}', 60 random networks)`, () => {
      const rng = createRng(objective.length)
      let checked = 0
      for (let i = 0; i < 60; i++) {
        const n = parseRiskInput(
          randomNetwork(rng, {
            operators: rng.int(1, 5),
            services: rng.int(1, 3),
            membersPerService: [1, 4],
            allocations: i % 2 === 0,
            profitFactor: [0.2, 2],
          }),
        )
        const psi = rat(1n, 4n)
        const total = totalStake(n)
        // Cascade: the heaviest single operator that fits the budget, if any.
        const fits = n.operators
          .map((o, v) => ({ v, stake: o.stake }))
          .filter((o) => o.stake * psi.den <= psi.num * total)
          .sort((a, b) => (b.stake > a.stake ? 1 : -1))
        const shock = objective === 'cascade' && fits[0] ? [fits[0].v] : []
        const m = buildAttackModel(n, objective, psi)
        const unit = Number(m.unit)
        const real = attacks(n, shock, (a) =>
          objective === 'profit' ? meetsThresholds(n, a) : isValidAttack(n, a, new Set(shock)),
        )
        for (const a of real) {
          // A validity margin of 1e-7 of the largest amount: attacks that close to break-even are not counted.
          const net = Number(attackProfit(n, a) - attackCost(n, a)) / unit
          if (objective !== 'profit' && net < 1e-6) continue
          // Worthless services are fixed out of the profit model: attacks using them are not its points.
          if (objective === 'profit' && a.services.some((s) => n.services[s]?.profit === 0n)) continue
          const { values } = startSolution(m, a, shock)
          assert.ok(
            violation(m.builder, values) < 1e-9,
            `network ${i}: attack ${JSON.stringify(a)} infeasible`,
          )
          const lost = shock.reduce((s, v) => s + (n.operators[v]?.stake ?? 0n), 0n)
          const exact =
            objective === 'profit'
              ? attackProfit(n, a) - attackCost(n, a)
              : objective === 'cost'
                ? attackCost(n, a)
                : attackCost(n, a) + lost
          assert.ok(
            Math.abs(objectiveValue(m.builder, values) - Number(exact) / unit) < 1e-9,
            `network ${i}: objective of ${JSON.stringify(a)}`,
          )
          checked++
        }
      }
      assert.ok(checked > 100, `only ${checked} attacks checked`)
    })
  }
})
