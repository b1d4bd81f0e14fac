/**
 * The follower reading ahead (the indexer's backfill) on a real anvil chain: the next range is read while the one
 * before is committed, ranges are committed strictly in order each building on the last, and a reorg drops the
 * range read ahead — after it settled — and rolls back, so nothing of the orphaned branch is committed.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createPublicClient, createTestClient, type Hex, http, type PublicClient } from 'viem'
import { type Anvil, startAnvil } from '../../chain/anvil.ts'
import type { BlockRef } from './eventRepo.ts'
import { type ChainStore, type CommittedRange, createFollower, type LogSource } from './follower.ts'

let anvil: Anvil
let client: PublicClient
let testClient: ReturnType<typeof createTestClient>
before(async () => {
  anvil = await startAnvil({ accounts: 1 })
  client = createPublicClient({ transport: http(anvil.rpcUrl) }) as PublicClient
  testClient = createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) })
})
after(() => anvil.stop())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A store in memory that logs when each commit starts and ends. A commit lasts `commitMs`, or, when `waitFor`
 * is given, until `waitFor(next block)` resolves (at most 5 s): the next range's read has begun.
 */
function memoryStore(
  trace: string[],
  commitMs: number,
  waitFor?: (from: bigint) => Promise<unknown> | undefined,
) {
  let cursor: BlockRef | undefined
  const hashes = new Map<bigint, Hex>()
  const committed: CommittedRange[] = []
  const store: ChainStore = {
    cursor: () => cursor,
    blocksAtOrBelow: (n, limit) =>
      [...hashes]
        .filter(([b]) => b <= n)
        .sort((a, b) => (a[0] < b[0] ? 1 : -1))
        .slice(0, limit)
        .map(([number, hash]) => ({ number, hash })),
    async commitRange(range) {
      trace.push(`commit ${range.blocks[0]!.number}-${range.cursor.number}`)
      const next = waitFor?.(range.cursor.number + 1n)
      await (next ? Promise.race([next, sleep(5_000)]) : sleep(commitMs))
      for (const b of range.blocks) hashes.set(b.number, b.hash)
      cursor = range.cursor
      committed.push(range)
      trace.push(`committed ${range.cursor.number}`)
    },
    rollbackTo(to) {
      trace.push(`rollback ${to.number}`)
      for (const n of hashes.keys()) if (n > to.number) hashes.delete(n)
      cursor = to
      return []
    },
    pruneBlocksBelow: () => undefined,
  }
  return { store, committed, cursor: () => cursor }
}

/** A log source that returns no logs, reads in ranges of `blocks`, and logs each read's start and end. */
function tracingSource(trace: string[], blocks: number, fetchMs: () => number) {
  let inFlight = 0
  const started = new Map<bigint, () => void>()
  const begun = new Map<bigint, Promise<void>>()
  /** Resolves when a read from block `from` begins. */
  const readBegins = (from: bigint) => {
    let p = begun.get(from)
    if (!p) {
      p = new Promise<void>((resolve) => started.set(from, resolve))
      begun.set(from, p)
    }
    return p
  }
  const source: LogSource = {
    async fetch(from, to) {
      inFlight++
      trace.push(`fetch ${from}-${to}`)
      readBegins(from)
      started.get(from)!()
      await sleep(fetchMs())
      trace.push(`fetched ${from}-${to}`)
      inFlight--
      return []
    },
    decode: () => [],
    rangeBlocks: (max) => Math.min(max, blocks),
  }
  return { source, inFlight: () => inFlight, readBegins }
}

const silent = { warn() {}, debug() {} }
const metric = { set() {}, inc() {} }
const metrics = { chainHead: metric, lastBlock: metric, reorgs: metric, reorgDepth: metric }

function follower(store: ChainStore, source: LogSource, startBlock: bigint) {
  return createFollower({
    client,
    store,
    sources: [],
    logSource: source,
    metrics,
    log: silent,
    options: { confirmations: 0, batchBlocks: 100, startBlock, finalityDepth: 50, readAhead: true },
    listeners: [],
  })
}

