/**
 * Review riskq: the time-limit round (586746c..a8b747f). Searches on two threads under limits of 1–300 ms, with a
 * thread stuck mid-search, one after another on the same pool (a replaced thread's late messages must not count for
 * the next search); the solver's thread with a 'started' that never comes, a stale 'started', and bounds posted
 * after the give-up; the solver's thread from 500 pairs against the same questions on this thread; the coupled cap
 * under any budget; the largest attack's growth ending early. Every proof is checked against brute force (or, past
 * its reach, against the same question without threads), every bound against the optimum, every attack exactly.
 * No wall-clock asserts.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { largestAttack, solveMostProfitable } from './attack.ts'
import { buildAttackModel } from './attackModel.ts'
import { bruteLargestCost, bruteMostProfitable } from './bruteForce.ts'
import { findCoupledCap } from './coupledCap.ts'
import { heuristicAttack } from './heuristic.ts'
import { parseRiskInput } from './input.ts'
import { growByLeaf } from './largestHeuristic.ts'
import { loadHighs } from './mip.ts'
import {
  abandonedSolves,
  closeMipThread,
  runMipOnThread,
  setMipThreadStart,
  startedSolves,
} from './mipThread.ts'
import type { Network } from './network.ts'
import { closeBranchThreads, parallelBranch, replacedBranchThreads } from './parallelBranch.ts'
import { hardRegimeInput, randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { cmp, rat } from './rational.ts'
import { createRng, type Rng } from './rng.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from './verify.ts'

after(async () => {
  setMipThreadStart(undefined)
  await closeBranchThreads()
  await closeMipThread()
})

const WEAK = { rootSteps: 5, rootPriceSteps: 3, nodePriceSteps: 2 }
const net = (n: Network, a: Attack | null) => (a ? attackProfit(n, a) - attackCost(n, a) : 0n)

function hard(rng: Rng, i: number): Network {
  return parseRiskInput(hardRegimeInput(rng, i, { operators: [5, 8], services: [4, 8], members: [3, 6] }))
}

/** A reported attack (ids) back as indices, to check it exactly. */
function fromReport(n: Network, r: { services: string[]; operators: string[] }): Attack {
  return {
    services: r.services.map((id) => n.services.findIndex((s) => s.id === id)),
    operators: r.operators.map((id) => n.operators.findIndex((o) => o.id === id)),
  }
}

