import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteCascade } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { shockBudget } from './cascadeBound.ts'
import { burnBound, burnCaps, burnCascade } from './cascadeBurn.ts'
import { parseRiskInput } from './input.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { rat, ratToString } from './rational.ts'
import type { Rng } from './rng.ts'
import { createRng } from './rng.ts'
import { isValidAttack } from './verify.ts'

// The small regimes, the boundary one, and large profits, where burning every stake an attack can take pays.
const REGIMES = [...SMALL_REGIMES, [0.02, 0.25] as const, [1, 4] as const]
const PSIS = [0n, 5n, 10n, 25n, 50n]

function smallNetwork(rng: Rng, i: number, scale = 1): Network {
  const input = randomNetwork(rng, {
    operators: rng.int(2, 7),
    services: rng.int(1, 4),
    membersPerService: [1, 5],
    allocations: i % 4 !== 0,
    profitFactor: REGIMES[i % REGIMES.length],
  })
  if (scale === 1) return parseRiskInput(input)
  // every amount times `scale`: the DP then steps by the stakes' gcd
  return parseRiskInput({
    operators: input.operators.map((o) => ({ ...o, stake: Number(o.stake) * scale })),
    services: input.services.map((s) => ({ ...s, profit: Number(s.profit) * scale })),
    ...(input.allocations
      ? { allocations: input.allocations.map((a) => ({ ...a, stake: Number(a.stake) * scale })) }
      : {}),
  })
}

/** The brute-force check of burnBound over `count` networks; returns how many it was tight on and how many broke it. */
function sweep(seed: number, count: number, opts: Parameters<typeof burnBound>[2] = {}, scale = 1) {
  const rng = createRng(seed)
  let tight = 0
  let below = 0
  let first = ''
  for (let i = 0; i < count; i++) {
    const n = smallNetwork(rng, i, scale)
    const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
    const budget = shockBudget(n, psi)
    const truth = bruteCascade(n, psi)
    const b = burnBound(n, budget, opts)
    if (b.bound < truth) {
      below++
      if (!first) first = `network ${i}: bound ${b.bound} below the true ${truth}`
    }
    if (b.bound === truth) tight++
    // the shock fits the budget; when exact, Σ c + g(D) is the bound
    const lost = b.shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
    assert.ok(lost <= budget, `network ${i}: shock ${lost} over the budget ${budget}`)
    const caps = burnCaps(n)
    const sumC = caps.reduce((a, c) => a + c, 0n)
    const gain = b.shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n) - (caps[v] ?? 0n), 0n)
    const total = totalStake(n)
    const sum = sumC + gain
    // biome-ignore lint/complexity/useMathMinMax: bigint, Math.min would throw
    if (b.exact && !opts.wrong) assert.equal(b.bound, total < sum ? total : sum, `network ${i}`)
    // the cascade, when valid, is a real one and never above the truth
    const c = burnCascade(n, b.shock)
    if (c) {
      assert.ok(isValidAttack(n, c.attack, new Set(c.shock)), `network ${i}: invalid cascade`)
      assert.ok(c.value <= truth, `network ${i}: cascade ${c.value} above the true ${truth}`)
      if (b.exact && !opts.wrong)
        assert.equal(c.value, b.bound, `network ${i}: the valid cascade misses the bound`)
    }
  }
  return { tight, below, first }
}

describe('burn bound (cascadeBurn.ts)', () => {
  test('never below brute force on 400 small networks (both models, five regimes, ψ 0–0.5), DP and LP', () => {
    for (const maxCells of [undefined, 0]) {
      const r = sweep(91, 400, { maxCells })
      assert.equal(r.below, 0, r.first)
      // tight on the large-profit networks at least
      assert.ok(r.tight >= 40, `tight on only ${r.tight} of 400`)
    }
  })

  test('amounts times 10^6: the DP steps by the stakes gcd and stays exact (200 networks)', () => {
    const r = sweep(92, 200, {}, 1_000_000)
    assert.equal(r.below, 0, r.first)
  })

  test('the mutant without the shock gain falls below brute force', () => {
    const r = sweep(91, 400, { wrong: 'noShockGain' })
    assert.ok(r.below >= 20, `the mutant broke only ${r.below} of 400`)
  })

  test('worstCaseLoss with the burn bound: the brute-force optimum, proven exactly where the bound is met (seed 93)', async () => {
    const rng = createRng(93)
    let exact = 0
    for (let i = 0; i < 60; i++) {
      const n = smallNetwork(rng, i * 5 + 4) // the large-profit regime, both models
      const psi = rat(PSIS[(i % (PSIS.length - 1)) + 1] as bigint, 100n)
      const r = await worstCaseLoss(n, psi, { exhaustive: false })
      const truth = bruteCascade(n, psi)
      assert.equal(ratToString(r.worstLoss), ratToString(rat(truth, totalStake(n))), `network ${i}`)
      if (r.exact) exact++
    }
    assert.ok(exact >= 30, `exact on only ${exact} of 60`)
  })
})
