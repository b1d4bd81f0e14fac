/**
 * Inputs that crashed the analysis (found by a review that attacked the engine): each must now get a verdict,
 * and the verdict must match brute force.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { analyzeNetwork } from './analyze.ts'
import { bruteMostProfitable } from './bruteForce.ts'
import { parseRiskInput } from './input.ts'

test('a heuristic start that includes a worthless service (y fixed at 0) no longer makes HiGHS refuse the start', async () => {
  const n = parseRiskInput({
    operators: [
      { id: 'v0', stake: '1' },
      { id: 'v1', stake: '2' },
      { id: 'v2', stake: '7' },
    ],
    services: [
      { id: 's2', profit: '8', threshold: '0.75', operators: ['v1', 'v0', 'v2'] },
      { id: 's3', profit: '0', threshold: '0.333333333333333333333333333333333333', operators: ['v0'] },
      { id: 's4', profit: '6', threshold: '0.6667', operators: ['v1', 'v2'] },
    ],
  })
  const r = await analyzeNetwork(n, { timeLimitSeconds: 10 })
  // s2 and s4 by v0 and v2: profit 14 for a cost of 8, and nothing better
  assert.equal(r.secure, false)
  assert.equal(r.proven, true)
  assert.equal(r.attack!.profit - r.attack!.cost, bruteMostProfitable(n))
  assert.equal(bruteMostProfitable(n), 6n)
})

test('amounts of 2^1024 and more (beyond a float) get a verdict: the largest attack keeps its margin in bigint', async () => {
  const n = parseRiskInput({
    operators: [{ id: 'v', stake: `1${'0'.repeat(400)}` }],
    services: [{ id: 's', profit: `1${'0'.repeat(401)}`, threshold: 1, operators: ['v'] }],
  })
  const r = await analyzeNetwork(n, { timeLimitSeconds: 10 })
  assert.equal(r.secure, false)
  assert.equal(r.attack!.profit - r.attack!.cost, 9n * 10n ** 400n)
})
