/**
 * The per-address rate limit on a real server over a real (empty) index: an address past its limit gets 429 with
 * a JSON error naming the limit and when to retry, other addresses are unaffected, loopback is exempt unless told.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { openTestStore, type TestStore } from '../../test/support/indexedStores.ts'
import { describeLimit, isLoopback } from './rateLimit.ts'
import { createApiServer } from './server.ts'

let store: TestStore
const servers: Awaited<ReturnType<typeof createApiServer>>[] = []

async function server(rateLimit: Parameters<typeof createApiServer>[0]['rateLimit']) {
  store ??= await openTestStore('sqlite')
  const app = await createApiServer({ db: store.idb.db, dialect: 'sqlite', rateLimit })
  servers.push(app)
  return app
}

const get = (app: Awaited<ReturnType<typeof createApiServer>>, url: string, remoteAddress: string) =>
  app.inject({ method: 'GET', url, remoteAddress })

describe('API rate limit', () => {
  after(async () => {
    for (const s of servers) await s.close()
    await store?.remove()
  })

  test('the request past the limit gets 429 naming the limit and when to retry; another address is unaffected', async () => {
    const app = await server({ max: 3, windowMs: 60_000 })
    for (let i = 0; i < 3; i++) {
      const r = await get(app, '/health', '203.0.113.7')
      assert.equal(r.statusCode, 200)
      assert.equal(r.headers['x-ratelimit-remaining'], String(2 - i))
    }
    // a /v1 route counts against the same allowance (this one would answer 503 on an empty index)
    const limited = await get(app, '/v1/network', '203.0.113.7')
    assert.equal(limited.statusCode, 429)
    assert.match(String(limited.headers['content-type']), /^application\/json/)
    const body = limited.json() as { error: { code: string; message: string } }
    assert.equal(body.error.code, 'RATE_LIMITED')
    assert.match(
      body.error.message,
      /^rate limit reached: at most 3 requests per minute from 203\.0\.113\.7; retry in (\d+) s$/,
    )
    const retry = Number(limited.headers['retry-after'])
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${limited.headers['retry-after']}`)
    assert.equal(
      body.error.message.match(/retry in (\d+) s/)![1],
      String(retry),
      'the message and the header agree',
    )

    const other = await get(app, '/health', '203.0.113.8')
    assert.equal(other.statusCode, 200)
  })

  test('loopback is exempt by default and limited when asked', async () => {
    const exempt = await server({ max: 2, windowMs: 60_000 })
    for (let i = 0; i < 6; i++) assert.equal((await get(exempt, '/health', '127.0.0.1')).statusCode, 200)
    for (let i = 0; i < 6; i++) assert.equal((await get(exempt, '/health', '::1')).statusCode, 200)

    const strict = await server({ max: 2, windowMs: 60_000, loopback: true })
    const codes: number[] = []
    for (let i = 0; i < 4; i++) codes.push((await get(strict, '/health', '127.0.0.1')).statusCode)
    assert.deepEqual(codes, [200, 200, 429, 429])
  })

  test('no limit when turned off', async () => {
    const app = await server(false)
    for (let i = 0; i < 30; i++) assert.equal((await get(app, '/health', '203.0.113.9')).statusCode, 200)
    assert.equal((await get(app, '/health', '203.0.113.9')).headers['x-ratelimit-limit'], undefined)
  })

  test('describes limits and loopback addresses plainly', () => {
    assert.equal(describeLimit(1200, 60_000), '1,200 requests per minute')
    assert.equal(describeLimit(1, 1_000), '1 request per second')
    assert.equal(describeLimit(5, 10_000), '5 requests per 10 s')
    assert.deepEqual(
      ['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1', '10.0.0.1', '::ffff:10.0.0.1'].map(isLoopback),
      [true, true, true, true, false, false],
    )
  })
})
