/**
 * Review riskr: the cascade's bound stages beside the solver on its thread (cascade.ts concurrentStages) and the
 * refactor that gave the coupled cascade bound one generator for its sync and sliced callers (4ac2964).
 *
 * - Extreme networks (zero stakes, members with no allocation, allocations above stake, α = 1 and 1e-4, ψ = 0 and 1,
 *   amounts ×2^200 and ×10^305, one operator, services with no members, whole stake and allocations) forced onto the
 *   concurrent path, against brute force: the loss found never above R_ψ, the bound never below, proven only at it,
 *   and the stages' bound never looser than the cost shares' own (deterministic here: they end by their step counts).
 * - Solvers that lie or fail: an open answer with a bound of 0, a "proof" of 0 beneath the start's loss, a proof on
 *   the main thread (the stages stop at it), a thread that fails (the question rejects, nothing unhandled), a thread
 *   that starts and hangs (answered all the same), and the question's deadline handed to the solver (endBy).
 * - The coupled bound's generator: the same floats as sync, pauses (macrotasks) between slices, `stop` and
 *   `deadline` honoured with the bound still above brute force.
 * No wall-clock asserts.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { SuretyError } from '../errors.ts'
import { bruteCascade } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { cascadeSplitBound, shockBudget } from './cascadeBound.ts'
import { burnBound } from './cascadeBurn.ts'
import { coupledCascadeBound, coupledCascadeBoundChunked } from './cascadeCoupled.ts'
import { findCascadeShares } from './cascadeShares.ts'
import { stepShockSplit } from './cascadeSplitStep.ts'
import type { CostShares } from './costShare.ts'
import { parseRiskInput } from './input.ts'
import { loadHighs, type MipRunner, solveMipWith } from './mip.ts'
import { closeMipThread, mipThreadRunner, setMipThreadStart } from './mipThread.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { cmp, type Rational, rat, toNumber } from './rational.ts'
import { createRng } from './rng.ts'

after(async () => {
  setMipThreadStart(undefined)
  await closeMipThread()
})

/** Small networks at the extremes, built directly (some, as allocations above stake, past what the input allows). */
function extreme(seed: number): Network {
  const kind = seed % 10
  const rng = createRng(seed, 18)
  const V = kind === 5 ? 1 : rng.int(2, 7)
  const S = kind === 6 ? 0 : rng.int(1, 4)
  const big = kind === 4 ? 1n << 200n : kind === 8 ? 10n ** 305n : kind === 9 ? 10n ** 400n : 1n
  const alloc = kind % 2 === 1 || (kind >= 8 && seed % 3 === 0)
  const operators = Array.from({ length: V }, (_, i) => ({
    id: `v${i}`,
    stake: (kind === 0 && rng.next() < 0.4 ? 0n : BigInt(rng.int(0, 60))) * big,
  }))
  const thresholds = [rat(1n), rat(1n, 10_000n), rat(1n, 3n), rat(1n, 2n), rat(2n, 3n)]
  const services = Array.from({ length: S }, (_, si) => {
    const members: number[] = []
    if (!(kind === 7 && rng.next() < 0.4)) for (let v = 0; v < V; v++) if (rng.next() < 0.6) members.push(v)
    const memberStake = members.map((v) => {
      const own = operators[v]?.stake ?? 0n
      if (!alloc) return own
      const r = rng.next()
      if (r < 0.2) return 0n
      if (kind === 3 && r > 0.8) return own + BigInt(rng.int(1, 30)) * big
      return (own * BigInt(rng.int(0, 100))) / 100n
    })
    const secured = memberStake.reduce((a, b) => a + b, 0n)
    const profit =
      BigInt(Math.max(1, Math.round(Number(secured / big) * rng.next() * 0.9))) * big + BigInt(rng.int(0, 3))
    return { id: `s${si}`, profit, threshold: thresholds[rng.int(0, 4)] as Rational, members, memberStake }
  })
  return { scale: 0, operators, services, hasAllocations: alloc }
}

