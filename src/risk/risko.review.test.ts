/**
 * Review of the solver's thread (mipThread.ts): what an abandoned or shared thread may hand back. A message for
 * another solve (an earlier id arriving late on a reused thread) must not be taken — neither its bound (another
 * model's) nor its answer; an abandoned thread is ended, not left to burn a core behind the next stage; the thread
 * holds the process while any of its solves is unsettled and only then; and on small networks, solves abandoned
 * at 1–50 ms on the real thread still answer with a bound at or above the brute-force optimum. No wall-clock
 * asserts: fake threads hang for good, and the abandon delays only decide how much HiGHS got done.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { startModuleWorker } from '../workers/startModuleWorker.ts'
import { buildAttackModel } from './attackModel.ts'
import { bruteCascade, bruteLargestCost, bruteMostProfitable } from './bruteForce.ts'
import { closeFlipThread, setFlipThreadStart, startFlip } from './flipThread.ts'
import { parseRiskInput } from './input.ts'
import { closeMipThread, runMipOnThread, setMipThreadStart } from './mipThread.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { rat } from './rational.ts'
import { createRng } from './rng.ts'
import { searchAttack } from './search.ts'

after(async () => {
  setMipThreadStart(undefined)
  setFlipThreadStart(undefined)
  await closeMipThread()
  await closeFlipThread()
})

const real = () => startModuleWorker(new URL('./mipThread.ts', import.meta.url).href, 'mipWorker')

/**
 * A thread that, for each job, first delivers messages of the job before it (id − 1: a late bound of another
 * model, far below any optimum; an incumbent; a 'done' claiming optimal), then a bound of its own, then hangs.
 */
const stale = () =>
  new Worker(
    `const { parentPort } = require('node:worker_threads')
     parentPort.on('message', (m) => {
       const old = m.id - 1
       parentPort.postMessage({ id: old, type: 'bound', bound: -1000 })
       parentPort.postMessage({ id: old, type: 'incumbent', values: new Float64Array(m.model.numCols), objective: 5 })
       parentPort.postMessage({ id: old, type: 'done', solution: { status: 'optimal', values: null, objective: 5, bound: 5 } })
       parentPort.postMessage({ id: m.id, type: 'bound', bound: 42 })
     })`,
    { eval: true },
  )

/**
 * A thread stuck in the first job it gets (it claims it and says it started, as the real one: threadSlot.ts) and
 * never answers; its ref/unref calls and its termination are recorded.
 */
type Spied = { w: Worker; refs: string[]; terminated: boolean }
const spiedHung = (): Spied => {
  const w = new Worker(
    `const { parentPort } = require('node:worker_threads')
     let busy = false
     parentPort.on('message', (m) => {
       if (busy) return
       busy = true
       Atomics.store(new Int32Array(m.claim, 0, 1), 0, 1)
       parentPort.postMessage({ id: m.id, type: 'started' })
     })
     parentPort.postMessage({ type: 'ready' })`,
    { eval: true },
  )
  const s: Spied = { w, refs: [], terminated: false }
  const ref = w.ref.bind(w)
  const unref = w.unref.bind(w)
  const terminate = w.terminate.bind(w)
  w.ref = () => {
    s.refs.push('ref')
    ref()
  }
  w.unref = () => {
    s.refs.push('unref')
    unref()
  }
  w.terminate = () => {
    s.terminated = true
    return terminate()
  }
  return s
}

const small = (seed: number, count: number) => {
  const rng = createRng(seed)
  return Array.from({ length: count }, (_, i) => {
    const ops = rng.int(3, 8)
    return parseRiskInput(
      randomNetwork(rng, {
        operators: ops,
        services: rng.int(1, 4),
        membersPerService: [1, ops],
        allocations: i % 2 === 0,
        profitFactor: SMALL_REGIMES[i % 3],
      }),
    )
  })
}

