import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import {
  cascadeShareBound,
  cascadeSplitBound,
  SPLIT_DEN,
  shockBudget,
  shockEdgeCredits,
} from './cascadeBound.ts'
import { findCascadeShares } from './cascadeShares.ts'
import { findShockSplit } from './cascadeSplit.ts'
import type { CostShares } from './costShare.ts'
import { parseRiskInput } from './input.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork, randomShares, SMALL_REGIMES } from './randomNetwork.ts'
import { rat, ratToString, toNumber } from './rational.ts'
import type { Rng } from './rng.ts'
import { createRng } from './rng.ts'
import { criticalMember } from './shareNodeBound.ts'

const REGIMES = [...SMALL_REGIMES, [0.02, 0.25] as const]
const PSIS = [5n, 10n, 25n, 50n, 0n]

function smallNetwork(rng: Rng, i: number): Network {
  return parseRiskInput(
    randomNetwork(rng, {
      operators: rng.int(2, 7),
      services: rng.int(1, 4),
      membersPerService: [1, 5],
      allocations: i % 2 === 1,
      profitFactor: REGIMES[i % REGIMES.length],
    }),
  )
}

const zeroSplit = (n: Network) => n.services.map((s) => s.members.map(() => 0n))
const randomSplit = (rng: Rng, n: Network) =>
  n.services.map((s) => s.members.map(() => (SPLIT_DEN * BigInt(rng.int(0, 4))) / 4n))

const ceilDiv = (p: bigint, q: bigint) => {
  const d = p / q
  return d * q < p ? d + 1n : d
}

/**
 * A wrong credit, for the tests to catch: only members strictly inside the cheapest cover (λ < μa) credited, the
 * member it takes in part and those outside it credited nothing, as if a shocked member outside the cover could not
 * lower s's need (it lowers it by α_s a_vs, worth α_s μ_s a_vs at the cover's price).
 */
function wrongCredits(n: Network, shares: CostShares): bigint[][] {
  const right = shockEdgeCredits(n, shares)
  return n.services.map((s, si) => {
    const row = shares.shares[si] ?? []
    const stakes = s.memberStake
    const total = stakes.reduce((a, b) => a + b, 0n)
    const crit = criticalMember(
      stakes,
      Float64Array.from(stakes, Number),
      row,
      s.threshold.num,
      s.threshold.den,
      total,
    )
    if (crit < 0) return s.members.map(() => 0n)
    const lc = row[crit] as bigint
    const ac = stakes[crit] as bigint
    // not strictly cheaper than the cover's price: λ_k / a_k ≥ lc / ac
    return s.members.map((_, k) =>
      (row[k] ?? 0n) * ac >= lc * (stakes[k] as bigint) ? 0n : (right[si]?.[k] ?? 0n),
    )
  })
}

