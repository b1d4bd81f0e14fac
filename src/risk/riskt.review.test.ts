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
import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { solveMostProfitable } from './attack.ts'
import type { ParallelBranch } from './branchJob.ts'
import { bruteMostProfitable } from './bruteForce.ts'
import { coupledCapExact, searchCoupledCap, toMultipliers } from './coupledCap.ts'
import { buildCoupledCore, searchCoupled } from './coupledCore.ts'
import { largestAmount } from './edgeLayout.ts'
import { parseRiskInput, type RiskInput } from './input.ts'
import { closeMipThread, coupledOnThread, mipThreadRunner, setMipThreadStart } from './mipThread.ts'
import type { Network } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { cmp, type Rational, rat } from './rational.ts'
import { createRng, type Rng } from './rng.ts'
import { searchAttack } from './search.ts'
import { attackCost, attackProfit, isValidAttack } from './verify.ts'

after(async () => {
  setMipThreadStart(undefined)
  await closeMipThread()
})

const edgesOf = (n: Network): number => n.services.reduce((a, s) => a + s.members.length, 0)
const fake = (body: string) => () =>
  new Worker(`const { parentPort } = require('node:worker_threads')\n${body}`, { eval: true })

const ceil = (r: Rational): number => Number((r.num + r.den - 1n) / r.den)

/**
 * 2–6 operators (15% of zero stake), 1–3 services; each member has no allocation row (20%), all its stake (20%),
 * zero (10%) or a part; α from {1, 1/2, 1/3, 2/3, 10^-4}; π from 0 to 10 times the stake secured (10%: 0); amounts
 * times 1,000 or 2^200 on every sixth, and one operator alone on every fifth (riskp.review.test.ts's regimes).
 */
function adversarial(rng: Rng, i: number): Network {
  const V = i % 5 === 0 ? 1 : rng.int(2, 6)
  const S = rng.int(1, 3)
  const mult = i % 6 === 3 ? 1000n : i % 6 === 4 ? 1n << 200n : 1n
  const stakes = Array.from({ length: V }, () => (rng.next() < 0.15 ? 0n : BigInt(rng.int(1, 60)) * mult))
  const operators = stakes.map((st, v) => ({ id: `v${v}`, stake: st.toString() }))
  const allocations: NonNullable<RiskInput['allocations']> = []
  const services = Array.from({ length: S }, (_, si) => {
    const members = Array.from({ length: V }, (_, v) => v).filter(() => rng.next() < 0.7)
    let secured = 0n
    for (const v of members) {
      const full = stakes[v] as bigint
      const r = rng.next()
      const a = r < 0.2 ? null : r < 0.4 ? full : r < 0.5 ? 0n : (full * BigInt(rng.int(0, 100))) / 100n
      if (a !== null) allocations.push({ operator: `v${v}`, service: `s${si}`, stake: a.toString() })
      secured += a ?? full
    }
    const threshold = [1, 1, 0.5, 0.3333, 0.0001, 0.6667][rng.int(0, 5)] as number
    const f = BigInt([0, 300, 1000, 3000, 10_000][rng.int(0, 4)] as number)
    const profit = rng.next() < 0.1 ? 0n : (secured * f) / 1000n + BigInt(rng.int(0, 3))
    return { id: `s${si}`, profit: profit.toString(), threshold, operators: members.map((v) => `v${v}`) }
  })
  return parseRiskInput(
    allocations.length > 0 ? { operators, services, allocations } : { operators, services },
  )
}

