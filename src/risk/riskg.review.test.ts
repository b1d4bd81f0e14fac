/**
 * An adversarial review of the largest attack's second opinion and exact start (attack.ts, search.ts) and of its
 * growth by whole services with exact leaf covers (growByLeaf, largestHeuristic.ts): hand-built networks where the
 * solver's margin hides the largest attack or a service joins at exactly break-even, and networks of 2,500
 * operator–service pairs and more (where the growth runs by default) under tiny time limits, every attack reported
 * checked exactly (verify.ts).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { analyzeNetwork } from './analyze.ts'
import { type AttackReport, largestAttack, solveMostProfitable } from './attack.ts'
import { bruteLargestCost } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { parseRiskInput } from './input.ts'
import { growByLeaf } from './largestHeuristic.ts'
import { loadHighs } from './mip.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { rat, ratToString } from './rational.ts'
import { createRng } from './rng.ts'
import { WRONG_CASCADES, WRONG_LARGEST } from './solverTraps.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from './verify.ts'

/** A reported attack back in the network's indices. */
const indices = (n: Network, r: AttackReport): Attack => ({
  services: r.services.map((id) => n.services.findIndex((s) => s.id === id)),
  operators: r.operators.map((id) => n.operators.findIndex((o) => o.id === id)),
})

/** Valid, and its reported cost and profit are its exact ones. */
function assertReportValid(n: Network, r: AttackReport | null, what: string) {
  if (!r) return
  const a = indices(n, r)
  assert.ok(isValidAttack(n, a), `${what}: not a valid attack`)
  assert.equal(attackCost(n, a), r.cost, `${what}: cost`)
  assert.equal(attackProfit(n, a), r.profit, `${what}: profit`)
}

/**
 * 215 operators × 50 services, 20–80 members each (2,400–2,700 pairs: at or above the 2,500 where the growth runs
 * by default), hard regime.
 */
const largeNetwork = (seed: number): Network =>
  parseRiskInput(
    randomNetwork(createRng(seed, 9), {
      operators: 215,
      services: 50,
      membersPerService: [20, 80],
      allocations: seed % 2 === 0,
      profitFactor: [0.05, 0.35],
    }),
  )

