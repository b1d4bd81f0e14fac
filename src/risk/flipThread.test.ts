/**
 * A flip thread that never answers (flipThread.ts): the job answers null once its deadline and FLIP_GRACE_MS are
 * past, the thread is ended and replaced, and the next job gets flips from the replacement. Before, a hung thread
 * was kept, and every later job queued behind it. No wall-clock asserts: only what comes back is checked.
 */
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { startModuleWorker } from '../workers/startModuleWorker.ts'
import {
  closeFlipThread,
  replacedFlipThreads,
  setFlipThreadStart,
  startFlip,
  warmFlipThread,
} from './flipThread.ts'
import { heuristicAttack } from './heuristic.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { isValidAttack } from './verify.ts'

after(async () => {
  setFlipThreadStart(undefined)
  await closeFlipThread()
})

/** A thread that takes jobs and never answers (a flip stuck in a leaf that ignores its deadline). */
const hung = () =>
  new Worker(`require('node:worker_threads').parentPort.on('message', () => {})`, { eval: true })
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
  const stuck = startFlip(n, start, performance.now() + 20)
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