describe('review: the solver thread’s messages and lifetime', () => {
  test('messages for an earlier solve (a late id) are not taken: not its bound, incumbent or answer', async () => {
    await closeMipThread()
    setMipThreadStart(stale)
    const n = small(1, 1)[0]
    assert.ok(n)
    const m = buildAttackModel(n, 'profit')
    for (let k = 0; k < 2; k++) {
      // (abandoned after 2 s: room for the fake thread to start and post on a busy machine)
      const out = await runMipOnThread(m.builder, { maximize: true, timeLimitSeconds: 0.01 }, 2000)
      assert.equal(out.status, 'timeLimit')
      assert.equal(out.values, null)
      assert.equal(out.bound, 42)
    }
    await closeMipThread()
  })

  test('two solves queued on one thread each get their own answer', async () => {
    await closeMipThread()
    setMipThreadStart(real)
    const nets = small(2, 12)
    for (let i = 0; i + 1 < nets.length; i += 2) {
      const a = buildAttackModel(nets[i] as never, 'profit')
      const b = buildAttackModel(nets[i + 1] as never, 'cost')
      const [x, y] = await Promise.all([
        runMipOnThread(a.builder, { maximize: true, timeLimitSeconds: 60 }),
        runMipOnThread(b.builder, { maximize: true, timeLimitSeconds: 60 }),
      ])
      assert.equal(x.values?.length, a.builder.numCols)
      assert.equal(y.values?.length, b.builder.numCols)
      const wantX = Number(bruteMostProfitable(nets[i] as never) ?? 0n) / Number(a.unit)
      const wantY = Number(bruteLargestCost(nets[i + 1] as never)) / Number(b.unit)
      assert.ok(x.bound >= wantX - 1e-9 && y.bound >= wantY - 1e-9, `${x.bound} ${wantX} ${y.bound} ${wantY}`)
    }
    await closeMipThread()
  })

  test('an abandoned thread is ended and replaced; the thread is unref’d only once no solve is pending', async () => {
    await closeMipThread()
    // the first thread loaded before the solves are posted: the first solve is then running (stuck) in it when given
    // up, not still queued behind its load (a queued solve is withdrawn and leaves the thread alone: threadSlot.ts)
    const s0 = spiedHung()
    await new Promise((resolve) => s0.w.once('message', resolve))
    const spies: Spied[] = [s0]
    setMipThreadStart(() => {
      if (spies.length === 1 && !s0.terminated) return s0.w
      const s = spiedHung()
      spies.push(s)
      return s.w
    })
    const n = small(3, 1)[0]
    assert.ok(n)
    const m = buildAttackModel(n, 'profit')
    // two solves on the same hung thread, the first given up well before the second
    const first = runMipOnThread(m.builder, { maximize: true, timeLimitSeconds: 10 }, 200)
    const second = runMipOnThread(m.builder, { maximize: true, timeLimitSeconds: 10 }, 800)
    await first
    // the first's giving up ended the thread it was stuck in and started another, where the second, queued behind it,
    // is re-posted (and given up in its turn)
    assert.equal(s0.terminated, true)
    assert.ok(spies.length >= 2)
    const out = await second
    assert.equal(out.status, 'timeLimit')
    // held while either solve was pending (two refs), let go after the last (never unref'd under a pending one)
    const holds = s0.refs.slice(s0.refs.indexOf('ref'))
    assert.equal(holds.at(-1), 'unref', holds.join())
    assert.equal(holds.indexOf('unref'), holds.length - 1, holds.join())
    await closeMipThread()
  })
})

describe('review: abandoned real solves against brute force', () => {
  test('searchAttack on the thread, abandoned at 1–50 ms: bound ≥ optimum ≥ value; proven only at the optimum', async () => {
    await closeMipThread()
    setMipThreadStart(real)
    // the thread loaded first (its load is not what is tested)
    const warm = small(4, 1)[0]
    assert.ok(warm)
    await runMipOnThread(buildAttackModel(warm, 'profit').builder, { maximize: true, timeLimitSeconds: 60 })
    let solves = 0
    for (const [i, n] of small(5, 30).entries()) {
      for (const objective of ['profit', 'cost', 'cascade'] as const) {
        const psi = rat(BigInt(i % 5), 4n)
        const opt =
          objective === 'profit'
            ? (bruteMostProfitable(n) ?? 0n)
            : objective === 'cost'
              ? bruteLargestCost(n)
              : bruteCascade(n, psi)
        const ms = [1, 3, 10, 50][(i + solves) % 4] as number
        const out = await searchAttack(n, objective, {
          timeLimitSeconds: ms / 1000,
          shock: objective === 'cascade' ? psi : undefined,
          // abandoned at the limit itself, not 100 ms past it: HiGHS is then cut off mid-search more often
          runner: (b, o) => runMipOnThread(b, o, ms),
        })
        solves++
        const tol = 1e-6 * Math.max(1, Number(opt))
        assert.ok(out.value <= opt, `${objective} #${i}: value ${out.value} > optimum ${opt}`)
        assert.ok(out.bound >= Number(opt) - tol, `${objective} #${i}: bound ${out.bound} < optimum ${opt}`)
        if (out.proven)
          assert.equal(out.value, opt, `${objective} #${i}: proven ${out.value}, optimum ${opt}`)
      }
    }
    assert.equal(solves, 90)
    await closeMipThread()
  })
})

describe('review: the flip thread’s messages', () => {
  test('an answer for an earlier job (a late id) is not this job’s', async () => {
    await closeFlipThread()
    // answers each job with the job before it's attack (every service, no operator), then hangs
    setFlipThreadStart(
      () =>
        new Worker(
          `const { parentPort } = require('node:worker_threads')
           parentPort.on('message', (m) => {
             parentPort.postMessage({ id: m.id - 1, attack: { services: m.network.services.map((_, i) => i), operators: [] } })
           })`,
          { eval: true },
        ),
    )
    const n = small(6, 1)[0]
    assert.ok(n)
    // (a deadline 1.5 s away: room for the fake thread to start and post on a busy machine)
    const job = startFlip(n, { services: [], operators: [] }, performance.now() + 1500)
    assert.equal(await job.result(), null)
    await closeFlipThread()
  })
})