describe('review: the largest attack, its exact start and growByLeaf', () => {
  // s0 is attacked by v0 alone for 10 (net 90) or by v0 and v1 for 99 (net 1); s1, worth 1e10 and secured by 2e10,
  // cannot be attacked but sets the largest amount, so the solver's margin (1e-7 of it: 2,000 units) hides every
  // attack on s0: its "optimum" is no attack, proven by both opinions. The verdict's attack (cost 10) then beats the
  // proof and is reported unproven — with the bound max(solver's 0, 10) = 10, below the largest attack's 99: a
  // bound taken from the very proof the code has just found wrong.
  test('a start that beats the solver\'s "optimum" leaves no bound below the truth', async () => {
    const n = parseRiskInput({
      operators: [
        { id: 'v0', stake: 10 },
        { id: 'v1', stake: 89 },
        { id: 'v2', stake: '20000000000' },
      ],
      services: [
        { id: 's0', profit: 100, threshold: 0.1, operators: ['v0', 'v1'] },
        { id: 's1', profit: '10000000000', threshold: 1, operators: ['v2'] },
      ],
    })
    const truth = bruteLargestCost(n)
    assert.equal(truth, 99n)
    const best = await solveMostProfitable(n)
    assert.ok(best.attack && best.answer.attack)
    const out = await largestAttack(n, { start: best.attack })
    assertReportValid(n, out.attack, 'largest')
    assert.ok((out.attack?.cost ?? 0n) >= best.answer.attack.cost, 'below the verdict’s attack')
    if (out.proven) assert.equal(out.attack?.cost, truth, 'proven below the truth')
    assert.ok(out.bound >= Number(truth), `bound ${out.bound} below the largest attack ${truth}`)
  })

  // A service that joins only at exactly break-even: A = {s0} nets 5; A ∪ {s1} costs 15 for a profit of 15. The
  // growth must not take it (net 0 is no attack), whatever the leaf or the padding return.
  test('growByLeaf never takes a service at break-even', async () => {
    const n = parseRiskInput({
      operators: [
        { id: 'v0', stake: 5 },
        { id: 'v1', stake: 10 },
      ],
      services: [
        { id: 's0', profit: 10, threshold: 1, operators: ['v0'] },
        { id: 's1', profit: 5, threshold: 1, operators: ['v1'] },
      ],
    })
    const highs = await loadHighs()
    const grown = growByLeaf(n, { services: [0], operators: [0] }, highs, performance.now() + 1000)
    assert.ok(isValidAttack(n, grown), `${JSON.stringify(grown)} is not a valid attack`)
    assert.equal(attackCost(n, grown), 5n)
    const out = await largestAttack(n, {
      start: { services: [0], operators: [0] },
      growPart: 0.9,
      timeLimitSeconds: 0.5,
    })
    assertReportValid(n, out.attack, 'largest')
    assert.equal(out.attack?.cost, 5n)
  })

  test('growByLeaf on large networks: valid, nets more than 0, at least its start, never above a proven largest attack', async () => {
    const highs = await loadHighs()
    let grew = 0
    for (const seed of [1]) {
      const n = largeNetwork(seed)
      const best = await solveMostProfitable(n, { timeLimitSeconds: 2 })
      if (!best.attack) continue
      const reference = await largestAttack(n, { start: best.attack, growPart: 0 })
      const grown = growByLeaf(n, best.attack, highs, performance.now() + 400, 40)
      assert.ok(isValidAttack(n, grown), `seed ${seed}: not a valid attack`)
      assert.ok(attackProfit(n, grown) > attackCost(n, grown), `seed ${seed}: nets nothing`)
      assert.ok(attackCost(n, grown) >= attackCost(n, best.attack), `seed ${seed}: below its start`)
      if (reference.proven)
        assert.ok(
          attackCost(n, grown) <= (reference.attack?.cost ?? 0n),
          `seed ${seed}: grown ${attackCost(n, grown)} above the proven largest ${reference.attack?.cost}`,
        )
      if (attackCost(n, grown) > attackCost(n, best.attack)) grew++
    }
    assert.ok(grew > 0, 'the growth never grew: the test does not exercise it')
  })

  test('tiny limits on a network of 2,534 pairs: valid attacks, proofs only at the optimum, bounds not below it', async () => {
    const n = largeNetwork(1)
    assert.ok(n.services.reduce((a, s) => a + s.members.length, 0) >= 2500)
    const best = await solveMostProfitable(n, { timeLimitSeconds: 2 })
    assert.ok(best.attack && best.answer.attack)
    const reference = await largestAttack(n, { start: best.attack, growPart: 0 })
    assert.ok(reference.proven, 'the reference is not proven')
    const optimum = reference.attack?.cost ?? 0n
    for (const T of [0, 0.005, 0.02, 0.06, 0.12, 0.25]) {
      const out = await largestAttack(n, { start: best.attack, timeLimitSeconds: T })
      assertReportValid(n, out.attack, `T=${T}`)
      const cost = out.attack?.cost ?? 0n
      assert.ok(cost >= best.answer.attack.cost, `T=${T}: below the verdict's attack`)
      assert.ok(cost <= optimum, `T=${T}: ${cost} above the proven optimum ${optimum}`)
      if (out.proven) assert.equal(cost, optimum, `T=${T}: proven at ${cost}`)
      assert.ok(out.bound >= Number(optimum) - 1e-6, `T=${T}: bound ${out.bound} below ${optimum}`)
    }
    // analyze: the largest attack it reports is valid and never below the most profitable one's cost
    const r = await analyzeNetwork(n, { timeLimitSeconds: 0.3 })
    assertReportValid(n, r.attack, 'analyze attack')
    assertReportValid(n, r.largestAttack, 'analyze largest')
    if (r.attack)
      assert.ok((r.largestAttack?.cost ?? 0n) >= r.attack.cost, 'analyze: largest below the attack')
    if (r.proven) assert.equal(r.largestAttack?.cost, optimum, 'analyze: proven largest not the optimum')
  })

  // The two networks of riskd.review.test.ts where HiGHS at 1e-9 proves "no attack" (largest 158 and 163): the
  // second opinion catches it without a limit, but it gets only the time left less the MIP's setup (at most the
  // first solve's time plus a second), and where it is skipped (≤ 10 ms left) or stops unproven the first, wrong
  // claim stands — reported proven. Under limits of 40–70 ms, at load 9–13, 22 of 162 runs (141 proven) were
  // proven "no attack". Timing decides which runs fail, so the test sweeps 120 limits (40–70 ms, 0.25 ms apart) twice
  // on each network (480 runs, 1–2 s; 720 failed 3 of 3 runs at load 4 too) and asks that none does.
  test('tiny limits: the first solve\'s wrong "optimal" is never reported proven when the second opinion cannot run', async () => {
    const cases = WRONG_LARGEST
    const wrong: string[] = []
    for (const [input, optimum] of cases) {
      const n = parseRiskInput(input)
      for (let k = 0; k < 240; k++) {
        const ms = 40 + (k % 120) / 4
        const out = await largestAttack(n, { timeLimitSeconds: ms / 1000 })
        assertReportValid(n, out.attack, `${ms} ms`)
        if (out.proven && out.attack?.cost !== optimum)
          wrong.push(`${ms} ms: proven ${out.attack?.cost ?? 'none'}, largest ${optimum}`)
        if (out.bound < Number(optimum)) wrong.push(`${ms} ms: bound ${out.bound} below ${optimum}`)
      }
    }
    assert.deepEqual(wrong, [])
  })

  // The same gap in the cascade, whose second opinion is the same function (search.ts; not new in this change, but
  // the largest attack now shares it): riskd.review.test.ts's two networks, where HiGHS at 1e-9 claims the shock
  // alone (186 for 311, 96 for 133), are reported proven at those under limits of 20–120 ms — 5 of 48 proven runs
  // at load 6–10.
  test('tiny limits: the cascade never reports the first solve\'s wrong "optimal" as proven either', async () => {
    const cases = WRONG_CASCADES
    const wrong: string[] = []
    for (const [input, optimum] of cases) {
      const n = parseRiskInput(input)
      const truth = ratToString(rat(optimum, totalStake(n)))
      for (let ms = 20; ms <= 120; ms += 3) {
        const r = await worstCaseLoss(n, rat(1n, 2n), { exhaustive: false, timeLimitSeconds: ms / 1000 })
        if (r.proven && ratToString(r.worstLoss) !== truth)
          wrong.push(`${ms} ms: proven ${ratToString(r.worstLoss)}, worst ${truth}`)
      }
    }
    assert.deepEqual(wrong, [])
  })
})