test('ranges are committed in order, each on the last, and the next is read while one is committed', async () => {
  await testClient.mine({ blocks: 20 })
  const start = (await client.getBlockNumber({ cacheTime: 0 })) - 19n
  const head = await client.getBlockNumber({ cacheTime: 0 })
  const trace: string[] = []
  const { source, inFlight, readBegins } = tracingSource(trace, 4, () => 10)
  // each commit lasts until the next range's read begins (or 5 s, which fails the order check below)
  const mem = memoryStore(trace, 0, (next) => (next <= head ? readBegins(next) : undefined))
  const f = follower(mem.store, source, start)
  await f.catchUp()
  await f.stop()
  assert.equal(mem.cursor()!.number, head)
  let next = start
  for (const range of mem.committed) {
    assert.equal(
      range.blocks.find((b) => b.number === next)?.number,
      next,
      `the range after ${next - 1n} starts there`,
    )
    assert.equal(range.cursor.hash, (await client.getBlock({ blockNumber: range.cursor.number })).hash)
    next = range.cursor.number + 1n
  }
  assert.equal(next, head + 1n, 'every block up to the head, no gap, no overlap')
  assert.equal(mem.committed.length, 5)
  // the read of every range but the first started while the range before it was being committed
  for (let i = 1; i < mem.committed.length; i++) {
    const from = mem.committed[i]!.blocks.at(-2)!.number
    const readAt = trace.indexOf(`fetch ${from}-${mem.committed[i]!.cursor.number}`)
    const commitAt = trace.indexOf(`commit ${mem.committed[i - 1]!.blocks[0]!.number}-${from - 1n}`)
    const doneAt = trace.indexOf(`committed ${from - 1n}`)
    assert.ok(
      commitAt < readAt && readAt < doneAt,
      `range ${i} read during the commit before it: ${trace.join(', ')}`,
    )
  }
  assert.equal(inFlight(), 0, 'nothing left reading after catching up')
})

test('a reorg drops the range read ahead once it settled, rolls back, and follows the new branch', async () => {
  await testClient.mine({ blocks: 12 })
  const start = (await client.getBlockNumber({ cacheTime: 0 })) - 11n
  const trace: string[] = []
  const mem = memoryStore(trace, 5)
  let slow = false
  const { source, inFlight, readBegins } = tracingSource(trace, 4, () => (slow ? 300 : 5))
  const f = follower(mem.store, source, start)
  assert.equal((await f.tick()).kind, 'processed')
  slow = true
  assert.equal((await f.tick()).kind, 'processed') // commits start+4..start+7 and starts reading start+8.. slowly
  const orphanCursor = mem.cursor()!
  await readBegins(orphanCursor.number + 1n)
  assert.equal(inFlight(), 1, 'the next range is being read ahead')
  // replace the cursor's block and everything after it
  const head = await client.getBlockNumber({ cacheTime: 0 })
  await testClient.request({
    method: 'anvil_reorg',
    params: [Number(head - orphanCursor.number) + 1, []],
  } as never)
  slow = false
  const r = await f.tick()
  assert.equal(r.kind, 'reorg')
  assert.equal(inFlight(), 0, 'the read ahead settled before the rollback')
  const settled = trace.findIndex((t) => t.startsWith(`fetched ${orphanCursor.number + 1n}-`))
  assert.ok(settled >= 0 && settled < trace.findIndex((t) => t.startsWith('rollback')), trace.join(', '))
  assert.ok(mem.cursor()!.number < orphanCursor.number, 'rolled back below the replaced block')
  await f.catchUp()
  await f.stop()
  const newHead = await client.getBlockNumber({ cacheTime: 0 })
  assert.equal(mem.cursor()!.number, newHead)
  assert.equal(
    mem.cursor()!.hash,
    (await client.getBlock({ blockNumber: newHead })).hash,
    'on the new branch',
  )
  for (const range of mem.committed.filter((c) => c.cursor.number > mem.committed[1]!.cursor.number))
    assert.equal(
      range.cursor.hash,
      (await client.getBlock({ blockNumber: range.cursor.number })).hash,
      'no range of the orphaned branch committed after the reorg',
    )
})