describe('the shock credit κ and its split (cascadeBound.ts, cascadeSplit.ts)', () => {
  test('κ_vs ≤ α_s λ_vs per edge (up to a share unit), on random shares (seed 81)', () => {
    const rng = createRng(81)
    for (let i = 0; i < 200; i++) {
      const n = smallNetwork(rng, i)
      const sh = randomShares(rng, n)
      const kappa = shockEdgeCredits(n, sh)
      n.services.forEach((s, si) => {
        s.members.forEach((_, k) => {
          const kp = kappa[si]?.[k] ?? 0n
          const cap = ceilDiv((sh.shares[si]?.[k] ?? 0n) * s.threshold.num, s.threshold.den)
          assert.ok(kp >= 0n && kp <= cap, `network ${i}, service ${si}, member ${k}: κ ${kp} > αλ ${cap}`)
        })
      })
    }
  })

  test('at least the exhaustive R_ψ on 240 small networks: searched and random shares, splits 0, random and the LP’s, both models, four regimes (seed 82)', async () => {
    const rng = createRng(82)
    let tighter = 0
    let wrongSplitCaught = 0
    for (let i = 0; i < 240; i++) {
      const n = smallNetwork(rng, i)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = bruteCascade(n, psi)
      const searched = findCascadeShares(n, budget, { budgetMs: 200, shareSteps: 40, priceSteps: 10 })
      const sets = [...searched.shares, randomShares(rng, n)]
      for (const [j, sh] of sets.entries()) {
        const at = `network ${i} (ψ ${ratToString(psi)}, shares ${j})`
        const plain = cascadeShareBound(n, sh, budget)
        assert.ok(plain >= truth, `${at}: ${plain} < ${truth}`)
        assert.equal(cascadeSplitBound(n, sh, budget, zeroSplit(n)), plain, `${at}: β = 0 is the plain bound`)
        const random = cascadeSplitBound(n, sh, budget, randomSplit(rng, n))
        assert.ok(random >= truth, `${at}: random split ${random} < ${truth}`)
        const split = await findShockSplit(n, sh, budget, 5)
        if (split) {
          const lp = cascadeSplitBound(n, sh, budget, split)
          assert.ok(lp >= truth, `${at}: the LP's split ${lp} < ${truth}`)
          if (lp < plain) tighter++
        }
        // the wrong variant, counted: the test would fail with it in the code
        if (wrongSplitBound(n, sh, budget, randomSplit(rng, n)) < truth) wrongSplitCaught++
      }
    }
    assert.ok(tighter >= 5, `the LP's split tightened only ${tighter} bounds`)
    assert.ok(
      wrongSplitCaught >= 3,
      `a split without the services' part under-bounded only ${wrongSplitCaught} times`,
    )
  })

  test('a wrong κ (only members strictly inside the cover credited) under-bounds: the shares’ tests would catch it (seed 82)', () => {
    const rng = createRng(82)
    let caught = 0
    for (let i = 0; i < 400; i++) {
      const n = smallNetwork(rng, i)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = bruteCascade(n, psi)
      const searched = findCascadeShares(n, budget, { budgetMs: 200, shareSteps: 40, priceSteps: 10 })
      for (const sh of searched.shares) {
        assert.ok(cascadeSplitBound(n, sh, budget, zeroSplit(n)) >= truth, `network ${i}`)
        if (cascadeSplitBound(n, sh, budget, zeroSplit(n), wrongCredits(n, sh)) < truth) caught++
      }
    }
    assert.ok(caught >= 3, `the wrong κ under-bounded only ${caught} times`)
  })

  test('worstCaseLoss with the split on (and the cuts, so that only the exact bounds bound it): the brute-force optimum, bound never below it nor above the one without the split (seed 83)', async () => {
    const rng = createRng(83)
    let tighter = 0
    for (let i = 0; i < 40; i++) {
      const n = smallNetwork(rng, i)
      const psi = rat(PSIS[i % (PSIS.length - 1)] as bigint, 100n)
      const opts = { exhaustive: false, cascadeCuts: true } as const
      const r = await worstCaseLoss(n, psi, { ...opts, cascadeSplit: 0.3 })
      const without = await worstCaseLoss(n, psi, opts)
      const truth = bruteCascade(n, psi)
      const total = totalStake(n)
      assert.equal(ratToString(r.worstLoss), ratToString(rat(truth, total)), `network ${i}`)
      assert.ok(r.worstLossBound >= toNumber(rat(truth, total)), `network ${i}: bound below the truth`)
      assert.ok(r.worstLossBound <= without.worstLossBound, `network ${i}: the split loosened the bound`)
      if (r.worstLossBound < without.worstLossBound) tighter++
    }
    assert.ok(tighter >= 1, 'the split never tightened the reported bound')
  })
})

/** A wrong split, for the test to catch: the operators keep only (1 − β)κ and the services get nothing. */
function wrongSplitBound(n: Network, sh: CostShares, budget: bigint, split: bigint[][]): bigint {
  const kappa = shockEdgeCredits(n, sh).map((row, si) =>
    row.map((kp, k) => (kp * (SPLIT_DEN - (split[si]?.[k] ?? 0n))) / SPLIT_DEN),
  )
  return cascadeSplitBound(n, sh, budget, zeroSplit(n), kappa)
}
