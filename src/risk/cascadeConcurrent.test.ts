/**
 * The cascade's bound stages run beside the solver on its thread (cascade.ts, concurrent): on small networks forced
 * onto that path (the `mipRunner` test option), against brute force, the answer is never below the worst cascade
 * (its bound never under it, the loss found never over it) and proven only at it. With a solver that finds nothing
 * (a runner that answers its limit with no incumbent and no bound) only the stages' exact bounds can prove, from the
 * start's loss, and the bound reported is theirs. Mutants tried: the stages' bound replaced by the start's loss
 * (`return { bound: target }` in concurrentStages), the coupled stage's bound halved, and the coupled branching's
 * leaves dropped from its bound (cascadeCoupledBranch.ts, `leafMax` never raised) — each fails at network 0 (blind):
 * bound below the brute force.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { parseRiskInput } from './input.ts'
import type { MipRunner } from './mip.ts'
import { closeMipThread, mipThreadRunner } from './mipThread.ts'
import { totalStake } from './network.ts'
import { hardRegimeInput, randomNetwork } from './randomNetwork.ts'
import { cmp, rat, toNumber } from './rational.ts'
import { createRng } from './rng.ts'

after(async () => {
  await closeMipThread()
})

/** A solver that finds nothing: its limit reached after a few event-loop turns, no incumbent, no bound. */
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
      5,
    ),
  )

const networks = () => {
  const rng = createRng(1414)
  const out = []
  for (let i = 0; i < 24; i++)
    out.push(
      parseRiskInput(
        i % 2 === 0
          ? hardRegimeInput(rng, i, { operators: [5, 9], services: [2, 5], members: [2, 5] })
          : randomNetwork(rng, {
              operators: 8,
              services: 4,
              membersPerService: [2, 6],
              allocations: i % 4 === 1,
              profitFactor: [0.05, 0.5],
            }),
      ),
    )
  return out
}

describe('worstCaseLoss, bound stages beside the solver on its thread', () => {
  for (const [name, runner, count] of [
    ['a solver that finds nothing', blind, 24],
    ['the real solver thread', mipThreadRunner, 8],
  ] as const)
    test(`never below brute force, proven only at it (${name})`, async () => {
      let proven = 0
      for (const [i, n] of networks().slice(0, count).entries()) {
        const psi = rat(BigInt(1 + (i % 3)), 10n)
        const expected = rat(bruteCascade(n, psi), totalStake(n))
        const r = await worstCaseLoss(n, psi, {
          exhaustive: false,
          timeLimitSeconds: 5,
          mipRunner: runner,
        })
        assert.ok(cmp(r.worstLoss, expected) <= 0, `network ${i}: found above the worst cascade`)
        assert.ok(
          r.worstLossBound >= toNumber(expected) * (1 - 1e-12),
          `network ${i}: bound below the worst cascade`,
        )
        if (r.proven) {
          proven++
          assert.equal(cmp(r.worstLoss, expected), 0, `network ${i}: proven below the worst cascade`)
        }
        if (runner === blind) assert.equal(r.proven, r.exact, `network ${i}: proven without an exact bound`)
      }
      // (the stages' bounds alone are loose on networks this small: the blind solver's answers stay open, and their
      // bound is then the stages' exact one, checked above)
      if (runner !== blind) assert.ok(proven > 0, 'some answers proven')
    })
})