const PSIS = [rat(0n), rat(1n), rat(1n, 10n), rat(1n, 3n)]

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

type Answer = Awaited<ReturnType<typeof worstCaseLoss>>

/** The answer against brute force: found ≤ R_ψ ≤ bound, proven only at R_ψ. Returns R_ψ σ(V). */
function check(n: Network, psi: Rational, r: Answer, label: string): bigint {
  const truth = bruteCascade(n, psi)
  const total = totalStake(n)
  const expected = rat(truth, total === 0n ? 1n : total)
  assert.ok(
    cmp(r.worstLoss, expected) <= 0,
    `${label}: found ${toNumber(r.worstLoss)} above R_ψ ${toNumber(expected)}`,
  )
  assert.ok(
    r.worstLossBound >= toNumber(expected) * (1 - 1e-12),
    `${label}: bound ${r.worstLossBound} below R_ψ ${toNumber(expected)}`,
  )
  if (r.proven)
    assert.equal(
      cmp(r.worstLoss, expected),
      0,
      `${label}: proven at ${toNumber(r.worstLoss)}, R_ψ ${toNumber(expected)}`,
    )
  if (r.exact) assert.ok(r.proven, `${label}: exact but not proven`)
  return truth
}

describe('review riskr: the bound stages beside the solver, at the extremes', () => {
  test('a solver that finds nothing: answers equal brute force where proven, bounds hold and are the stages’ own', async () => {
    let solves = 0
    const runner: MipRunner = (b, o) => {
      solves++
      return blind(b, o)
    }
    let open = 0
    let provable = 0
    // (seeds 191, 270 and 370: the split steps' exact bound is the answer's, tight at R_ψ — one unit less is below it)
    for (const seed of [...Array.from({ length: 100 }, (_, i) => i), 191, 270, 370]) {
      const n = extreme(seed)
      const psi = PSIS[seed % 4] as Rational
      const before = solves
      const r = await worstCaseLoss(n, psi, { exhaustive: false, timeLimitSeconds: 5, mipRunner: runner })
      check(n, psi, r, `network ${seed}`)
      // only the exact bounds can prove beside a blind solver
      assert.equal(r.proven, r.exact, `network ${seed}: proven without an exact bound`)
      if (solves === before) continue
      // (the stages ran, searching against the start's loss — the loss found, beside a blind solver: their bound is
      // at most the cost shares', their split's and the burn bound's, recomputed here; the shares and the split end
      // by their step counts on networks this small, well within their 400 and 250 ms, so the same searches give the
      // same bounds. Where one of those meets the loss found, the answer is proven exactly.)
      const total = totalStake(n)
      if (total === 0n) continue
      const target = (r.worstLoss.num * total) / r.worstLoss.den
      const budget = shockBudget(n, psi)
      const shares = findCascadeShares(n, budget, {
        budgetMs: 60_000,
        incumbent: target,
        shareSteps: 300,
        priceSteps: 60,
      })
      let least = burnBound(n, budget).bound
      if (shares.bound < least) least = shares.bound
      if (target < shares.bound) {
        const sh = shares.shares[0] as CostShares
        const split = stepShockSplit(n, sh, budget, {
          deadline: performance.now() + 60_000,
          target,
          maxSteps: 1000,
        })
        const b = split && cascadeSplitBound(n, sh, budget, split)
        if (b !== null && b < least) least = b
      }
      const cap = Math.max(toNumber(r.worstLoss), toNumber(rat(least, total)) * (1 + 2 ** -40))
      assert.ok(
        r.worstLossBound <= cap,
        `network ${seed}: bound ${r.worstLossBound} looser than the shares' and split's ${cap}`,
      )
      if (least <= target) {
        provable++
        assert.ok(
          r.exact,
          `network ${seed}: the shares, split or burn bound meets the loss found, not proven`,
        )
      }
      if (!r.proven) open++
    }
    assert.ok(solves > 40, `the concurrent path ran (${solves} solves)`)
    assert.ok(open > 0, 'some answers open (the stages’ bound reported)')
    assert.ok(provable > 0, 'some proven by the stages')
  })

  test('the real solver thread at the extremes', async () => {
    let proven = 0
    for (let seed = 0; seed < 12; seed++) {
      const n = extreme(1000 + seed)
      const psi = PSIS[seed % 4] as Rational
      const r = await worstCaseLoss(n, psi, {
        exhaustive: false,
        timeLimitSeconds: 2,
        mipRunner: mipThreadRunner,
      })
      check(n, psi, r, `network ${1000 + seed}`)
      if (r.proven) proven++
    }
    assert.ok(proven > 0, 'some proven')
  })
})

