/**
 * An adversarial review of the second opinion's new rule (search.ts: a solver proof the second solve does not
 * confirm is reported unproven) and of what the cascade (cascade.ts) and the largest attack (attack.ts) make of it:
 * the unconfirmed answer's bound, a confirmed "optimum" below an exact answer found beside it, and bounds under
 * tiny time limits on riskd.review.test.ts's networks, where HiGHS at 1e-9 errs.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { largestAttack } from './attack.ts'
import { bruteLargestCost } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { parseRiskInput, type RiskInput } from './input.ts'
import { totalStake } from './network.ts'
import { rat, ratToString, toNumber } from './rational.ts'
import { type SearchOutcome, secondOpinion } from './search.ts'
import { smallCascade } from './smallCascade.ts'
import { WRONG_CASCADES, WRONG_LARGEST } from './solverTraps.ts'

const ops = (stakes: number[]) => stakes.map((stake, i) => ({ id: `v${i}`, stake }))

// solverTraps.ts' networks: HiGHS at 1e-9 proves "no attack" (largest attack 163) and the shock alone (cascade 311
// of 373 and 133 of 201).
const LARGEST = (WRONG_LARGEST[1] as [RiskInput, bigint])[0]
const CASCADES = WRONG_CASCADES

describe('review: an unconfirmed solver proof', () => {
  // The second solve (1e-8) returns points that fail exact verification, and past the deadline searchAttack throws
  // "the solver's answers kept failing exact verification": the whole question crashed under 34–80 ms limits (10 of
  // 29 runs, load 9) where the answer should be the first solve's, unproven. Run first in this file: after the other
  // tests HiGHS happened not to hit it.
  test('a second solve whose answers keep failing verification does not crash the cascade', async () => {
    const n = parseRiskInput({
      operators: [...ops([9, 77, 54, 71, 42, 16]), { id: 'vB', stake: 1 }],
      services: [
        { id: 's0', profit: 5, threshold: 0.3333, operators: ['v3'] },
        { id: 's1', profit: 64, threshold: 1, operators: ['v4', 'v1', 'v2', 'v0'] },
        { id: 's2', profit: 6, threshold: 0.5, operators: ['v4'] },
        { id: 'sB', profit: '10000000000', threshold: 1, operators: ['vB'] },
      ],
    })
    const psi = rat(1n, 2n)
    const truth = smallCascade(n, psi)
    assert.ok(truth)
    const worst = toNumber(rat(truth.value, totalStake(n)))
    const wrong: string[] = []
    for (let ms = 24; ms <= 80; ms += 2) {
      try {
        const r = await worstCaseLoss(n, psi, { exhaustive: false, timeLimitSeconds: ms / 1000 })
        if (r.proven && toNumber(r.worstLoss) !== worst) wrong.push(`${ms} ms: proven wrong`)
      } catch (e) {
        wrong.push(`${ms} ms: ${(e as Error).message}`)
      }
    }
    assert.deepEqual(wrong, [])
  })

  test('no time for a second opinion: unproven, no bound; a proof without a claim passes through', async () => {
    const n = parseRiskInput(LARGEST)
    const first: SearchOutcome = { proven: true, attack: null, shock: [], value: 0n, bound: 0, rejected: 0 }
    const out = await secondOpinion(n, 'cost', first, { deadline: performance.now() })
    assert.equal(out.proven, false)
    assert.equal(out.bound, Number.POSITIVE_INFINITY)
    const open = { ...first, proven: false, bound: 7 }
    assert.equal(await secondOpinion(n, 'cost', open, { deadline: performance.now() }), open)
  })

  test('a wrong "no attack" with time for the second solve: never kept as proven, bound not below 163', async () => {
    const n = parseRiskInput(LARGEST)
    assert.equal(bruteLargestCost(n), 163n)
    const first: SearchOutcome = { proven: true, attack: null, shock: [], value: 0n, bound: 0, rejected: 0 }
    for (const ms of [30, 200, 2000]) {
      const out = await secondOpinion(n, 'cost', first, { deadline: performance.now() + ms })
      if (out.proven) assert.equal(out.value, 163n, `${ms} ms: proven ${out.value}`)
      else assert.ok(out.bound >= 163, `${ms} ms: bound ${out.bound}`)
    }
  })

  test('the largest attack under 0–200 ms: never proven wrong, bound never below 163, never NaN', async () => {
    const n = parseRiskInput(LARGEST)
    const wrong: string[] = []
    for (let ms = 0; ms <= 200; ms += 5) {
      const out = await largestAttack(n, { timeLimitSeconds: ms / 1000 })
      if (out.proven && out.attack?.cost !== 163n)
        wrong.push(`${ms} ms: proven ${out.attack?.cost ?? 'none'}`)
      if (!(out.bound >= 163)) wrong.push(`${ms} ms: bound ${out.bound}`)
    }
    assert.deepEqual(wrong, [])
  })

  // When the first solve stops at its limit its dual bound is taken as the cascade's bound (cascade.ts report), but
  // on these networks HiGHS at 1e-9 errs in its bound as in its "optimal": at limits of 16–70 ms the reported
  // worstLossBound was 275/373 where 311/373 burns, and 100/201 where 133/201 does (50 of 606 runs, load 6–10).
  // The unconfirmed first answer's bound is the same bound as its wrong proof; not new in 68d25f1 (its first
  // solve's path is unchanged), and not fixed here: only the shares' exact bound should count then.
  test('the cascade under 10–70 ms limits: the bound never below the worst loss', async () => {
    const wrong: string[] = []
    for (const [input, optimum] of CASCADES) {
      const n = parseRiskInput(input)
      const truth = toNumber(rat(optimum, totalStake(n)))
      for (let ms = 10; ms <= 70; ms += 2) {
        const r = await worstCaseLoss(n, rat(1n, 2n), { exhaustive: false, timeLimitSeconds: ms / 1000 })
        if (!(r.worstLossBound >= truth)) wrong.push(`${optimum} at ${ms} ms: bound ${r.worstLossBound}`)
        if (r.proven && toNumber(r.worstLoss) !== truth) wrong.push(`${optimum} at ${ms} ms: proven wrong`)
      }
    }
    assert.deepEqual(wrong, [])
  })

  // A service worth 10^10 (attackable for a stake of 1) sets the solver's unit, and its validity margin (1e-7 of
  // it, 1,000) hides the attacks on the rest: both opinions prove 24 (shock alone), the heuristic finds 83 exactly,
  // and the cascade reported 83 proven where 106 burns. The largest attack treats an exact start above the solver's
  // "optimum" as the proof being wrong (riskg.review.test.ts); the cascade did not.
  test('an exact cascade above the solver\'s confirmed "optimum" is not reported proven', async () => {
    const n = parseRiskInput({
      operators: [...ops([30, 39, 23, 52, 26]), { id: 'vB', stake: 1 }],
      services: [
        { id: 's0', profit: 17, threshold: 0.6667, operators: ['v2'] },
        { id: 'sB', profit: '10000000000', threshold: 1, operators: ['vB'] },
      ],
    })
    const psi = rat(1n, 2n)
    const truth = smallCascade(n, psi)
    assert.ok(truth)
    assert.equal(truth.value, 106n)
    const r = await worstCaseLoss(n, psi, { exhaustive: false })
    if (r.proven) assert.equal(ratToString(r.worstLoss), ratToString(rat(truth.value, totalStake(n))))
    assert.ok(r.worstLossBound >= toNumber(rat(truth.value, totalStake(n))), `bound ${r.worstLossBound}`)
  })

  // The same margin with no exact cascade above the solver's: every attack is profitable beside sB (worth 10^10 for
  // a stake of 1), so all 256 of the stake burns, but the solver's margin (1,000) hides the attacks, both opinions
  // and the heuristic agree on 240, and 240/256 is reported proven (20 of 300 random networks with such a service,
  // seed 9). Not fixed here: a solver proof needs its margin to be small beside the amounts it hides.
  test('a service worth 10^10 does not let the solver prove a cascade below the worst', async () => {
    const n = parseRiskInput({
      operators: [...ops([86, 77, 32, 33, 16, 11]), { id: 'vB', stake: 1 }],
      services: [
        { id: 's0', profit: 28, threshold: 0.3333, operators: ['v1'] },
        { id: 's1', profit: 10, threshold: 1, operators: ['v5'] },
        { id: 's2', profit: 251, threshold: 1, operators: ['v1', 'v2', 'v3', 'v0'] },
        { id: 's3', profit: 12, threshold: 0.3333, operators: ['v2'] },
        { id: 'sB', profit: '10000000000', threshold: 1, operators: ['vB'] },
      ],
    })
    const psi = rat(1n, 2n)
    const truth = smallCascade(n, psi)
    assert.ok(truth)
    assert.equal(truth.value, 256n)
    const r = await worstCaseLoss(n, psi, { exhaustive: false })
    if (r.proven) assert.equal(ratToString(r.worstLoss), '1', `proven ${ratToString(r.worstLoss)}`)
    assert.ok(r.worstLossBound >= 1, `bound ${r.worstLossBound}`)
    // The largest attack, without a start, likewise: 229 proven (bound 229) where 240 burns.
    const largest = await largestAttack(n)
    assert.equal(bruteLargestCost(n), 240n)
    if (largest.proven) assert.equal(largest.attack?.cost, 240n, 'largest attack proven below 240')
    assert.ok(largest.bound >= 240, `largest attack bound ${largest.bound}`)
  })
})
