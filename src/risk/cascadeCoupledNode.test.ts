import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade, bruteCascadeUnderFixing } from './bruteForce.ts'
import { shockBudget } from './cascadeBound.ts'
import {
  buildCascadeCoupled,
  type CascadeCoupledMultipliers,
  cascadeCoupledValue,
  coupledCascadeNodeExact,
  searchCascadeCoupled,
  toCascadeMultipliers,
} from './cascadeCoupled.ts'
import { branchCascadeCoupled } from './cascadeCoupledBranch.ts'
import { parseRiskInput } from './input.ts'
import { totalStake } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { rat } from './rational.ts'
import type { Rng } from './rng.ts'
import { createRng } from './rng.ts'

const PSIS = [0n, 5n, 10n, 25n, 50n]
const REGIMES = [
  [0.02, 0.25],
  [0.05, 0.35],
  [0.2, 0.7],
] as const

function randomMultipliers(
  rng: Rng,
  n: ReturnType<typeof parseRiskInput>,
  unit: bigint,
): CascadeCoupledMultipliers {
  const big = (x: number) => BigInt(Math.round(x * 2 ** 40))
  return {
    lam: n.services.map((s) => s.members.map(() => big((rng.next() - 0.5) * 0.4))),
    mu: n.services.map(() => big(rng.next() * 3)),
    theta: big(rng.next() * 4),
    unit,
  }
}

const smallNetwork = (rng: Rng, i: number) =>
  parseRiskInput(
    randomNetwork(rng, {
      operators: rng.int(2, 6),
      services: rng.int(1, 4),
      membersPerService: [1, 5],
      allocations: i % 2 === 1,
      profitFactor: REGIMES[i % REGIMES.length],
    }),
  )

/** each service FREE, IN or OUT at random (FREE more often) */
const randomFixing = (rng: Rng, S: number) =>
  Uint8Array.from({ length: S }, () => {
    const x = rng.next()
    return x < 0.4 ? 0 : x < 0.7 ? 1 : 2
  })

describe('coupled cascade bound at a branching node (cascadeCoupled.ts coupledCascadeNodeExact)', () => {
  test('never below the best cascade under a random fixing (brute force), searched, warm and random multipliers', () => {
    const rng = createRng(2026)
    let below = 0 // node bound strictly below the unfixed root's
    let tight = 0
    let empty = 0 // nodes proven empty (null) where brute force finds none
    let mutantCaught = 0
    let checked = 0
    for (let i = 0; i < 160; i++) {
      const n = smallNetwork(rng, i)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const core = buildCascadeCoupled(n, budget)
      const root = searchCascadeCoupled(core, { deadline: Number.POSITIVE_INFINITY, maxIterations: 150 })
      const rootM = toCascadeMultipliers(n, core, root)
      const rootBound = coupledCascadeNodeExact(n, budget, rootM, new Uint8Array(core.S))
      assert.ok(
        rootBound !== null && rootBound.bound >= bruteCascade(n, psi),
        `network ${i}: root below truth`,
      )
      for (let f = 0; f < 2; f++) {
        const fixed = randomFixing(rng, core.S)
        const truth = bruteCascadeUnderFixing(n, psi, fixed)
        const search = searchCascadeCoupled(core, {
          deadline: Number.POSITIVE_INFINITY,
          maxIterations: 150,
          fixed,
          start: f === 0 ? root : undefined,
        })
        const m = toCascadeMultipliers(n, core, search)
        const rnd = randomMultipliers(rng, n, core.unit)
        for (const [name, mult] of [
          ['searched', m],
          ['root', rootM],
          ['random', rnd],
        ] as const) {
          const node = coupledCascadeNodeExact(n, budget, mult, fixed)
          if (truth !== null) {
            checked++
            assert.ok(node !== null, `network ${i} fixing ${fixed}: ${name} multipliers call a node empty`)
            assert.ok(node.bound >= truth, `network ${i} fixing ${fixed}: ${name} ${node.bound} < ${truth}`)
          }
        }
        const node = coupledCascadeNodeExact(n, budget, m, fixed)
        if (node === null) empty++
        else {
          if (truth !== null && node.bound === truth) tight++
          if (node.bound < rootBound.bound) below++
          // the float value at these multipliers is the exact one up to their rounding
          const pf = cascadeCoupledValue(core, search.lam, search.p, search.theta, fixed)
          const pe = Number(node.p) / Number(core.unit)
          assert.ok(
            Math.abs(pf - pe) <= 1e-6 * Math.abs(pf) + 2 / Number(core.unit),
            `network ${i}: ${pf} ≠ ${pe}`,
          )
        }
        // the mutant (IN services' edges left out of their members' states) falls below the truth somewhere
        if (truth !== null) {
          const bad = coupledCascadeNodeExact(n, budget, rnd, fixed, 'inEdgesOut')
          if (bad === null || bad.bound < truth) mutantCaught++
        }
      }
    }
    console.log(
      `checked ${checked}, below root ${below}, tight ${tight}, empty ${empty}, mutant ${mutantCaught}`,
    )
    assert.ok(checked >= 300, `only ${checked} checks`)
    assert.ok(below >= 40, `node below the root on only ${below}`)
    assert.ok(tight >= 25, `node bound meets the truth on only ${tight}`)
    assert.ok(empty >= 10, `only ${empty} nodes proven empty`)
    assert.ok(mutantCaught >= 5, `the mutant caught only ${mutantCaught} times`)
  })

  test('the branching (cascadeCoupledBranch.ts) never ends below brute force, and the mutant does', () => {
    const rng = createRng(77)
    let lowered = 0
    let proven = 0
    let mutantCaught = 0
    for (let i = 0; i < 80; i++) {
      const n = smallNetwork(rng, i)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = bruteCascade(n, psi)
      // incumbent 0: the bound is the branching's own, not the incumbent's
      const r = branchCascadeCoupled(n, budget, 0n, { rootIterations: 150, nodeIterations: 60, maxNodes: 40 })
      assert.ok(r.bound >= truth, `network ${i}: branching ${r.bound} < ${truth} after ${r.nodes} nodes`)
      assert.ok(r.bound <= r.rootBound && r.rootBound <= totalStake(n))
      if (r.bound < r.rootBound) lowered++
      // from the truth as the incumbent, the tree closes on most
      const p = branchCascadeCoupled(n, budget, truth, {
        rootIterations: 150,
        nodeIterations: 60,
        maxNodes: 200,
      })
      assert.ok(p.bound >= truth)
      if (p.proven) proven++
      const bad = branchCascadeCoupled(n, budget, 0n, {
        rootIterations: 150,
        nodeIterations: 60,
        maxNodes: 40,
        wrong: 'inEdgesOut',
      })
      if (bad.bound < truth) mutantCaught++
    }
    console.log(`lowered ${lowered}, proven ${proven}, mutant ${mutantCaught}`)
    assert.ok(lowered >= 10, `the branching lowered the root's bound on only ${lowered}`)
    assert.ok(proven >= 12, `proven on only ${proven} of 80`)
    assert.ok(mutantCaught >= 1, `the mutant branching never fell below the truth`)
  })
})
