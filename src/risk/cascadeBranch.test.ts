import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { shockBudget } from './cascadeBound.ts'
import { branchCascade, type Wrong } from './cascadeBranch.ts'
import { cascadeStart } from './cascadeHeuristic.ts'
import { findCascadeShares } from './cascadeShares.ts'
import { parseRiskInput } from './input.ts'
import type { Network } from './network.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { rat } from './rational.ts'
import type { Rng } from './rng.ts'
import { createRng } from './rng.ts'

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

/** Runs the branching on `count` small networks from the incumbent a start finds; returns the failures. */
function compare(
  seed: number,
  count: number,
  wrong?: Wrong,
): { failures: string[]; proven: number; strict: number } {
  const rng = createRng(seed)
  const failures: string[] = []
  let proven = 0
  let strict = 0
  for (let i = 0; i < count; i++) {
    const n = smallNetwork(rng, i)
    const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
    const budget = shockBudget(n, psi)
    const truth = bruteCascade(n, psi)
    // Three incumbents: none, the start's, and the truth itself (every pruning then sits at the edge).
    const start = cascadeStart(n, budget).best.value
    const shares = findCascadeShares(n, budget, { budgetMs: 50, shareSteps: 30, priceSteps: 0 }).bound
    for (const incumbent of [0n, start, truth]) {
      const r = branchCascade(n, budget, incumbent, { rootSteps: 40, nodeSteps: 10, wrong })
      if (r.bound < truth) failures.push(`network ${i}, incumbent ${incumbent}: bound ${r.bound} < ${truth}`)
      // every incumbent here is a loss some shock and attack reach (≤ truth): a proof must land on the truth
      if (r.proven && r.bound !== truth)
        failures.push(`network ${i}: proven ${r.bound} but the truth is ${truth}`)
      if (r.proven && incumbent === truth) proven++
      if (incumbent === start && r.bound < shares) strict++
    }
  }
  return { failures, proven, strict }
}

describe('cascade branch and bound over services', () => {
  test('never below the exhaustive R_ψ on 300 small networks (both models, four regimes, five ψ); proves most', () => {
    const { failures, proven, strict } = compare(91, 300)
    assert.deepEqual(failures, [])
    // From the true value as incumbent the tree closes on most networks, and it beats the root's shares often.
    assert.ok(proven >= 180, `proven only ${proven} of 300`)
    assert.ok(strict >= 100, `tighter than the root's shares on only ${strict}`)
  })

  test('a wrong rule is caught: an IN service without credit for C_s < π_s, or a shock that must hold all of N(s)', () => {
    for (const wrong of ['inNoCredit', 'holdAll'] as const) {
      const { failures } = compare(91, 300, wrong)
      assert.ok(failures.length > 0, `${wrong}: no network caught it`)
    }
  })
})
