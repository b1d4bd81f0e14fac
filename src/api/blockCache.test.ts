import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createBlockCache } from './blockCache.ts'

/** A computation the test finishes by hand: which blocks were asked for, and a way to settle each. */
function manual() {
  const calls: { block: bigint; resolve: (v: string) => void; reject: (e: Error) => void }[] = []
  const compute = (block: bigint) =>
    new Promise<string>((resolve, reject) => {
      calls.push({ block, resolve, reject })
    })
  return { calls, compute }
}

test('the first request waits for its block; later ones get the newest finished answer at once', async () => {
  const { calls, compute } = manual()
  const cache = createBlockCache(compute)
  const first = cache.get(10n)
  assert.deepEqual(
    calls.map((c) => c.block),
    [10n],
  )
  calls[0]!.resolve('at 10')
  assert.equal(await first, 'at 10')
  // the chain moved: the answer of block 10 now, and block 12 computed in the background
  assert.equal(await cache.get(12n), 'at 10')
  assert.deepEqual(
    calls.map((c) => c.block),
    [10n, 12n],
  )
  // one computation at a time: a request during it starts no other
  assert.equal(await cache.get(13n), 'at 10')
  assert.equal(calls.length, 2)
  calls[1]!.resolve('at 12')
  await new Promise((r) => setImmediate(r))
  assert.equal(await cache.get(12n), 'at 12', 'served without computing again')
  assert.equal(calls.length, 2)
  assert.equal(await cache.get(13n), 'at 12')
  assert.deepEqual(
    calls.map((c) => c.block),
    [10n, 12n, 13n],
  )
})

test('a failed computation is not kept: the waiting request fails and the next one computes again', async () => {
  const { calls, compute } = manual()
  const cache = createBlockCache(compute)
  const first = cache.get(5n)
  calls[0]!.reject(new Error('rpc down'))
  await assert.rejects(first, /rpc down/)
  const second = cache.get(5n)
  assert.equal(calls.length, 2, 'computed again')
  calls[1]!.resolve('at 5')
  assert.equal(await second, 'at 5')
  // a failure after an answer exists keeps serving that answer
  assert.equal(await cache.get(6n), 'at 5')
  calls[2]!.reject(new Error('solver crashed'))
  await new Promise((r) => setImmediate(r))
  assert.equal(await cache.get(6n), 'at 5')
  assert.equal(calls.length, 4, 'and tries block 6 again')
})