/** A float from garbage: 0, ±tiny, ±huge, NaN, ±∞, or a plain one of either sign. */
function wild(rng: Rng): number {
  const r = rng.next()
  if (r < 0.1) return 0
  if (r < 0.2) return (rng.next() - 0.5) * 1e-300
  if (r < 0.3) return (rng.next() - 0.5) * 2 ** 300
  if (r < 0.35) return Number.NaN
  if (r < 0.4) return rng.next() < 0.5 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY
  if (r < 0.45) return -0
  return (rng.next() - 0.5) * 4 * 10 ** rng.int(-3, 3)
}
const wildArray = (rng: Rng, k: number): Float64Array => Float64Array.from({ length: k }, () => wild(rng))

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
  test('any buffer contents, and a garbage warm start, checked exactly stay at or above brute force (seed 171, extremes)', () => {
    const rng = createRng(171)
    let insecure = 0
    for (let i = 0; i < 240; i++) {
      const n = adversarial(rng, i)
      const best = bruteMostProfitable(n)
      if (best !== null && best > 0n) insecure++
      const E = edgesOf(n)
      const S = n.services.length
      const unit = largestAmount(n)
      for (let k = 0; k < 4; k++) {
        const m = toMultipliers(n, { lam: wildArray(rng, E), p: wildArray(rng, S) }, unit)
        const b = coupledCapExact(n, m)
        assert.ok(cmp(b, rat(best ?? 0n)) >= 0, `network ${i}: ${b.num}/${b.den} below ${best}`)
      }
      // the thread's search from whatever start it is handed (its answer is only ever checked exactly)
      const core = buildCoupledCore(n)
      const tau = [1, 1e-300, 1e300, Number.POSITIVE_INFINITY, Number.NaN, -1][i % 6] as number
      const r = searchCoupled(core, {
        budgetMs: 60_000,
        maxIterations: 30,
        start: { lam: wildArray(rng, E), p: wildArray(rng, S), tau },
        phase: 10,
        drop: 0.7,
      })
      const b = coupledCapExact(n, toMultipliers(n, r, core.unit))
      assert.ok(cmp(b, rat(best ?? 0n)) >= 0, `network ${i}: warm garbage ${b.num}/${b.den} below ${best}`)
    }
    assert.ok(insecure > 60, `only ${insecure} insecure networks`)
  })

  test('two questions back to back on one thread: each answer is its own (lengths, exact ≥ brute, no worse than its start)', () => {
    const rng = createRng(172)
    let moved = 0
    for (let round = 0; round < 4; round++) {
      const nets = [0, 1].map(() =>
        parseRiskInput(
          randomNetwork(rng, {
            operators: rng.int(6, 9),
            services: rng.int(2, 4),
            membersPerService: [3, 6],
            allocations: true,
            profitFactor: [0.2, 1.2],
          }),
        ),
      )
      const starts = nets.map((n) => searchCoupledCap(n, { budgetMs: 60_000, maxIterations: 1 }))
      const t = performance.now()
      // the second is posted while the first runs: it queues behind it on the thread
      const jobs = nets.map((n, k) =>
        coupledOnThread(n, (starts[k] as (typeof starts)[number]).search, t + 300 + 1500 * k),
      )
      const answers = [
        (jobs[1] as (typeof jobs)[number]).take(),
        (jobs[0] as (typeof jobs)[number]).take(),
      ].reverse()
      nets.forEach((n, k) => {
        const r = answers[k]
        const st = starts[k] as (typeof starts)[number]
        assert.ok(r, `round ${round}, job ${k}: no answer`)
        assert.equal(r.lam.length, edgesOf(n))
        assert.equal(r.p.length, n.services.length)
        const exact = coupledCapExact(n, toMultipliers(n, r, st.unit))
        assert.ok(
          cmp(exact, rat(bruteMostProfitable(n) ?? 0n)) >= 0,
          `round ${round}, job ${k}: below brute force`,
        )
        // the continuation only keeps multipliers better than its start (in floats): exactly, within a hair
        assert.ok(
          ceil(exact) <= ceil(st.bound) + 1,
          `round ${round}, job ${k}: ${ceil(exact)} above ${ceil(st.bound)}`,
        )
        if (r.iterations > 0 && r.value < st.search.value - 1e-9 * Math.max(1, Math.abs(st.search.value)))
          moved++
      })
    }
    // the thread did search (its end read in its own clock: a wrong time origin left it no steps)
    assert.ok(moved >= 2, `only ${moved} of 8 continuations moved (4 start above 0)`)
  })

  test('stop twice, stop after take, take after stop; then the solver’s next solve on that thread is right', async () => {
    const rng = createRng(173)
    const n = parseRiskInput(
      randomNetwork(rng, {
        operators: 6,
        services: 3,
        membersPerService: [2, 5],
        allocations: true,
        profitFactor: [0.2, 1.2],
      }),
    )
    const cap = searchCoupledCap(n, { budgetMs: 60_000, maxIterations: 3 })
    const a = coupledOnThread(n, cap.search, performance.now() + 60_000)
    a.stop()
    a.stop()
    // stopped: the thread ends the search at its next step and still writes what it had (a valid answer or none)
    // stopped before its first step: the thread still writes its best, no worse than its start (a warm start, not λ = 0; a step may slip in before the flag)
    const late = a.take()
    assert.ok(late, 'a stopped job wrote nothing')
    const scale = Math.max(1, Math.abs(cap.search.value))
    assert.ok(
      late.value <= cap.search.value + 1e-9 * scale,
      `resumed at ${late.value}, above its start ${cap.search.value}`,
    )
    const b = coupledOnThread(n, cap.search, performance.now() + 3000)
    assert.ok(b.take(), 'no answer after a stopped job')
    b.stop()
    assert.equal(b.take(), null, 'taken twice')
    const out = await searchAttack(n, 'profit', { timeLimitSeconds: 20, runner: mipThreadRunner })
    const best = bruteMostProfitable(n)
    assert.equal(out.attack ? out.value : null, best)
  })

  test('a thread stuck in a job is replaced: the next job answers on its successor without closing the slot', async () => {
    const rng = createRng(174)
    const n = parseRiskInput(
      randomNetwork(rng, { operators: 5, services: 2, membersPerService: [2, 4], allocations: true }),
    )
    const E = edgesOf(n)
    const S = n.services.length
    await closeMipThread()
    // spins for good on a job whose τ is 12345 (once claimed, as the real thread does: threadSlot.ts; a job withdrawn
    // while the thread loads is skipped), answers zeros otherwise
    setMipThreadStart(
      fake(
        `parentPort.on('message', (m) => { if (m.start.tau === 12345) { if (Atomics.compareExchange(new Int32Array(m.claim, 0, 1), 0, 0, 1) === 0) for (;;) {} } const f = new Int32Array(m.shared, 0, 2); Atomics.store(f, 1, 1); Atomics.notify(f, 1); parentPort.postMessage({ id: m.id, type: 'coupledDone' }) })`,
      ),
    )
    const z = { lam: new Float64Array(E), p: new Float64Array(S) }
    assert.equal(coupledOnThread(n, { ...z, tau: 12345 }, performance.now() + 100).take(), null)
    const r = coupledOnThread(n, { ...z, tau: 1 }, performance.now() + 3000).take()
    assert.ok(r, 'the next job queued behind the stuck one')
    // a thread that dies mid-job: no answer, and its successor answers the next
    setMipThreadStart(fake(`parentPort.on('message', () => { process.exit(3) })`))
    await closeMipThread()
    assert.equal(coupledOnThread(n, { ...z, tau: 1 }, performance.now() + 300).take(), null)
    setMipThreadStart(undefined)
    await closeMipThread()
    const cap = searchCoupledCap(n, { budgetMs: 60_000, maxIterations: 3 })
    assert.ok(
      coupledOnThread(n, cap.search, performance.now() + 3000).take(),
      'the real thread did not answer',
    )
  })

  test('the process exits with jobs left untaken, stopped, or taken late (no thread held)', () => {
    // beside this file: a .ts outside the package loads as CommonJS, where tsx gives no import.meta.resolve
    const dir = new URL('.', import.meta.url).pathname
    const file = join(dir, `.riskt-exit-${process.pid}.ts`)
    writeFileSync(
      file,
      `import { coupledOnThread } from '${dir}mipThread.ts'
import { searchCoupledCap } from '${dir}coupledCap.ts'
import { parseRiskInput } from '${dir}input.ts'
import { randomNetwork } from '${dir}randomNetwork.ts'
import { createRng } from '${dir}rng.ts'
const n = parseRiskInput(randomNetwork(createRng(5), { operators: 6, services: 3, membersPerService: [2, 5], allocations: true }))
const cap = searchCoupledCap(n, { budgetMs: 60_000, maxIterations: 3 })
coupledOnThread(n, cap.search, performance.now() + 1500)
coupledOnThread(n, cap.search, performance.now() + 60_000).stop()
const j = coupledOnThread(n, cap.search, performance.now() + 2000)
setTimeout(() => { console.log(j.take() ? 'taken' : 'none') }, 100)
`,
    )
    let r: SpawnSyncReturns<string>
    try {
      r = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 25_000 })
    } finally {
      rmSync(file, { force: true })
    }
    assert.equal(r.signal, null, `killed: the process did not exit (${r.stderr})`)
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stdout.trim(), 'taken')
  })
  describe('the verdict on a large network where the flips run instead of the solver (a stand-in for the thread)', () => {
    // 3,058 pairs with allocations, a service paying alone: the coupled cap and its continuation run here
    const big = parseRiskInput(
      randomNetwork(createRng(3), {
        operators: 400,
        services: 50,
        membersPerService: [50, 70],
        allocations: true,
        profitFactor: [0.2, 1.2],
      }),
    )
    const LIMIT_S = 3
    type Seen = { calls: number; taken: number; stopped: number; endBy: number; c0: number; c1: number }
    /** A parallel whose continuation answers `answer(start)`, recording what it was asked and the caps at stake. */
    const standIn = (
      answer: (start: { lam: Float64Array; p: Float64Array; tau: number }) => unknown,
      seen: Seen,
    ) =>
      ({
        worthIt: () => false,
        start: () => {
          throw new Error('no branching here')
        },
        coupled(n, start, endBy) {
          seen.calls++
          seen.endBy = endBy
          seen.c0 = ceil(coupledCapExact(n, toMultipliers(n, start, largestAmount(n))))
          const r = answer(start) as {
            lam: Float64Array
            p: Float64Array
            value: number
            iterations: number
          } | null
          if (r) seen.c1 = ceil(coupledCapExact(n, toMultipliers(n, r, largestAmount(n))))
          return {
            stop: () => {
              seen.stopped++
            },
            take: () => {
              seen.taken++
              return r
            },
            over: () => true,
          }
        },
      }) satisfies ParallelBranch
    const run = async (answer: Parameters<typeof standIn>[0]) => {
      const seen: Seen = { calls: 0, taken: 0, stopped: 0, endBy: 0, c0: 0, c1: 0 }
      const t0 = performance.now()
      const out = await solveMostProfitable(big, {
        timeLimitSeconds: LIMIT_S,
        flipsInstead: true,
        parallel: standIn(answer, seen),
      })
      assert.equal(seen.calls, 1, 'the continuation was not asked for')
      assert.equal(seen.taken, 1)
      assert.equal(seen.stopped, 0)
      // its end: the flips' end, FLIPS_END_MS (300 ms) before the deadline (50 ms for the call's own start)
      assert.ok(seen.endBy <= t0 + LIMIT_S * 1000 - 300 + 50, `ends ${seen.endBy - t0} ms in`)
      const a = out.attack
      assert.ok(a && isValidAttack(big, a), 'no valid attack')
      const net = Number(attackProfit(big, a) - attackCost(big, a))
      assert.ok(out.answer.bound >= net)
      return { seen, net, bound: out.answer.bound }
    }

    test('the same network with a service worth 2^1000 needing at most 100 units: the question answers (it threw)', async () => {
      const inp = randomNetwork(createRng(3), {
        operators: 400,
        services: 50,
        membersPerService: [50, 70],
        allocations: true,
        profitFactor: [0.2, 1.2],
      })
      const v0 = inp.operators[0] as (typeof inp.operators)[number]
      const worth = 1n << 1000n
      inp.services.push({ id: 'z', profit: worth.toString(), threshold: 1, operators: [v0.id] })
      inp.allocations?.push({ operator: v0.id, service: 'z', stake: v0.stake })
      const n = parseRiskInput(inp)
      const { answer, attack } = await solveMostProfitable(n, { timeLimitSeconds: 3 })
      assert.ok(attack && isValidAttack(n, attack))
      const net = attackProfit(n, attack) - attackCost(n, attack)
      assert.ok(net > worth - 200n)
      assert.ok(answer.bound >= Number(net))
    })

    test('where the cost shares prove the start, the continuation is stopped and never waited for', async () => {
      // the pairs with little profit, and one service worth 10^6 that one unit of stake secures
      const inp = randomNetwork(createRng(3), {
        operators: 400,
        services: 50,
        membersPerService: [50, 70],
        allocations: true,
        profitFactor: [0.001, 0.01],
      })
      const v0 = inp.operators[0] as (typeof inp.operators)[number]
      inp.services.push({ id: 'z', profit: 1_000_000, threshold: 1, operators: [v0.id] })
      inp.allocations?.push({ operator: v0.id, service: 'z', stake: 1 })
      const n = parseRiskInput(inp)
      const seen = { calls: 0, stopped: 0, taken: 0 }
      const { answer, attack } = await solveMostProfitable(n, {
        timeLimitSeconds: 3,
        flipsInstead: true,
        parallel: {
          worthIt: () => false,
          start: () => {
            throw new Error('no branching here')
          },
          coupled: () => {
            seen.calls++
            return {
              stop: () => {
                seen.stopped++
              },
              take: () => {
                seen.taken++
                return null
              },
              over: () => true,
            }
          },
        },
      })
      assert.deepEqual(seen, { calls: 1, stopped: 1, taken: 0 })
      assert.ok(attack && isValidAttack(n, attack))
      const net = attackProfit(n, attack) - attackCost(n, attack)
      assert.ok(answer.proven && answer.exact)
      assert.equal(answer.bound, Number(net))
      assert.equal(net, 999_999n)
    })

    test('a long job stopped from outside frees the real thread at its next step (a small job behind it answers)', () => {
      const cap = searchCoupledCap(big, { budgetMs: 60_000, maxIterations: 20 })
      // from 20 steps its own schedule needs thousands more at 3,058 pairs (seconds): only the stop flag ends it
      coupledOnThread(big, cap.search, performance.now() + 60_000).stop()
      const n = parseRiskInput(
        randomNetwork(createRng(177), {
          operators: 5,
          services: 2,
          membersPerService: [2, 4],
          allocations: true,
        }),
      )
      const small = searchCoupledCap(n, { budgetMs: 60_000, maxIterations: 3 })
      assert.ok(
        coupledOnThread(n, small.search, performance.now() + 2500).take(),
        'queued behind the stopped job',
      )
    })

    test('better multipliers from the thread lower the reported bound to their exact cap', async () => {
      const { seen, net, bound } = await run((start) =>
        searchCoupled(buildCoupledCore(big), {
          budgetMs: 60_000,
          maxIterations: 300,
          start,
          phase: 300,
          drop: 0.7,
        }),
      )
      assert.ok(seen.c1 < seen.c0, `the continuation did not improve: ${seen.c1} vs ${seen.c0}`)
      assert.ok(
        bound <= Math.max(net, seen.c1),
        `bound ${bound} above the continued cap ${seen.c1} (net ${net})`,
      )
    })

    test('garbage from the thread (1e300, NaN, ±∞) neither throws nor raises the bound above the cap’s', async () => {
      const E = edgesOf(big)
      const S = big.services.length
      const rng = createRng(175)
      const { seen, net, bound } = await run(() => ({
        lam: Float64Array.from(
          { length: E },
          (_, i) => [1e300, Number.NaN, -1e300, Number.NEGATIVE_INFINITY][i % 4] as number,
        ),
        p: Float64Array.from({ length: S }, (_, i) => (i % 2 ? 1e300 : wild(rng))),
        value: Number.NaN,
        iterations: -1,
      }))
      assert.ok(seen.c1 >= seen.c0, 'garbage better than the cap?')
      assert.ok(bound <= Math.max(net, seen.c0), `bound ${bound} above the cap ${seen.c0} (net ${net})`)
    })

    test('the CPU share picks the path: starved → flips; NaN, negative, ∞, > 1 or no reading → the solver', async () => {
      const E = edgesOf(big)
      const lpMs = 7500 * (E / 5000) ** 2.26
      const LIMIT = 5
      // with a whole core the LP fits in what is left (about 4 s of 5), at 0.3 of one it cannot (≥ 8 s)
      assert.ok(lpMs < 0.5 * LIMIT * 1000 && lpMs / 0.3 > LIMIT * 1000)
      class Path extends Error {}
      const pathOf = async (delta: ((wallMs: number) => number) | null): Promise<string> => {
        let t0 = 0
        let first = true
        const parallel: ParallelBranch = {
          worthIt: () => false,
          start: () => {
            throw new Error('no branching here')
          },
          coupled: () => {
            throw new Path('flips')
          },
          warmFlip: () => {
            throw new Path('solver')
          },
          ...(delta
            ? {
                cpuMs: () => {
                  if (first) {
                    first = false
                    t0 = performance.now()
                    return 1000
                  }
                  // at least CPU_SHARE_MIN_MS (200 ms) of wall time, so the reading counts
                  while (performance.now() - t0 < 250) {}
                  return 1000 + delta(performance.now() - t0)
                },
              }
            : {}),
        }
        try {
          await solveMostProfitable(big, { timeLimitSeconds: LIMIT, parallel })
          return 'neither'
        } catch (e) {
          if (e instanceof Path) return e.message
          throw e
        }
      }
      assert.equal(await pathOf((w) => 0.3 * w), 'flips')
      assert.equal(await pathOf(() => 0), 'flips')
      assert.equal(await pathOf(() => Number.NaN), 'solver')
      assert.equal(await pathOf(() => -5000), 'solver')
      assert.equal(await pathOf(() => Number.POSITIVE_INFINITY), 'solver')
      assert.equal(await pathOf((w) => 3 * w), 'solver')
      assert.equal(await pathOf(null), 'solver')
    })
  })

  test('a starved reading never sends a small network to the flips: no continuation, the brute-force optimum (seed 176)', async () => {
    const rng = createRng(176)
    for (let i = 0; i < 12; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(3, 7),
          services: rng.int(2, 4),
          membersPerService: [2, 5],
          allocations: true,
          profitFactor: [0.2, 1.2],
        }),
      )
      let calls = 0
      let cpu = 0
      const parallel: ParallelBranch = {
        worthIt: () => false,
        start: () => {
          throw new Error('no branching here')
        },
        coupled: () => {
          calls++
          throw new Error('the continuation on a small network')
        },
        cpuMs: () => (cpu += 0),
      }
      const best = bruteMostProfitable(n)
      const { answer, attack } = await solveMostProfitable(n, { timeLimitSeconds: 5, parallel })
      assert.equal(calls, 0)
      if (best === null) {
        assert.equal(attack, null)
        continue
      }
      assert.ok(attack && isValidAttack(n, attack))
      assert.equal(attackProfit(n, attack) - attackCost(n, attack), best, `network ${i}`)
      assert.ok(answer.bound >= Number(best))
    }
  })
})
