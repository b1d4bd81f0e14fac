/**
 * The coupled cap's search continued (issue 14): warm-started from an earlier search's multipliers and τ
 * (coupledCore.ts `start`), and on the solver's thread beside the flips (mipThread.ts coupledOnThread, attack.ts
 * where flipsInstead holds). Whatever the thread answers is checked exactly by the caller (coupledCapExact), so the
 * checks here are that a warm start resumes where the search stopped, that the continued multipliers still bound
 * every valid attack (brute force), and that a thread that hangs or answers garbage gives no answer.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { flipsInstead } from './attack.ts'
import { bruteMostProfitable } from './bruteForce.ts'
import { coupledCapExact, searchCoupledCap, toMultipliers } from './coupledCap.ts'
import { buildCoupledCore, searchCoupled } from './coupledCore.ts'
import { parseRiskInput } from './input.ts'
import { closeMipThread, coupledOnThread, setMipThreadStart } from './mipThread.ts'
import type { Network } from './network.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { cmp, rat } from './rational.ts'
import { createRng, type Rng } from './rng.ts'

after(async () => {
  setMipThreadStart(undefined)
  await closeMipThread()
})

function small(rng: Rng, i: number): Network {
  return parseRiskInput(
    randomNetwork(rng, {
      operators: rng.int(4, 9),
      services: rng.int(1, 5),
      membersPerService: [2, 6],
      allocations: true,
      profitFactor: i % 2 === 0 ? [0.2, 1.2] : SMALL_REGIMES[i % 3],
    }),
  )
}

describe('the coupled cap continued (coupledCore.ts start, mipThread.ts coupledOnThread)', () => {
  test('a warm start resumes at its multipliers: no step gives back the start’s own value, and steps never raise it (seed 151)', () => {
    const rng = createRng(151)
    let moved = 0
    for (let i = 0; i < 200; i++) {
      const n = small(rng, i)
      const core = buildCoupledCore(n)
      const first = searchCoupled(core, { budgetMs: 60_000, maxIterations: 1 + (i % 40) })
      const same = searchCoupled(core, { budgetMs: 60_000, maxIterations: 0, start: first })
      const scale = Math.max(1, Math.abs(first.value))
      assert.ok(
        Math.abs(same.value - first.value) <= 1e-9 * scale,
        `network ${i}: resumed at ${same.value}, stopped at ${first.value}`,
      )
      const more = searchCoupled(core, { budgetMs: 60_000, maxIterations: 200, start: first, phase: 50 })
      assert.ok(more.value <= first.value + 1e-9 * scale, `network ${i}: ${more.value} > ${first.value}`)
      if (more.value < first.value - 1e-6 * scale) moved++
    }
    assert.ok(moved > 20, `the continuation lowered only ${moved} bounds`)
  })

  test('continued multipliers, checked exactly, never bound the net profit below brute force (seed 152)', () => {
    const rng = createRng(152)
    let insecure = 0
    for (let i = 0; i < 300; i++) {
      const n = small(rng, i)
      const best = bruteMostProfitable(n) ?? 0n
      if (best > 0n) insecure++
      const cap = searchCoupledCap(n, { budgetMs: 60_000, maxIterations: 1 + (i % 60) })
      const core = buildCoupledCore(n)
      const more = searchCoupled(core, { budgetMs: 60_000, maxIterations: 300, start: cap.search })
      const exact = coupledCapExact(n, toMultipliers(n, more, cap.unit))
      assert.ok(
        cmp(exact, rat(best)) >= 0,
        `network ${i}: ${exact.num}/${exact.den} below the optimum ${best}`,
      )
    }
    assert.ok(insecure > 60, `only ${insecure} insecure networks`)
  })

  test('on the thread: an answer, its exact check at or above brute force and no worse than its start (seed 153)', () => {
    const rng = createRng(153)
    for (let i = 0; i < 12; i++) {
      const n = small(rng, i)
      const best = bruteMostProfitable(n) ?? 0n
      const cap = searchCoupledCap(n, { budgetMs: 60_000, maxIterations: 5 })
      // a generous end: the thread may still be loading its modules (0.5–0.7 s through tsx)
      const r = coupledOnThread(n, cap.search, performance.now() + 3000).take()
      assert.ok(r, `network ${i}: no answer`)
      const exact = coupledCapExact(n, toMultipliers(n, r, cap.unit))
      assert.ok(cmp(exact, rat(best)) >= 0, `network ${i}: below the optimum ${best}`)
      assert.ok(
        r.value <= cap.search.value + 1e-9 * Math.max(1, cap.search.value),
        `network ${i}: worse than its start`,
      )
    }
  })

  test('a thread that fails or hangs gives no answer, one that answers NaN still a valid cap; a hung one is replaced', async () => {
    const rng = createRng(154)
    const n = small(rng, 0)
    const best = bruteMostProfitable(n) ?? 0n
    const cap = searchCoupledCap(n, { budgetMs: 60_000, maxIterations: 5 })
    const fake = (body: string) => () =>
      new Worker(`const { parentPort } = require('node:worker_threads')\n${body}`, { eval: true })
    // failed (done = 2)
    await closeMipThread()
    setMipThreadStart(
      fake(
        `parentPort.on('message', (m) => { const f = new Int32Array(m.shared, 0, 2); Atomics.store(f, 1, 2); Atomics.notify(f, 1) })`,
      ),
    )
    assert.equal(coupledOnThread(n, cap.search, performance.now() + 2000).take(), null)
    // NaN and infinite multipliers: taken, and toMultipliers makes them 0 — any multipliers bound every attack
    setMipThreadStart(
      fake(
        `parentPort.on('message', (m) => { const f = new Int32Array(m.shared, 0, 2); new Float64Array(m.shared, 8).fill(NaN).fill(Infinity, 0, 1); Atomics.store(f, 1, 1); Atomics.notify(f, 1) })`,
      ),
    )
    await closeMipThread()
    const garbage = coupledOnThread(n, cap.search, performance.now() + 2000).take()
    assert.ok(garbage)
    assert.ok(cmp(coupledCapExact(n, toMultipliers(n, garbage, cap.unit)), rat(best)) >= 0)
    // hung: never done
    setMipThreadStart(fake(`parentPort.on('message', () => {})`))
    await closeMipThread()
    assert.equal(coupledOnThread(n, cap.search, performance.now() + 50).take(), null)
    // the hung thread was replaced (by a hung one again); with the real start back, the next job answers
    setMipThreadStart(undefined)
    await closeMipThread()
    assert.ok(coupledOnThread(n, cap.search, performance.now() + 3000).take())
  })

  test('a job stopped from outside frees its thread: the next job answers (its end a minute away)', () => {
    const rng = createRng(155)
    const n = small(rng, 0)
    const cap = searchCoupledCap(n, { budgetMs: 60_000, maxIterations: 5 })
    coupledOnThread(n, cap.search, performance.now() + 60_000).stop()
    const r = coupledOnThread(n, cap.search, performance.now() + 3000).take()
    assert.ok(r, 'no answer')
    assert.ok(r.value <= cap.search.value + 1e-9 * Math.max(1, cap.search.value))
  })

  test('a job nobody takes lets go of its thread once over (the process can exit), and its answer can still be taken', async () => {
    const rng = createRng(156)
    const n = small(rng, 0)
    const cap = searchCoupledCap(n, { budgetMs: 60_000, maxIterations: 5 })
    const job = coupledOnThread(n, cap.search, performance.now() + 300)
    // the thread's 'coupledDone' message is handled while this thread waits (and settles the job's hold)
    while (!job.over()) await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 200))
    assert.ok(job.take(), 'the answer was lost')
    assert.equal(job.take(), null, 'taken twice')
  })

  test('flipsInstead counts the CPU the process gets: 1,000 × 100 at 10 s keeps the solver with a core, not with half of one', () => {
    const net = parseRiskInput(
      randomNetwork(createRng(1), {
        operators: 1000,
        services: 100,
        membersPerService: [20, 80],
        allocations: true,
        profitFactor: [0.2, 1.2],
      }),
    )
    assert.equal(flipsInstead(net, 8_500), false)
    assert.equal(flipsInstead(net, 8_500, 1), false)
    // at half a core its 7.8 CPU-seconds take 15.6 s
    assert.equal(flipsInstead(net, 8_500, 0.5), true)
    assert.equal(flipsInstead(net, 50_000, 0.5), false)
  })
})
