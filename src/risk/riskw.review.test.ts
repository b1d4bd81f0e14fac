/**
 * Adversarial review (riskw) of the cascade start's local step with allocations (cascadeLocal.ts, its call in
 * cascadeHeuristic.ts): every cascade reported valid and worth its value exactly (bigint), never above brute force,
 * no throw on degenerate networks, no work past a deadline already gone, the solver's start and the whole-stake
 * model untouched by it.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { shockBudget } from './cascadeBound.ts'
import { type CascadeCandidate, cascadeStart } from './cascadeHeuristic.ts'
import { addServices, jointPlan } from './cascadeLocal.ts'
import { parseRiskInput } from './input.ts'
import { type Network, operatorServices, totalStake } from './network.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { type Rational, rat } from './rational.ts'
import { createRng, type Rng } from './rng.ts'
import { attackCost, isValidAttack } from './verify.ts'

const stakeOf = (n: Network, D: number[]) => D.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)

/** The definition, in bigint: shock within Ψ, a set, attack valid after it (B ∩ D = ∅ inside), value exact. */
function admissible(n: Network, budget: bigint, c: CascadeCandidate, where: string): void {
  assert.equal(new Set(c.shock).size, c.shock.length, `${where}: shock lists an operator twice`)
  assert.ok(
    c.shock.every((v) => Number.isInteger(v) && v >= 0 && v < n.operators.length),
    `${where}: shock index`,
  )
  const lost = stakeOf(n, c.shock)
  assert.ok(lost <= budget, `${where}: shock ${lost} over Ψ ${budget}`)
  if (c.attack) {
    assert.ok(isValidAttack(n, c.attack, new Set(c.shock)), `${where}: attack invalid after its shock`)
    assert.ok(!c.attack.operators.some((v) => c.shock.includes(v)), `${where}: B ∩ D ≠ ∅`)
  }
  assert.equal(c.value, lost + (c.attack ? attackCost(n, c.attack) : 0n), `${where}: value not what it burns`)
}

function allocNetwork(rng: Rng, ops: number, svcs: number, members: [number, number], i: number): Network {
  return parseRiskInput(
    randomNetwork(rng, {
      operators: ops,
      services: svcs,
      membersPerService: members,
      allocations: true,
      profitFactor: SMALL_REGIMES[i % SMALL_REGIMES.length],
    }),
  )
}

/** A copy with every amount (stakes, allocations, profits) times `k`: the same network in finer units. */
function scaled(n: Network, k: bigint): Network {
  return {
    ...n,
    operators: n.operators.map((o) => ({ ...o, stake: o.stake * k })),
    services: n.services.map((s) => ({
      ...s,
      profit: s.profit * k,
      memberStake: s.memberStake.map((a) => a * k),
    })),
  }
}

const PSIS: Rational[] = [rat(0n, 1n), rat(1n, 20n), rat(1n, 4n), rat(1n, 2n), rat(1n, 1n)]