describe('review riskq: two threads under limits of 1–300 ms', () => {
  test('proven answers equal brute force, bounds hold, attacks are valid (seed 501)', async () => {
    const rng = createRng(501)
    // the pool loaded first, so that short searches run rather than only replace loading threads
    await parallelBranch({ minEdges: 0 })
      .start(hard(rng, 0), { deadline: performance.now() + 30_000 })
      .result()
    const limits = [1, 3, 10, 25, 60, 120, 300]
    let proven = 0
    let unproven = 0
    for (let i = 0; i < 56; i++) {
      const n = hard(rng, i)
      const best = bruteMostProfitable(n) ?? 0n
      const limit = limits[i % limits.length] as number
      const incumbent = i % 3 === 1 ? heuristicAttack(n, { budgetMs: 5 }) : null
      const job = parallelBranch({ minEdges: 0, steps: WEAK }).start(n, {
        incumbent,
        deadline: performance.now() + limit,
      })
      // the deadline moved once the "heuristic" is done, sometimes before, sometimes after the first
      if (i % 2 === 0) job.setDeadline(performance.now() + limit)
      const out = await job.result()
      if (out.attack) {
        assert.ok(isValidAttack(n, out.attack), `network ${i}: invalid attack`)
        assert.equal(net(n, out.attack), out.value)
      }
      assert.ok(out.value <= best, `network ${i}: value above the optimum`)
      assert.ok(out.bound >= Number(best), `network ${i} (${limit} ms): bound ${out.bound} below ${best}`)
      if (out.proven) {
        proven++
        assert.equal(out.value, best, `network ${i} (${limit} ms): proven on ${out.value}, optimum ${best}`)
      } else unproven++
    }
    // both outcomes seen: the limits cut some searches and not others
    assert.ok(proven > 0, 'no search proved')
    assert.ok(unproven > 0, 'no search was cut by its limit')
  })

  test('a thread stuck mid-search under short limits: never proven, bound holds; the next searches prove (seed 503)', async () => {
    const rng = createRng(503)
    await parallelBranch({ minEdges: 0 })
      .start(hard(rng, 0), { deadline: performance.now() + 30_000 })
      .result()
    const before = replacedBranchThreads()
    for (let k = 0; k < 6; k++) {
      const n = hard(rng, 2 * k)
      const best = bruteMostProfitable(n) ?? 0n
      const limit = [5, 40, 150][k % 3] as number
      const job = parallelBranch({
        minEdges: 0,
        steps: WEAK,
        failure: { thread: (k % 2) as 0 | 1, afterNodes: 1 + (k % 3), hang: true },
      }).start(n, { deadline: performance.now() + limit })
      job.setDeadline(performance.now() + limit)
      const out = await job.result()
      // a thread that bounded a node and hangs: whether it held nodes is the scheduler's, so only if the stuck
      // thread could have held one is the answer required unproven; the bound must hold always
      assert.ok(out.bound >= Number(best), `search ${k}: bound ${out.bound} below ${best}`)
      if (out.attack) assert.ok(isValidAttack(n, out.attack))
      if (out.proven) assert.equal(out.value, best, `search ${k}: proven on a wrong value`)
      // right after, on the same pool (the hung thread replaced, its peer maybe still saying bye), a full search
      // proves the brute-force optimum: no late message of the ended one counts here
      const m = hard(rng, 2 * k + 1)
      const next = parallelBranch({ minEdges: 0, steps: WEAK }).start(m, {
        deadline: performance.now() + 20_000,
      })
      next.setDeadline(performance.now() + 20_000)
      const got = await next.result()
      assert.ok(got.proven, `after search ${k}: unproven`)
      assert.equal(got.value, bruteMostProfitable(m) ?? 0n, `after search ${k}`)
    }
    // Whether a stuck thread got a node to hang on is the scheduler's (a quiet machine's peer thread can prove a
    // small network first: once in a full run of src/risk, none of the six hung); up to six more searches, each with
    // one thread set to hang after its first node, must get one replaced.
    for (let k = 0; k < 6 && replacedBranchThreads() === before; k++) {
      const n = hard(rng, 12 + k)
      const best = bruteMostProfitable(n) ?? 0n
      const job = parallelBranch({
        minEdges: 0,
        steps: WEAK,
        failure: { thread: (k % 2) as 0 | 1, afterNodes: 1, hang: true },
      }).start(n, { deadline: performance.now() + 150 })
      job.setDeadline(performance.now() + 150)
      const out = await job.result()
      assert.ok(out.bound >= Number(best), `extra search ${k}: bound ${out.bound} below ${best}`)
      if (out.proven) assert.equal(out.value, best, `extra search ${k}: proven on a wrong value`)
    }
    assert.ok(replacedBranchThreads() > before, 'no thread was replaced')
  })

  test('two searches queued on the same threads: each answers for its own network, not the other’s (seed 507)', async () => {
    // the second search's job waits behind the first on both threads; every message of the first (its reports, its
    // 'stopping', its attacks) reaches the second's listeners too, and must be told apart by its id
    const rng = createRng(507)
    let pairs = 0
    for (let k = 0; k < 40 && pairs < 4; k++) {
      const a = hard(rng, 2 * k + 1)
      const b = hard(rng, 2 * k + 1)
      const bestA = bruteMostProfitable(a) ?? 0n
      const bestB = bruteMostProfitable(b) ?? 0n
      if (bestA === bestB) continue
      pairs++
      const threads = parallelBranch({ minEdges: 0, steps: WEAK })
      const ja = threads.start(a, { deadline: performance.now() + 20_000 })
      ja.setDeadline(performance.now() + 20_000)
      const jb = threads.start(b, { deadline: performance.now() + 20_000 })
      jb.setDeadline(performance.now() + 20_000)
      const [oa, ob] = await Promise.all([ja.result(), jb.result()])
      for (const [n, o, best] of [
        [a, oa, bestA],
        [b, ob, bestB],
      ] as const) {
        if (o.attack) assert.ok(isValidAttack(n, o.attack), `pair ${k}: an attack of the other network`)
        assert.ok(o.bound >= Number(best), `pair ${k}: bound ${o.bound} below ${best}`)
        if (o.proven) assert.equal(o.value, best, `pair ${k}: proven on ${o.value}, optimum ${best}`)
      }
      assert.ok(ob.proven, `pair ${k}: the queued search did not prove`)
    }
    assert.equal(pairs, 4)
  })

  test('inside solveMostProfitable with threads, limits of 5–300 ms: proofs and bounds hold (seed 505)', async () => {
    const rng = createRng(505)
    const parallel = parallelBranch({ minEdges: 0, steps: WEAK })
    for (let i = 0; i < 14; i++) {
      const n = hard(rng, i)
      const best = bruteMostProfitable(n) ?? 0n
      const limit = [0.005, 0.03, 0.1, 0.3][i % 4] as number
      const { answer, attack } = await solveMostProfitable(n, { timeLimitSeconds: limit, parallel })
      if (attack) assert.ok(isValidAttack(n, attack), `network ${i}: invalid attack`)
      assert.ok(answer.bound >= Number(best), `network ${i}: bound ${answer.bound} below ${best}`)
      if (answer.proven) assert.equal(net(n, attack), best, `network ${i}: proven on a wrong value`)
    }
  })
})

