import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { shockBudget } from './cascadeBound.ts'
import { nodeCascadeBound } from './cascadeBranch.ts'
import { cascadeStart } from './cascadeHeuristic.ts'
import { type PoolWrong, poolBranchCascade, poolNodeBound, poolVector } from './cascadePool.ts'
import { findCascadeShares } from './cascadeShares.ts'
import { parseRiskInput } from './input.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork, randomShares, SMALL_REGIMES } from './randomNetwork.ts'
import { rat, ratToString, toNumber } from './rational.ts'
import type { Rng } from './rng.ts'
import { createRng } from './rng.ts'
import { FREE, IN, OUT } from './shareCore.ts'

const REGIMES = [...SMALL_REGIMES, [0.02, 0.25] as const]
const PSIS = [0n, 5n, 10n, 25n, 50n]

function smallNetwork(rng: Rng, i: number): Network {
  return parseRiskInput(
    randomNetwork(rng, {
      operators: rng.int(2, 7),
      services: rng.int(1, 5),
      membersPerService: [1, 5],
      allocations: i % 2 === 1,
      profitFactor: REGIMES[i % REGIMES.length],
    }),
  )
}

/**
 * The pool's branching on `count` small networks (both models, four regimes, five ψ) from three incumbents: none,
 * the start's, the truth. Few share steps per node, so that the pool (not each node's own vector) prunes often.
 */
function compare(seed: number, count: number, wrong?: PoolWrong) {
  const rng = createRng(seed)
  const failures: string[] = []
  let proven = 0
  let strict = 0
  for (let i = 0; i < count; i++) {
    const n = smallNetwork(rng, i)
    const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
    const budget = shockBudget(n, psi)
    const truth = bruteCascade(n, psi)
    const start = cascadeStart(n, budget).best.value
    const shares = findCascadeShares(n, budget, { budgetMs: 50, shareSteps: 30, priceSteps: 0 })
    for (const incumbent of [0n, start, truth]) {
      const r = poolBranchCascade(n, budget, incumbent, {
        rootSteps: 20,
        nodeSteps: i % 3 === 0 ? 0 : 5,
        maxVectors: 4,
        // every other run from the searched shares (and their bound), the rest from the initial shares
        ...(i % 2 === 0 ? { rootShares: shares.shares[0], rootBound: shares.bound } : {}),
        wrong,
      })
      if (r.bound < truth) failures.push(`network ${i}, incumbent ${incumbent}: bound ${r.bound} < ${truth}`)
      if (r.proven && r.bound !== truth)
        failures.push(`network ${i}: proven ${r.bound} but the truth is ${truth}`)
      if (r.proven && incumbent === truth) proven++
      if (incumbent === start && r.bound < shares.bound) strict++
    }
  }
  return { failures, proven, strict }
}

describe('cascade branching with a pool of share vectors', () => {
  test('a vector’s node bound equals nodeCascadeBound for the same shares (300 networks, random shares and fixings)', () => {
    const rng = createRng(17)
    for (let i = 0; i < 300; i++) {
      const n = smallNetwork(rng, i)
      const budget = shockBudget(n, rat(PSIS[i % PSIS.length] as bigint, 100n))
      const shares = randomShares(rng, n)
      const vec = poolVector(n, shares, budget, new Float64Array(0))
      const fixed = Uint8Array.from(n.services, () => [FREE, IN, OUT][rng.int(0, 2)] as number)
      assert.deepEqual(
        poolNodeBound(n, vec, budget, fixed),
        nodeCascadeBound(n, shares, budget, fixed),
        `network ${i}`,
      )
    }
  })

  test('never below the exhaustive R_ψ on 300 small networks; every proof equals it; proves most from the truth', () => {
    const { failures, proven, strict } = compare(93, 300)
    assert.deepEqual(failures, [])
    assert.ok(proven >= 180, `proven only ${proven} of 300`)
    assert.ok(strict >= 200, `tighter than the root's shares on only ${strict}`)
  })

  test('through worstCaseLoss (cascadePool: 0.5, limits of 20–60 ms so that the solver stops): bounds never below brute force', async () => {
    const rng = createRng(95)
    for (let i = 0; i < 60; i++) {
      const n = smallNetwork(rng, i)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const truth = rat(bruteCascade(n, psi), totalStake(n))
      const r = await worstCaseLoss(n, psi, {
        exhaustive: false,
        cascadePool: 0.5,
        timeLimitSeconds: 0.02 + 0.02 * (i % 3),
      })
      assert.ok(
        r.worstLoss.num * truth.den <= truth.num * r.worstLoss.den,
        `network ${i}: found above the truth`,
      )
      assert.ok(
        r.worstLossBound >= toNumber(truth) * (1 - 1e-12),
        `network ${i}: bound ${r.worstLossBound} < truth`,
      )
      if (r.exact)
        assert.equal(ratToString(r.worstLoss), ratToString(truth), `network ${i}: exact but not the truth`)
    }
  })

  test('a wrong rule is caught: vectors whose capacity drops the shock’s credit (42 of the 900 runs under-bound)', () => {
    const { failures } = compare(93, 300, 'capNoShock')
    assert.ok(failures.length > 0, 'no network caught it')
  })
})