describe('riskw: the cascade start’s local step with allocations', () => {
  test('degenerate networks: no throw, every candidate admissible and never above brute force (seed 7101)', () => {
    const rng = createRng(7101)
    const cases: [string, Network][] = []
    // one operator, one service
    cases.push([
      'one operator',
      parseRiskInput({
        operators: [{ id: 'a', stake: 10 }],
        services: [{ id: 's', profit: 20, threshold: 0.5, operators: ['a'] }],
        allocations: [{ operator: 'a', service: 's', stake: 4 }],
      }),
    ])
    // no services at all
    cases.push(['no services', parseRiskInput({ operators: [{ id: 'a', stake: 10 }], services: [] })])
    for (let i = 0; i < 30; i++) {
      const n = allocNetwork(rng, rng.int(1, 6), rng.int(1, 4), [1, 4], i)
      cases.push([`random ${i}`, n])
      // zero allocations everywhere (hasAllocations still true)
      cases.push([
        `zero allocations ${i}`,
        { ...n, services: n.services.map((s) => ({ ...s, memberStake: s.memberStake.map(() => 0n) })) },
      ])
      // allocations above stake (the parser refuses them; the engine must still not throw or lie)
      cases.push([
        `allocations above stake ${i}`,
        {
          ...n,
          services: n.services.map((s) => ({ ...s, memberStake: s.memberStake.map((a) => a * 3n + 1n) })),
        },
      ])
      // every α at 0 or at 1 (0 is refused by the parser)
      for (const num of [0n, 1n])
        cases.push([
          `α = ${num} ${i}`,
          { ...n, services: n.services.map((s) => ({ ...s, threshold: { num, den: 1n } })) },
        ])
    }
    for (const [name, n] of cases) {
      for (const psi of PSIS) {
        const budget = shockBudget(n, psi)
        const r = cascadeStart(n, budget, { solverMargin: 2n })
        admissible(n, budget, r.best, `${name} ψ ${psi.num}/${psi.den}`)
        admissible(n, budget, r.forSolver, `${name} ψ ${psi.num}/${psi.den} (solver’s start)`)
        if (n.operators.length <= 6 && n.services.length <= 4)
          assert.ok(r.best.value <= bruteCascade(n, psi), `${name}: above brute force`)
      }
    }
  })

  test('amounts near 2^200: candidates admissible and never above brute force at unit scale times the scale (seed 7102)', () => {
    const rng = createRng(7102)
    const k = 1n << 200n
    for (let i = 0; i < 40; i++) {
      const n = allocNetwork(rng, rng.int(2, 7), rng.int(1, 4), [1, 5], i)
      const big = scaled(n, k)
      const psi = PSIS[i % PSIS.length] as Rational
      const budget = shockBudget(big, psi)
      const r = cascadeStart(big, budget)
      admissible(big, budget, r.best, `network ${i}`)
      admissible(big, budget, r.forSolver, `network ${i} (solver’s start)`)
      // R_ψ is scale-free: brute force at unit scale, times k, bounds it
      assert.ok(r.best.value <= bruteCascade(n, psi) * k, `network ${i}: above brute force × 2^200`)
    }
  })

  test('random networks with allocations, 2–7 operators, ψ from 0 to 1: never above brute force (seed 7103)', () => {
    const rng = createRng(7103)
    for (let i = 0; i < 250; i++) {
      const n = allocNetwork(rng, rng.int(2, 7), rng.int(1, 5), [1, 6], i)
      const psi = PSIS[i % PSIS.length] as Rational
      const budget = shockBudget(n, psi)
      const r = cascadeStart(n, budget, { solverMargin: 3n })
      admissible(n, budget, r.best, `network ${i}`)
      admissible(n, budget, r.forSolver, `network ${i} (solver’s start)`)
      assert.ok(r.best.value <= bruteCascade(n, psi), `network ${i}: above brute force`)
    }
  })

  test('mid-size hard networks: the local step fires, its answers are admissible, never below the start without it, and the solver’s start is the same (seed 7104)', () => {
    const rng = createRng(7104)
    let better = 0
    for (let i = 0; i < 24; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(30, 80),
          services: rng.int(6, 16),
          membersPerService: [4, 20],
          allocations: true,
          profitFactor: [0.05, 0.35],
        }),
      )
      const budget = shockBudget(n, PSIS[1 + (i % 3)] as Rational)
      const on = cascadeStart(n, budget, { solverMargin: 5n })
      const off = cascadeStart(n, budget, { solverMargin: 5n, local: false })
      admissible(n, budget, on.best, `network ${i}`)
      admissible(n, budget, on.forSolver, `network ${i} (solver’s start)`)
      assert.ok(on.best.value >= off.best.value, `network ${i}: ${on.best.value} < ${off.best.value}`)
      // the step feeds only `best`: the solver’s start is what it was
      assert.deepEqual(on.forSolver, off.forSolver, `network ${i}: the solver’s start changed`)
      if (on.best.value > off.best.value) better++
    }
    assert.ok(better >= 3, `the local step improved only ${better} of 24`)
  })

  test('whole stake: the step never runs (the start is the same with and without it) (seed 7105)', () => {
    const rng = createRng(7105)
    for (let i = 0; i < 20; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(20, 60),
          services: rng.int(4, 12),
          membersPerService: [3, 15],
          profitFactor: SMALL_REGIMES[i % 3],
        }),
      )
      assert.equal(n.hasAllocations, false)
      const budget = shockBudget(n, rat(1n, 10n))
      assert.deepEqual(
        cascadeStart(n, budget, { solverMargin: 3n }),
        cascadeStart(n, budget, { solverMargin: 3n, local: false }),
        `network ${i}`,
      )
    }
  })

  test('addServices: a deadline already past plans nothing; a liar that accepts every plan still ends, within the services (seed 7106)', () => {
    const rng = createRng(7106)
    let accepted = 0
    for (let i = 0; i < 40; i++) {
      const n = allocNetwork(rng, rng.int(10, 40), rng.int(3, 12), [2, 10], i)
      const byOp = operatorServices(n)
      const budget = Number(shockBudget(n, rat(1n, 10n)))
      const start = [rng.int(0, n.services.length - 1)]
      let calls = 0
      const A = addServices(
        n,
        start,
        budget,
        () => {
          calls++
          return true
        },
        { byOp, deadline: performance.now() - 1 },
      )
      assert.equal(calls, 0, `network ${i}: planned past its deadline`)
      assert.deepEqual(A, start)
      // a liar accepting everything: the loop must end (profit rises with every step) on a set of distinct services
      const grown = addServices(
        n,
        start,
        budget,
        () => {
          accepted++
          return true
        },
        { byOp },
      )
      assert.equal(new Set(grown).size, grown.length, `network ${i}: a service twice`)
      assert.ok(grown.every((s) => s >= 0 && s < n.services.length))
    }
    assert.ok(accepted > 0, 'the liar was never asked')
  })

  test('jointPlan: shock within the budget (floats), none both shocked and bought, on networks with zero-stake operators (seed 7107)', () => {
    const rng = createRng(7107)
    for (let i = 0; i < 200; i++) {
      const base = allocNetwork(rng, rng.int(2, 12), rng.int(1, 5), [1, 8], i)
      // some operators hold nothing (stake and allocations 0)
      const zero = new Set(base.operators.map((_, v) => v).filter(() => rng.next() < 0.3))
      const n: Network = {
        ...base,
        operators: base.operators.map((o, v) => (zero.has(v) ? { ...o, stake: 0n } : o)),
        services: base.services.map((s) => ({
          ...s,
          memberStake: s.memberStake.map((a, k) => (zero.has(s.members[k] as number) ? 0n : a)),
        })),
      }
      const A = n.services.map((_, s) => s)
      const budget = shockBudget(n, PSIS[i % PSIS.length] as Rational)
      const sigma = Float64Array.from(n.operators, (o) => Number(o.stake))
      const alpha = Float64Array.from(n.services, (s) => Number(s.threshold.num) / Number(s.threshold.den))
      const plan = jointPlan(n, A, Number(budget), sigma, alpha, operatorServices(n))
      if (!plan) continue
      assert.ok(stakeOf(n, plan.shock) <= budget, `network ${i}: shock over budget`)
      assert.ok(!plan.buy.some((v) => plan.shock.includes(v)), `network ${i}: shocked and bought`)
      assert.ok(Number.isFinite(plan.cost) && plan.cost >= 0, `network ${i}: cost ${plan.cost}`)
      assert.ok(totalStake(n) >= 0n)
    }
  })

  test('amounts near 2^200 that floats cannot tell apart (each amount k·2^200 + a few units): every candidate admissible and exact, never above brute force (seed 7108)', () => {
    const rng = createRng(7108)
    const K = 1n << 200n
    for (let i = 0; i < 120; i++) {
      const n = allocNetwork(rng, rng.int(2, 6), rng.int(1, 4), [1, 5], i)
      // stakes k·K + 1,000, allocations a·K + 0..999 (still within the stake), profits p·K + 0..999: the same
      // network to a float, while ties at a threshold break either way in bigint
      const big: Network = {
        ...n,
        operators: n.operators.map((o) => ({ ...o, stake: o.stake * K + 1000n })),
        services: n.services.map((s) => ({
          ...s,
          profit: s.profit * K + BigInt(rng.int(0, 999)),
          memberStake: s.memberStake.map((a) => a * K + BigInt(rng.int(0, 999))),
        })),
      }
      const psi = PSIS[i % PSIS.length] as Rational
      const budget = shockBudget(big, psi)
      const r = cascadeStart(big, budget, { solverMargin: 2n })
      admissible(big, budget, r.best, `network ${i}`)
      admissible(big, budget, r.forSolver, `network ${i} (solver’s start)`)
      assert.ok(r.best.value <= bruteCascade(big, psi), `network ${i}: above brute force`)
    }
  })

  // three services, each secured by one operator of its own (stake 10, all of it allocated, α 1/2)
  const trio = (profits: number[]) =>
    parseRiskInput({
      operators: profits.map((_, i) => ({ id: `v${i}`, stake: 10 })),
      services: profits.map((p, i) => ({ id: `s${i}`, profit: p, threshold: 0.5, operators: [`v${i}`] })),
      allocations: profits.map((_, i) => ({ operator: `v${i}`, service: `s${i}`, stake: 10 })),
    })

  test('addServices swaps only for more profit: with equal profits and a one-service accept it ends after two plans', () => {
    const n = trio([100, 100, 100])
    let calls = 0
    addServices(
      n,
      [0],
      0,
      (services) => {
        calls++
        if (calls > 1000) throw new Error('addServices swaps in circles')
        return services.length <= 1
      },
      { byOp: operatorServices(n) },
    )
    assert.equal(calls, 2)
  })

  test('addServices plans nothing once its deadline has passed, swaps included', () => {
    const n = trio([50, 100, 150])
    let calls = 0
    const deadline = performance.now() + 20
    addServices(
      n,
      [0],
      0,
      () => {
        calls++
        // the plan's check outlasts the deadline (a slow finish under load)
        while (performance.now() <= deadline + 1) {}
        return false
      },
      { byOp: operatorServices(n), deadline },
    )
    // the first add is checked; past the deadline neither another add nor a swap is
    assert.equal(calls, 1)
  })

  test('the cascade question with allocations under a 1 ms limit answers without a throw, its loss within its bound and brute force (seed 7109)', async () => {
    const rng = createRng(7109)
    for (let i = 0; i < 12; i++) {
      const n = allocNetwork(rng, rng.int(3, 7), rng.int(1, 4), [1, 5], i)
      const psi = PSIS[i % PSIS.length] as Rational
      const r = await worstCaseLoss(n, psi, { timeLimitSeconds: 0.001, exhaustive: false })
      const lossNum = r.worstLoss.num * (totalStake(n) === 0n ? 1n : totalStake(n))
      assert.ok(lossNum / r.worstLoss.den <= bruteCascade(n, psi), `network ${i}: above brute force`)
      assert.ok(Number(r.worstLoss.num) / Number(r.worstLoss.den) <= r.worstLossBound + 1e-12, `network ${i}`)
      if (r.proven)
        assert.equal(r.worstLoss.num * totalStake(n), bruteCascade(n, psi) * r.worstLoss.den, `network ${i}`)
    }
  })
})