describe('review riskr: solvers that lie, fail or hang', () => {
  const nets = () => Array.from({ length: 40 }, (_, i) => extreme(3000 + i))

  test('an open solver with a bound of 0: its bound is not taken', async () => {
    const liar: MipRunner = async () => ({
      status: 'timeLimit',
      values: null,
      objective: Number.NaN,
      bound: 0,
    })
    for (const [i, n] of nets().entries()) {
      const psi = PSIS[i % 4] as Rational
      check(
        n,
        psi,
        await worstCaseLoss(n, psi, { exhaustive: false, timeLimitSeconds: 5, mipRunner: liar }),
        `network ${i}`,
      )
    }
  })

  test('a "proof" that nothing burns: not taken beneath the start’s loss, and the stages still bound', async () => {
    const liar: MipRunner = async () => ({ status: 'optimal', values: null, objective: 0, bound: 0 })
    let beneath = 0
    for (const [i, n] of nets().entries()) {
      // (ψ > 0 with stake: the start's shock alone burns something, so the "proof" is beneath it)
      const psi = PSIS[2 + (i % 2)] as Rational
      const r = await worstCaseLoss(n, psi, { exhaustive: false, timeLimitSeconds: 5, mipRunner: liar })
      check(n, psi, r, `network ${i}`)
      if (r.worstLoss.num > 0n) beneath++
    }
    assert.ok(beneath > 10)
  })

  test('a solver that proves at once (on this thread): the stages stop, the answer stands', async () => {
    const highs = await loadHighs()
    const here: MipRunner = async (b, o) => solveMipWith(highs, b, o)
    for (const [i, n] of nets().entries()) {
      const psi = PSIS[i % 4] as Rational
      check(
        n,
        psi,
        await worstCaseLoss(n, psi, { exhaustive: false, timeLimitSeconds: 5, mipRunner: here }),
        `network ${i}`,
      )
    }
  })

  test('a proof arriving mid-stage stops the stages at once; a "proof" beneath the start’s loss does not', async () => {
    const highs = await loadHighs()
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
    const rng = createRng(77)
    const nets = Array.from({ length: 10 }, (_, i) =>
      parseRiskInput(
        randomNetwork(rng, {
          operators: 24,
          services: 6,
          membersPerService: [5, 12],
          allocations: i % 2 === 0,
          profitFactor: [0.05, 0.4],
        }),
      ),
    )
    // (networks where HiGHS proves in a fraction of a second and the stages take ten event-loop turns or more)
    for (const i of [1, 7]) {
      const n = nets[i] as Network
      // event-loop turns (macrotasks), counted
      let turns = 0
      let ticking = true
      const tick = () => {
        turns++
        if (ticking) setImmediate(tick)
      }
      setImmediate(tick)
      // the first solve's proof (HiGHS, here) is held back 4 turns: it arrives while the coupled stage runs
      let calls = 0
      let provedAt = -1
      const runner: MipRunner = async (b, o) => {
        const sol = solveMipWith(highs, b, { ...o, timeLimitSeconds: 60 })
        if (calls++ > 0) return sol
        const from = turns
        while (turns < from + 4) await turn()
        provedAt = turns
        return sol
      }
      const psi = rat(1n, 10n)
      const r = await worstCaseLoss(n, psi, { exhaustive: false, timeLimitSeconds: 60, mipRunner: runner })
      ticking = false
      assert.ok(provedAt >= 0 && r.proven, `network ${i}: proven by the solver`)
      // the stages stopped at the proof: no slice after it (ignoring it, 2–12 more turns)
      assert.ok(turns - provedAt <= 1, `network ${i}: ${turns - provedAt} turns after the proof`)
      // a "proof" that nothing burns, beneath the start's loss: the stages run on as beside a blind solver
      const liar: MipRunner = async () => ({ status: 'optimal', values: null, objective: 0, bound: 0 })
      const lied = await worstCaseLoss(n, psi, { exhaustive: false, timeLimitSeconds: 60, mipRunner: liar })
      const alone = await worstCaseLoss(n, psi, { exhaustive: false, timeLimitSeconds: 60, mipRunner: blind })
      assert.equal(lied.proven, false)
      assert.ok(
        lied.worstLossBound <= alone.worstLossBound * (1 + 1e-12),
        `network ${i}: ${lied.worstLossBound} beside the lie, ${alone.worstLossBound} beside a blind solver`,
      )
    }
  })

  test('the solver is handed the question’s deadline (endBy): a solve queued or hung ends by it', async () => {
    const seen: (number | undefined)[] = []
    const spy: MipRunner = (b, o) => {
      seen.push(o.endBy)
      return blind(b, o)
    }
    for (const [i, n] of nets().entries()) {
      const psi = PSIS[2 + (i % 2)] as Rational
      // the question's deadline is 2 s from a moment between these two (the call's synchronous part)
      const before = performance.now()
      const asked = worstCaseLoss(n, psi, { exhaustive: false, timeLimitSeconds: 2, mipRunner: spy })
      const returned = performance.now()
      const r = await asked
      check(n, psi, r, `network ${i}`)
      for (const e of seen.splice(0)) {
        assert.ok(e !== undefined, `network ${i}: no endBy`)
        assert.ok(e >= before && e <= returned + 2000, `network ${i}: endBy ${e - before} ms after the start`)
      }
    }
  })

  test('a thread that starts its solve and hangs: answered, and every answer holds', async () => {
    setMipThreadStart(
      () =>
        new Worker(
          `const { parentPort } = require('node:worker_threads')
           parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, type: 'started' }))`,
          { eval: true },
        ),
    )
    try {
      for (const [i, n] of nets().slice(0, 12).entries()) {
        const psi = PSIS[2 + (i % 2)] as Rational
        const r = await worstCaseLoss(n, psi, {
          exhaustive: false,
          timeLimitSeconds: 0.3,
          mipRunner: mipThreadRunner,
        })
        check(n, psi, r, `network ${i}`)
      }
    } finally {
      setMipThreadStart(undefined)
      await closeMipThread()
    }
  })

  // (it rejected with the solver's error; now it answers without the solver's word: search.ts searchOrNothing)
  test('a thread whose HiGHS fails: the question answers, every answer holds, nothing left unhandled', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    const failing: MipRunner = () =>
      new Promise((_, reject) => setTimeout(() => reject(new SuretyError('HiGHS aborted')), 2))
    try {
      let rejected = 0
      for (const [i, n] of nets().slice(0, 20).entries()) {
        const psi = PSIS[2 + (i % 2)] as Rational
        const out = await worstCaseLoss(n, psi, {
          exhaustive: false,
          timeLimitSeconds: 5,
          mipRunner: failing,
        }).then(
          (r) => {
            check(n, psi, r, `network ${i}`)
            return 'answered'
          },
          (e: unknown) => {
            assert.ok(
              e instanceof SuretyError && /HiGHS aborted/.test(e.message),
              `network ${i}: ${String(e)}`,
            )
            return 'rejected'
          },
        )
        if (out === 'rejected') rejected++
      }
      assert.equal(rejected, 0, 'a failing solver aborted the question')
      await new Promise((resolve) => setTimeout(resolve, 20))
      assert.deepEqual(unhandled, [])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})

describe('review riskr: the coupled bound’s one generator (4ac2964)', () => {
  const cases = () =>
    Array.from({ length: 30 }, (_, i) => {
      const n = extreme(5000 + i)
      const psi = PSIS[2 + (i % 2)] as Rational
      return { n, psi, budget: shockBudget(n, psi) }
    }).filter((c) => c.n.services.some((s) => s.members.length > 0) && totalStake(c.n) > 0n)

  test('sliced: the same bound and floats as sync, with pauses between slices', async () => {
    for (const [i, { n, budget }] of cases().entries()) {
      const shares = findCascadeShares(n, budget, { budgetMs: 60_000, shareSteps: 30, priceSteps: 5 })
        .shares[0]
      const opts = { maxIterations: 300, deadline: performance.now() + 60_000, shares }
      const sync = coupledCascadeBound(n, budget, opts)
      let turns = 0
      let ticking = true
      const tick = () => {
        turns++
        if (ticking) setImmediate(tick)
      }
      setImmediate(tick)
      const sliced = await coupledCascadeBoundChunked(n, budget, { ...opts, sliceMs: 1 })
      ticking = false
      assert.equal(sliced.bound, sync.bound, `case ${i}`)
      assert.equal(sliced.search.iterations, sync.search.iterations, `case ${i}`)
      assert.ok(
        Object.is(sliced.search.value, sync.search.value),
        `case ${i}: ${sliced.search.value} vs ${sync.search.value}`,
      )
      assert.deepEqual(sliced.search.lam, sync.search.lam, `case ${i}`)
      // (the set-up is followed by a pause whatever the search's length)
      assert.ok(turns >= 1, `case ${i}: no pause`)
    }
  })

  test('stop and deadline honoured; the bound still holds', async () => {
    for (const [i, { n, psi, budget }] of cases().entries()) {
      const truth = bruteCascade(n, psi)
      const shares = findCascadeShares(n, budget, { budgetMs: 60_000, shareSteps: 30, priceSteps: 5 })
        .shares[0]
      // stopped from a macrotask between slices (as cascade.ts's settled flag): no step after it
      let stopped = false
      setImmediate(() => {
        stopped = true
      })
      const a = await coupledCascadeBoundChunked(n, budget, {
        maxIterations: 100_000,
        deadline: performance.now() + 60_000,
        shares,
        sliceMs: 1,
        stop: () => stopped,
      })
      assert.equal(a.search.iterations, 0, `case ${i}: steps after stop`)
      assert.ok(a.bound >= truth, `case ${i}: stopped bound ${a.bound} below ${truth}`)
      // stop after 5 checks: at most 5 steps
      let checks = 0
      const b = await coupledCascadeBoundChunked(n, budget, {
        maxIterations: 100_000,
        deadline: performance.now() + 60_000,
        shares,
        sliceMs: 20,
        stop: () => ++checks > 5,
      })
      assert.ok(b.search.iterations <= 5, `case ${i}: ${b.search.iterations} steps`)
      assert.ok(b.bound >= truth, `case ${i}`)
      // a deadline already past: no step, a valid bound
      const c = await coupledCascadeBoundChunked(n, budget, {
        deadline: performance.now() - 1,
        shares,
        sliceMs: 20,
      })
      assert.equal(c.search.iterations, 0, `case ${i}`)
      assert.ok(c.bound >= truth, `case ${i}`)
      const d = coupledCascadeBound(n, budget, { deadline: performance.now() - 1, shares })
      assert.equal(d.bound, c.bound, `case ${i}`)
    }
  })
})