describe('review riskq: the solver’s thread', () => {
  const model = () => {
    const n = parseRiskInput(
      randomNetwork(createRng(509), {
        operators: 7,
        services: 4,
        membersPerService: [2, 5],
        allocations: true,
      }),
    )
    return buildAttackModel(n, 'profit').builder
  }

  test('a thread that never starts the solve: given up by the question’s deadline, nothing taken', {
    timeout: 60_000,
  }, async () => {
    await closeMipThread()
    const b = model()
    setMipThreadStart(
      () => new Worker(`require('node:worker_threads').parentPort.on('message', () => {})`, { eval: true }),
    )
    const abandoned = abandonedSolves()
    const out = await runMipOnThread(b, {
      maximize: true,
      timeLimitSeconds: 600,
      endBy: performance.now() + 50,
    })
    assert.equal(out.status, 'timeLimit')
    assert.equal(out.values, null)
    assert.equal(out.bound, Number.POSITIVE_INFINITY)
    assert.equal(abandonedSolves(), abandoned + 1)
    setMipThreadStart(undefined)
    await closeMipThread()
  })

  // (the test's own timeout only turns a solve that waits out its 600 s limit into a failure, not a hang)
  test('a thread that starts the solve and hangs: given up by the question’s deadline, not its limit', {
    timeout: 60_000,
  }, async () => {
    await closeMipThread()
    const b = model()
    setMipThreadStart(
      () =>
        new Worker(
          `const { parentPort } = require('node:worker_threads')
           parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, type: 'started' }))`,
          { eval: true },
        ),
    )
    // (1.5 s: room for the fake thread to start and say so on a busy machine; if it says so later still, the
    // solve is given up at the deadline all the same)
    const out = await runMipOnThread(b, {
      maximize: true,
      timeLimitSeconds: 600,
      endBy: performance.now() + 1500,
    })
    assert.equal(out.status, 'timeLimit')
    setMipThreadStart(undefined)
    await closeMipThread()
  })

  test('a stale started (another id) does not re-arm the timer; bounds after the give-up are not taken', {
    timeout: 60_000,
  }, async () => {
    await closeMipThread()
    const b = model()
    // for each job: a 'started' of the job before it, a bound of its own (50), then after 1.5 s (past the give-up)
    // a smaller bound and a 'done' of its own
    setMipThreadStart(
      () =>
        new Worker(
          `const { parentPort } = require('node:worker_threads')
           parentPort.on('message', (m) => {
             parentPort.postMessage({ id: m.id - 1, type: 'started' })
             parentPort.postMessage({ id: m.id, type: 'bound', bound: 50 })
             setTimeout(() => {
               parentPort.postMessage({ id: m.id, type: 'bound', bound: 1 })
               parentPort.postMessage({ id: m.id, type: 'done', solution: { status: 'optimal', values: null, objective: 1, bound: 1 } })
             }, 1500)
           })`,
          { eval: true },
        ),
    )
    const started = startedSolves()
    const out = await runMipOnThread(b, {
      maximize: true,
      timeLimitSeconds: 600,
      endBy: performance.now() + 400,
    })
    assert.equal(out.status, 'timeLimit', 'the solve waited past its deadline for a late answer')
    assert.equal(out.bound, 50)
    assert.equal(startedSolves(), started, 'another job’s started was taken')
    setMipThreadStart(undefined)
    await closeMipThread()
  })
})

