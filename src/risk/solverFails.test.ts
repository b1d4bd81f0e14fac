/**
 * A solver that fails (HiGHS failing inside its thread: the runner rejects with a SuretyError, mipThread.ts) costs a
 * question its solver's word only: the cascade (cascade.ts, both the concurrent path and the one with stages after
 * the solver), the verdict and the largest attack (attack.ts) answer exactly what they answer with a solver that
 * finds nothing (search.ts searchOrNothing), never above brute force for what they found and never below it for
 * their bounds. Before, the question was aborted and the exact answers in hand lost (riskr.review.test.ts).
 * No time limit: every stage then ends by its step counts, so both runs take the same path.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SuretyError } from '../errors.ts'
import { largestAttack, solveMostProfitable } from './attack.ts'
import { bruteCascade, bruteLargestCost, bruteMostProfitable } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { parseRiskInput } from './input.ts'
import type { MipRunner } from './mip.ts'
import { totalStake } from './network.ts'
import { hardRegimeInput, randomNetwork } from './randomNetwork.ts'
import { cmp, rat, toNumber } from './rational.ts'
import { createRng } from './rng.ts'

/** HiGHS failing in its thread, after a few event-loop turns (its calls counted: the solver was reached). */
let failures = 0
const failing: MipRunner = () =>
  new Promise((_, reject) =>
    setTimeout(() => {
      failures++
      reject(new SuretyError('HiGHS aborted'))
    }, 2),
  )
/** A solver that finds nothing in its time: no incumbent, no bound. */
const blind: MipRunner = () =>
  new Promise((resolve) =>
    setTimeout(
      () =>
        resolve({
          status: 'timeLimit',
          values: null,
          objective: Number.NaN,
          bound: Number.POSITIVE_INFINITY,
        }),
      2,
    ),
  )

const networks = () => {
  const rng = createRng(1515)
  return Array.from({ length: 12 }, (_, i) =>
    parseRiskInput(
      i % 2 === 0
        ? hardRegimeInput(rng, i, { operators: [5, 8], services: [2, 4], members: [2, 5] })
        : randomNetwork(rng, {
            operators: 7,
            services: 4,
            membersPerService: [2, 5],
            allocations: i % 4 === 1,
            profitFactor: [0.05, 0.5],
          }),
    ),
  )
}

describe('a failing solver answers as one that finds nothing', () => {
  for (const [path, extra] of [
    ['concurrent stages', {}],
    ['stages after the solver', { cascadeSplit: 0.2 }],
  ] as const)
    test(`the cascade (${path}): not aborted, the no-solver answer, bound ≥ brute force`, async () => {
      const before = failures
      for (const [i, n] of networks().entries()) {
        const psi = rat(BigInt(1 + (i % 3)), 10n)
        const opts = { exhaustive: false, ...extra }
        const failed = await worstCaseLoss(n, psi, { ...opts, mipRunner: failing })
        const none = await worstCaseLoss(n, psi, { ...opts, mipRunner: blind })
        assert.deepEqual(failed, none, `network ${i}`)
        const worst = rat(bruteCascade(n, psi), totalStake(n))
        assert.ok(cmp(failed.worstLoss, worst) <= 0, `network ${i}: found above the worst cascade`)
        assert.ok(
          failed.worstLossBound >= toNumber(worst) * (1 - 1e-12),
          `network ${i}: bound below brute force`,
        )
        if (failed.proven) assert.equal(cmp(failed.worstLoss, worst), 0, `network ${i}: proven wrong`)
      }
      assert.ok(failures - before >= 6, `the solver failed only ${failures - before} times`)
    })

  test('the verdict and the largest attack: not aborted, the no-solver answers, bounds ≥ brute force', async () => {
    // insecure networks (services pay alone): the verdict reaches its solver on 11 of 16 of these, the largest on all
    const rng = createRng(1616)
    const insecure = Array.from({ length: 12 }, (_, i) =>
      parseRiskInput(
        randomNetwork(rng, {
          operators: 7,
          services: 4,
          membersPerService: [2, 5],
          allocations: i % 2 === 1,
          profitFactor: [0.3, 1.5],
        }),
      ),
    )
    const before = failures
    for (const [i, n] of insecure.entries()) {
      const failed = await solveMostProfitable(n, { mipRunner: failing })
      const none = await solveMostProfitable(n, { mipRunner: blind })
      assert.deepEqual(failed, none, `network ${i}: verdict`)
      const best = bruteMostProfitable(n) ?? 0n
      assert.ok(failed.answer.bound >= Number(best), `network ${i}: verdict bound below brute force`)
      const net = failed.answer.attack ? failed.answer.attack.profit - failed.answer.attack.cost : 0n
      assert.ok(net <= best)
      if (failed.answer.proven) assert.equal(net, best, `network ${i}: verdict proven wrong`)
      const start = failed.attack ?? undefined
      const large = await largestAttack(n, { mipRunner: failing, start })
      assert.deepEqual(large, await largestAttack(n, { mipRunner: blind, start }), `network ${i}: largest`)
      const most = bruteLargestCost(n)
      assert.ok(large.bound >= Number(most), `network ${i}: largest bound below brute force`)
      if (large.proven) assert.equal(large.attack?.cost ?? 0n, most, `network ${i}: largest proven wrong`)
    }
    assert.ok(failures - before >= 12, `the solver failed only ${failures - before} times`)
  })
})
