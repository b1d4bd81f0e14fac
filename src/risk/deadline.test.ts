/**
 * Time limits on networks far too large to settle within them: the answer must say it is not proven, with a bound
 * that does not pretend otherwise, and whatever attack it reports must be real. (Tests never assert wall-clock
 * time; `bench/risk.ts` and docs/risk.md hold the timings.)
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { analyzeNetwork } from './analyze.ts'
import { worstCaseLoss } from './cascade.ts'
import { mipLimitSeconds, partDeadline } from './deadline.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork } from './randomNetwork.ts'
import { rat } from './rational.ts'
import { createRng } from './rng.ts'
import { certifiedSlack } from './slack.ts'
import { attackCost, attackProfit, isValidAttack } from './verify.ts'

// The bench's hard regime at 2,000 × 200: its proof needs many CPU-seconds of branching (docs/risk.md), if any.
const hard = parseRiskInput(
  randomNetwork(createRng(1), {
    operators: 2000,
    services: 200,
    membersPerService: [25, 100],
    profitFactor: [0.05, 0.35],
  }),
)

/** The reported attack, back in indices, checked against the definitions. */
function assertReal(r: Awaited<ReturnType<typeof analyzeNetwork>>, at: string) {
  if (!r.attack) return
  const a = {
    services: r.attack.services.map((id) => hard.services.findIndex((s) => s.id === id)),
    operators: r.attack.operators.map((id) => hard.operators.findIndex((o) => o.id === id)),
  }
  assert.ok(isValidAttack(hard, a), `${at}: the attack reported is not valid`)
  assert.equal(attackProfit(hard, a) - attackCost(hard, a), r.attack.profit - r.attack.cost)
  assert.ok(r.profitBound >= Number(r.attack.profit - r.attack.cost), `${at}: bound below the attack`)
}

describe('time limits on a large network', () => {
  test('the network is not settled by the certified slack (the searches must run)', () => {
    const g = certifiedSlack(hard)
    assert.ok(g !== null && g.num < 0n)
  })

  test('a zero time limit answers without searching and claims nothing', async () => {
    const r = await analyzeNetwork(hard, { timeLimitSeconds: 0 })
    assert.equal(r.secure, null)
    assert.equal(r.verdictProven, false)
    assert.equal(r.verdictExact, false)
    assert.equal(r.proven, false)
    assert.equal(r.provenExact, false)
    assert.equal(r.attack, null)
    assert.equal(r.profitBound, Number.POSITIVE_INFINITY)
    const c = await worstCaseLoss(hard, rat(1n, 10n), { timeLimitSeconds: 0 })
    assert.equal(c.proven, false)
    assert.equal(c.exact, false)
  })

  test('half a second reports the verdict and the attacks as not proven, with honest bounds', async () => {
    const r = await analyzeNetwork(hard, { timeLimitSeconds: 0.5 })
    assert.equal(r.proven, false)
    assert.equal(r.provenExact, false)
    if (r.secure === null) assert.ok(r.profitBound > 0, 'an open verdict has a positive bound')
    if (r.secure === true) assert.ok(r.verdictProven)
    assertReal(r, '0.5 s')
  })

  test('the solver is not started when what is left cannot cover its setup', () => {
    assert.equal(mipLimitSeconds(hard, performance.now()), null)
    assert.equal(mipLimitSeconds(hard, undefined), undefined)
    const limit = mipLimitSeconds(hard, performance.now() + 60_000)
    assert.ok(limit !== null && limit !== undefined && limit > 50 && limit < 60)
  })

  test('a component’s part of the time ends its part of the way to the deadline; the last part ends at it', () => {
    assert.equal(partDeadline(undefined, 0.5), undefined)
    const d = performance.now() + 40_000
    assert.equal(partDeadline(d, 1), d)
    const before = performance.now()
    const p = partDeadline(d, 0.25) as number
    const after = performance.now()
    // a quarter of what was left when it was asked (measured on either side of the call)
    assert.ok(p >= before + (d - after) * 0.25 && p <= after + (d - before) * 0.25, `${p - before}`)
    // past the deadline, or a part of nothing, is now: no time to give
    const past = performance.now() - 1000
    const q = partDeadline(past, 0.5) as number
    assert.ok(q >= past + 1000 && q <= performance.now())
    const r = partDeadline(d, -1) as number
    assert.ok(r <= performance.now())
  })
})
