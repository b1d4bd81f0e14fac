/** The actors' runner on stop, and the abortable sleep the indexer backs off with. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sleepUnlessAborted } from '../chain/retry.ts'
import { createActRunner } from './context.ts'
import type { Story } from './story.ts'

const quietStory = { warn() {}, tell() {} } as unknown as Story
const never = () => new Promise<void>(() => {})

test('drain waits for actions that finish, and reports none left', async () => {
  const runner = createActRunner(quietStory)
  let done = false
  runner.act({ address: '0x0000000000000000000000000000000000000001' }, 'quick', async () => {
    await new Promise((r) => setTimeout(r, 20))
    done = true
  })
  assert.equal(await runner.drain(5_000), 0)
  assert.equal(done, true)
})

test('drain gives up on a transaction that never returns once the chain is gone, and says how many were left', async () => {
  const runner = createActRunner(quietStory)
  runner.act({ address: '0x0000000000000000000000000000000000000001' }, 'stuck', never)
  runner.act({ address: '0x0000000000000000000000000000000000000002' }, 'stuck', never)
  let chainExit!: () => void
  const chainGone = new Promise<void>((resolve) => {
    chainExit = resolve
  })
  const draining = runner.drain(60 * 60_000, chainGone)
  chainExit()
  assert.equal(await draining, 2)
})

test('drain gives up after its time limit even while the chain lives', async () => {
  const runner = createActRunner(quietStory)
  runner.act({ address: '0x0000000000000000000000000000000000000001' }, 'stuck', never)
  assert.equal(await runner.drain(10), 1)
})

test('sleepUnlessAborted ends when the signal aborts, and at once when it already has', async () => {
  const controller = new AbortController()
  const sleeping = sleepUnlessAborted(60 * 60_000, controller.signal)
  controller.abort()
  await sleeping
  await sleepUnlessAborted(60 * 60_000, controller.signal)
  // and it still sleeps its time when nothing aborts
  let woke = false
  await sleepUnlessAborted(5, new AbortController().signal).then(() => {
    woke = true
  })
  assert.equal(woke, true)
})
