/**
 * An adversarial review of the coupled cap continued on the solver's idle thread (mipThread.ts coupledOnThread,
 * mipWorker.ts runCoupled, attack.ts where flipsInstead holds) and of the CPU-aware flipsInstead (attack.ts
 * cpuShareOf). The bound re-derived: for any λ (any sign) and μ ≥ 0, adding μ_s(Σ_{v∈B} ā_vs − need_s) ≥ 0 and
 * λ_vs(1 − 1) = 0 for s ∈ A to π(A) − cost(B) and regrouping per service and per operator gives coupledCap.ts's
 * formula, so whatever the thread leaves in the shared buffer can only weaken the bound once toMultipliers reads
 * it — provided reading it never throws. Found: a finite multiplier past 2^984 (garbage in the buffer, or μ_s =
 * p_s / need_s with amounts near 2^1020 and a service needing one unit) overflowed x·2^40 to ∞ and
 * toMultipliers threw (BigInt(∞)): the question crashed instead of weakening its bound.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { bruteMostProfitable } from './bruteForce.ts'
import { coupledCapExact, searchCoupledCap, toMultipliers } from './coupledCap.ts'
import { parseRiskInput } from './input.ts'
import { closeMipThread, coupledOnThread, setMipThreadStart } from './mipThread.ts'
import type { Network } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { cmp, rat } from './rational.ts'
import { createRng } from './rng.ts'

after(async () => {
  setMipThreadStart(undefined)
  await closeMipThread()
})

const edgesOf = (n: Network): number => n.services.reduce((a, s) => a + s.members.length, 0)
const fake = (body: string) => () =>
  new Worker(`const { parentPort } = require('node:worker_threads')\n${body}`, { eval: true })

describe('review riskt: the coupled cap continued on the solver’s thread', () => {
  test('multipliers past 2^984 in the buffer weaken the bound, never throw (the thread’s answer and toMultipliers)', async () => {
    const n = parseRiskInput(
      randomNetwork(createRng(7), {
        operators: 6,
        services: 3,
        membersPerService: [2, 5],
        allocations: true,
        profitFactor: [0.2, 1.2],
      }),
    )
    const best = bruteMostProfitable(n) ?? 0n
    const E = edgesOf(n)
    const S = n.services.length
    for (const [l, p] of [
      [1e300, 0],
      [0, 1e300],
      [-1e300, 1e300],
      [Number.MAX_VALUE, Number.MAX_VALUE],
    ] as const) {
      const m = toMultipliers(n, { lam: new Float64Array(E).fill(l), p: new Float64Array(S).fill(p) }, 1000n)
      assert.ok(cmp(coupledCapExact(n, m), rat(best)) >= 0)
    }
    // through the thread: a thread that answers 1e300 everywhere
    await closeMipThread()
    setMipThreadStart(
      fake(
        `parentPort.on('message', (m) => { const f = new Int32Array(m.shared, 0, 2); new Float64Array(m.shared, 8).fill(1e300); Atomics.store(f, 1, 1); Atomics.notify(f, 1); parentPort.postMessage({ id: m.id, type: 'coupledDone' }) })`,
      ),
    )
    const start = { lam: new Float64Array(E), p: new Float64Array(S), tau: 1 }
    const r = coupledOnThread(n, start, performance.now() + 3000).take()
    assert.ok(r)
    assert.ok(cmp(coupledCapExact(n, toMultipliers(n, r, 1000n)), rat(best)) >= 0)
    setMipThreadStart(undefined)
    await closeMipThread()
  })

  test('the cap itself on a service worth 2^1000 that needs one unit: no throw, at or above brute force', () => {
    const big = (1n << 1000n).toString()
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: '1' },
        { id: 'b', stake: big },
        { id: 'c', stake: '3' },
      ],
      services: [
        { id: 's', profit: big, threshold: 1, operators: ['a'] },
        { id: 't', profit: '5', threshold: 0.5, operators: ['b', 'c'] },
      ],
      allocations: [
        { operator: 'a', service: 's', stake: '1' },
        { operator: 'b', service: 't', stake: big },
        { operator: 'c', service: 't', stake: '2' },
      ],
    })
    const best = bruteMostProfitable(n) ?? 0n
    for (const maxIterations of [0, 1, 50]) {
      const r = searchCoupledCap(n, { budgetMs: 60_000, maxIterations })
      assert.ok(cmp(r.bound, rat(best)) >= 0, `${maxIterations} steps: below ${best}`)
    }
  })
})