describe('review riskq: the solver’s thread from 500 pairs (attack.ts)', () => {
  test('verdict and largest attack, 500–900 pairs, with threads agree with no threads where both prove (seed 511)', async () => {
    const rng = createRng(511)
    const parallel = parallelBranch() // branching stays here below 2,500 pairs; the solver goes to its thread
    const startedBefore = startedSolves()
    let both = 0
    for (let i = 0; i < 4; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: 30,
          services: rng.int(20, 26),
          membersPerService: [26, 30],
          allocations: i % 2 === 1,
          profitFactor: SMALL_REGIMES[i % 3],
        }),
      )
      const edges = n.services.reduce((a, s) => a + s.members.length, 0)
      assert.ok(edges >= 500 && edges < 2500, `${edges} pairs`)
      const alone = await solveMostProfitable(n, { timeLimitSeconds: 20 })
      const threaded = await solveMostProfitable(n, { timeLimitSeconds: 3, parallel })
      for (const r of [alone, threaded]) if (r.attack) assert.ok(isValidAttack(n, r.attack))
      const a = net(n, alone.attack)
      const t = net(n, threaded.attack)
      assert.ok(threaded.answer.bound >= Number(a), `network ${i}: threaded bound below an attack`)
      assert.ok(alone.answer.bound >= Number(t), `network ${i}: bound below the threaded attack`)
      if (alone.answer.proven && threaded.answer.proven) {
        both++
        assert.equal(t, a, `network ${i}: two proofs disagree`)
      }
      const la = await largestAttack(n, { timeLimitSeconds: 20 })
      const lt = await largestAttack(n, { timeLimitSeconds: 3, parallel })
      const ca = la.attack ? attackCost(n, fromReport(n, la.attack)) : 0n
      const ct = lt.attack ? attackCost(n, fromReport(n, lt.attack)) : 0n
      if (lt.attack) assert.ok(isValidAttack(n, fromReport(n, lt.attack)))
      assert.ok(lt.bound >= Number(ca) && la.bound >= Number(ct), `network ${i}: largest bounds`)
      if (la.proven && lt.proven) assert.equal(ct, ca, `network ${i}: largest proofs disagree`)
    }
    // the threaded runs did use the solver's thread (the change under review), and proofs were compared
    assert.ok(startedSolves() > startedBefore, 'the solver never ran on its thread')
    assert.ok(both >= 1, `only ${both} both proven`)
  })
})

describe('review riskq: budgets and early ends', () => {
  test('the coupled cap under budgets 0, negative, tiny, NaN and ∞ (capped steps) bounds brute force (seed 521)', () => {
    const rng = createRng(521)
    const budgets = [0, -1e9, 1e-6, 0.3, 2, Number.NaN, Number.NEGATIVE_INFINITY]
    for (let i = 0; i < 140; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(4, 8),
          services: rng.int(1, 5),
          membersPerService: [2, 6],
          allocations: i % 2 === 0,
          profitFactor: SMALL_REGIMES[Math.floor(i / 2) % 3],
        }),
      )
      const best = bruteMostProfitable(n) ?? 0n
      const budgetMs = budgets[i % budgets.length] as number
      const cap = findCoupledCap(n, { budgetMs, maxIterations: 50 })
      assert.ok(cmp(cap, rat(best)) >= 0, `network ${i} (budget ${budgetMs}): cap below the optimum ${best}`)
    }
  })

  test('the largest attack with its growth, limits 1–400 ms: valid, bound ≥ brute force, proofs right (seed 523)', async () => {
    const rng = createRng(523)
    for (let i = 0; i < 16; i++) {
      const n = hard(rng, i)
      const best = bruteLargestCost(n)
      const limit = [0.001, 0.02, 0.15, 0.16, 0.4][i % 5] as number
      const out = await largestAttack(n, { timeLimitSeconds: limit, growPart: 0.5 })
      const a = out.attack ? fromReport(n, out.attack) : null
      if (a) assert.ok(isValidAttack(n, a), `network ${i}: invalid attack`)
      const c = a ? attackCost(n, a) : 0n
      assert.ok(c <= best)
      assert.ok(out.bound >= Number(best), `network ${i}: bound ${out.bound} below ${best}`)
      if (out.proven) assert.equal(c, best, `network ${i}: proven on ${c}, optimum ${best}`)
    }
  })

  test('growByLeaf ended at any deadline (passed, 0–200 ms) returns a valid attack burning at least its start (seed 527)', async () => {
    const highs = await loadHighs()
    const rng = createRng(527)
    let grew = 0
    let tried = 0
    for (let i = 0; tried < 24 && i < 200; i++) {
      const n = hard(rng, i)
      const start = heuristicAttack(n, { budgetMs: 5 })
      if (!start || !isValidAttack(n, start)) continue
      tried++
      const best = bruteLargestCost(n)
      const until = performance.now() + [-50, 0, 1, 20, 200][tried % 5]!
      const grown = growByLeaf(n, start, highs, until, [1, 100][tried % 2])
      assert.ok(isValidAttack(n, grown), `network ${i}: grown attack invalid`)
      const c = attackCost(n, grown)
      assert.ok(c >= attackCost(n, start) && c <= best, `network ${i}: ${c}`)
      if (c > attackCost(n, start)) grew++
    }
    assert.equal(tried, 24)
    assert.ok(grew > 0, 'nothing ever grew: the growth was not exercised')
  })
})
