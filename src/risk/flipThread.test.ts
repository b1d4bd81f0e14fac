/**
 * A flip thread that never answers (flipThread.ts): the job answers null once its deadline and FLIP_GRACE_MS are
 * past, the thread is ended and replaced, and the next job gets flips from the replacement. Before, a hung thread
 * was kept, and every later job queued behind it. No wall-clock asserts: only what comes back is checked.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { startModuleWorker } from '../workers/startModuleWorker.ts'
import {
  closeFlipThread,
  FLIP_EARLY_MS,
  replacedFlipThreads,
  setFlipThreadStart,
  startFlip,
  warmFlipThread,
} from './flipThread.ts'
import { heuristicAttack } from './heuristic.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { type Attack, isValidAttack } from './verify.ts'

after(async () => {
  setFlipThreadStart(undefined)
  await closeFlipThread()
})

/**
 * A thread that keeps the real one's schedule (flipWorker.ts): one job at a time, claimed first (threadSlot.ts
 * claimJob: skipped, its attack given back, when withdrawn or past its deadline), then 'started'; it then blocks for
 * as many milliseconds as the job's attack's first service index says in `workerData` (Infinity: hangs, a flip stuck
 * in a leaf that ignores its deadline) and answers the attack it was given. Says 'ready' once loaded.
 */
const serial = (blockMs: number[]) =>
  new Worker(
    `const { parentPort, workerData } = require('node:worker_threads')
     parentPort.on('message', (m) => {
       const c = new Int32Array(m.claim, 0, 1)
       const deadline = Number(Atomics.load(new BigInt64Array(m.shared), 0))
       const late = performance.timeOrigin + performance.now() >= deadline
       if (late) Atomics.compareExchange(c, 0, 0, 2)
       if (late || Atomics.compareExchange(c, 0, 0, 1) !== 0) {
         parentPort.postMessage({ id: m.id, attack: m.attack })
         return
       }
       parentPort.postMessage({ id: m.id, type: 'started' })
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData[m.attack.services[0]])
       parentPort.postMessage({ id: m.id, attack: m.attack })
     })
     parentPort.postMessage({ type: 'ready' })`,
    { eval: true, workerData: blockMs },
  )
/** Resolves with the thread once loaded (its 'ready'). */
const loaded = (w: Worker): Promise<Worker> =>
  new Promise((resolve, reject) => {
    const onReady = (m: { type?: string }) => {
      if (m?.type !== 'ready') return
      w.off('message', onReady)
      resolve(w)
    }
    w.on('message', onReady)
    w.on('error', reject)
  })
/** Threads to start: the loaded `first`, then `next()`, counted. */
const firstThen = (first: Worker, next: () => Worker) => {
  const count = { started: 1 }
  let used = false
  return {
    count,
    start: () => {
      if (!used) {
        used = true
        return first
      }
      count.started++
      return next()
    },
  }
}
const hung = () => serial([Number.POSITIVE_INFINITY])
const real = () => startModuleWorker(new URL('./flipThread.ts', import.meta.url).href, 'flipWorker')

test('a hung flip thread is replaced: its job answers null, and the next job gets flips', async () => {
  await closeFlipThread()
  const n = parseRiskInput(
    randomNetwork(createRng(3), {
      operators: 40,
      services: 8,
      membersPerService: [4, 12],
      allocations: true,
    }),
  )
  const start = heuristicAttack(n, { budgetMs: 100 })
  assert.ok(start, 'the network has an attack to flip from')
  let started = 0
  setFlipThreadStart(() => (started++ === 0 ? hung() : real()))
  warmFlipThread()
  const before = replacedFlipThreads()
  // (past FLIP_EARLY_MS: the thread is told to stop that much before the deadline, and skips a job already past it;
  // 0.6 s for the thread to load)
  const stuck = startFlip(n, { ...start, services: [0] }, performance.now() + FLIP_EARLY_MS + 600)
  assert.equal(await stuck.result(), null)
  assert.equal(replacedFlipThreads(), before + 1)
  // the replacement (started at once) answers: a far deadline, as it loads through tsx; the flips end at a local
  // optimum long before it
  const next = startFlip(n, start, performance.now() + 30_000)
  const a = await next.result()
  assert.ok(a, 'the next job got an answer')
  assert.ok(isValidAttack(n, a))
  assert.equal(started, 2)
})

describe('two flip jobs on the one thread (threadSlot.ts: queue, withdraw, replace, re-post)', () => {
  const n = parseRiskInput(
    randomNetwork(createRng(4), { operators: 12, services: 4, membersPerService: [2, 5], allocations: true }),
  )
  // the serial thread blocks by the attack's first service: 0 hangs, 1 blocks 1.2 s, 2 answers at once
  const blocks = [Number.POSITIVE_INFINITY, 1200, 0]
  const attack = (s: number): Attack => ({ services: [s], operators: [] })

  test('the first hangs past its deadline: the thread is replaced, and the second runs there to its answer', async () => {
    await closeFlipThread()
    const threads = firstThen(await loaded(serial(blocks)), () => serial(blocks))
    setFlipThreadStart(threads.start)
    const before = replacedFlipThreads()
    const first = startFlip(n, attack(0), performance.now() + FLIP_EARLY_MS + 300)
    const second = startFlip(n, attack(2), performance.now() + 30_000)
    assert.equal(await first.result(), null)
    assert.deepEqual(await second.result(), attack(2), 'the queued job was answered empty, not re-posted')
    assert.equal(replacedFlipThreads(), before + 1)
    assert.equal(threads.count.started, 2)
  })

  test('a queued job whose deadline passes is withdrawn: the running one is not ended', async () => {
    await closeFlipThread()
    const threads = firstThen(await loaded(serial(blocks)), () => serial(blocks))
    setFlipThreadStart(threads.start)
    const before = replacedFlipThreads()
    const first = startFlip(n, attack(1), performance.now() + 30_000)
    const second = startFlip(n, attack(2), performance.now() + FLIP_EARLY_MS + 200)
    assert.equal(await second.result(), null)
    assert.deepEqual(await first.result(), attack(1), 'the running job was ended by the queued one’s give-up')
    assert.equal(replacedFlipThreads(), before)
    assert.equal(threads.count.started, 1)
    // a queued job stopped by its owner is withdrawn at once
    const third = startFlip(n, attack(1), performance.now() + 30_000)
    const fourth = startFlip(n, attack(2), performance.now() + 30_000)
    fourth.stop()
    assert.equal(await fourth.result(), null)
    assert.deepEqual(await third.result(), attack(1))
    await closeFlipThread()
  })
})
