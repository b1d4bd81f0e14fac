/**
 * The response cache on a real indexed chain, on SQLite and PostgreSQL: a hit carries the same bytes and an ETag,
 * If-None-Match gets 304, and a commit by the indexer empties it whether the indexer writes through the API's own
 * connection (the devnet: one process, one store) or through another (`surety index` in another process).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it, test } from 'node:test'
import { createWorld, type World } from '../../test/support/world.ts'
import { openIndexerDb } from '../indexer/db/open.ts'
import { createIndexer } from '../indexer/engine/runIndexer.ts'
import { noneMatch } from './cache.ts'
import { stateQueryGeneration } from './generation.ts'
import { createApiServer } from './server.ts'
import { type IndexedWorld, indexWorld } from './testing/indexedWorld.ts'

test('If-None-Match names a tag: exactly, weakly, in a list, or *', () => {
  assert.equal(noneMatch(undefined, '"a"'), false)
  assert.equal(noneMatch('"a"', '"a"'), true)
  assert.equal(noneMatch('W/"a"', '"a"'), true)
  assert.equal(noneMatch('"b", "a"', '"a"'), true)
  assert.equal(noneMatch('*', '"a"'), true)
  assert.equal(noneMatch('"b"', '"a"'), false)
  assert.equal(noneMatch('"ab"', '"a"'), false)
})

test('a state read asked for while one is in flight is a new read, after a commit issued before it', async () => {
  const idb = await openIndexerDb({ url: ':memory:' })
  try {
    const gen = stateQueryGeneration(idb.db)
    const first = gen.read()
    // queued behind the first read on the one connection, before the second is asked for
    const commit = idb.db.insertInto('indexer_state').values({ key: 'cursor', value: '7' }).execute()
    const second = gen.read()
    assert.equal(gen.read(), second, 'the requests arriving meanwhile share the next read')
    await commit
    assert.doesNotMatch(await first, /cursor=7/)
    assert.match(await second, /cursor=7;/, 'the second read saw the commit')
  } finally {
    await idb.close()
  }
})

let w: World
before(async () => {
  w = await createWorld()
})
after(async () => {
  await w?.anvil.stop()
})

for (const name of ['sqlite', 'postgres'] as const) {
  describe(`the response cache on ${name}`, () => {
    let served: IndexedWorld
    before(async () => {
      served = await indexWorld(w, { store: name, finalityDepth: 3 })
    })
    after(async () => {
      await served?.close()
    })
    const get = (url: string, headers: Record<string, string> = {}) =>
      served.app.inject({ method: 'GET', url, headers })
    const blockOf = (body: string) => (JSON.parse(body) as { block: { number: number } }).block.number

    it('serves a hit as the same bytes with its ETag, and 304 to a poll that names it', async () => {
      const first = await get('/v1/network')
      assert.equal(first.statusCode, 200)
      assert.equal(first.headers['x-cache'], undefined)
      const etag = String(first.headers.etag)
      assert.match(etag, /^"[\w-]+"$/)
      const hit = await get('/v1/network')
      assert.equal(hit.headers['x-cache'], 'hit')
      assert.equal(hit.body, first.body)
      assert.equal(hit.headers.etag, etag)
      assert.equal(hit.headers['content-length'], String(Buffer.byteLength(first.body)))
      assert.match(String(hit.headers['content-type']), /^application\/json/)
      for (const tag of [etag, `W/${etag}`, `"other", ${etag}`]) {
        const poll = await get('/v1/network', { 'if-none-match': tag })
        assert.equal(poll.statusCode, 304, tag)
        assert.equal(poll.body, '')
        assert.equal(poll.headers.etag, etag)
      }
      const stale = await get('/v1/network', { 'if-none-match': '"other"' })
      assert.equal(stale.statusCode, 200)
      assert.equal(stale.body, first.body)
    })

    it('answers 304 on a miss too when the answer computed has the tag asked about', async () => {
      const etag = String((await get('/v1/network')).headers.etag)
      // a second server over the same store has no entry yet: it computes the same bytes, so the same tag
      const second = await createApiServer({ db: served.store.idb.db, dialect: served.store.idb.dialect })
      try {
        const fresh = await second.inject({ url: '/v1/network', headers: { 'if-none-match': etag } })
        assert.equal(fresh.headers['x-cache'], undefined)
        assert.equal(fresh.statusCode, 304)
        assert.equal(fresh.body, '')
        assert.equal((await second.inject('/v1/network')).headers['x-cache'], 'hit', 'and it was stored')
      } finally {
        await second.close()
      }
    })

    it('empties when the indexer commits through the same connection', async () => {
      const before = await get('/v1/network')
      assert.equal((await get('/v1/network')).headers['x-cache'], 'hit')
      await w.travel(1)
      await served.indexer.catchUp()
      const after = await get('/v1/network', { 'if-none-match': String(before.headers.etag) })
      assert.equal(after.statusCode, 200)
      assert.equal(after.headers['x-cache'], undefined)
      assert.equal(blockOf(after.body), blockOf(before.body) + 1)
      assert.notEqual(after.headers.etag, before.headers.etag)
    })

    it('empties when another connection (another process) commits', async () => {
      const before = await get('/v1/network')
      assert.equal((await get('/v1/network')).headers['x-cache'], 'hit')
      const { url, schema } = served.store.location
      const other = await openIndexerDb({ url, schema })
      try {
        await w.travel(1)
        await (
          await createIndexer({
            client: w.public,
            idb: other,
            chainId: w.chainId,
            addresses: w.addresses,
            startBlock: 0n,
            finalityDepth: 3,
          })
        ).catchUp()
      } finally {
        await other.close()
      }
      const after = await get('/v1/network')
      assert.equal(after.headers['x-cache'], undefined)
      assert.equal(blockOf(after.body), blockOf(before.body) + 1)
      assert.equal((await get('/v1/network')).headers['x-cache'], 'hit', 'and fills again')
    })
  })
}
