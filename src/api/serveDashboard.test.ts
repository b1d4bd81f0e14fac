import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import Fastify from 'fastify'
import { type DashboardConfig, serveDashboard } from './serveDashboard.ts'

const config: DashboardConfig = {
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:8545',
  devnet: true,
  addresses: {
    stakeToken: '0x0000000000000000000000000000000000000001',
    registry: '0x0000000000000000000000000000000000000002',
    factory: '0x0000000000000000000000000000000000000003',
    court: '0x0000000000000000000000000000000000000004',
    rewards: '0x0000000000000000000000000000000000000005',
    orders: '0x0000000000000000000000000000000000000006',
  },
  token: { symbol: 'STK', decimals: 18 },
  labels: { services: { '2': { name: 'cold-chain', classes: ['temperature excursion', 'lateness'] } } },
}

function builtDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'surety-web-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), `<!doctype html><title>Surety dashboard</title>${' '.repeat(600)}`)
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(2000))})`)
  return dir
}

describe('serveDashboard', () => {
  test('every page path answers the app, gzipped for browsers that accept it, never cached', async () => {
    const app = Fastify()
    serveDashboard(app, { dir: builtDir(), config })
    for (const url of ['/', '/services/1', '/vaults/0xabc', '/slashes', '/orders/7', '/risk', '/position']) {
      const res = await app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } })
      assert.equal(res.statusCode, 200, url)
      assert.equal(res.headers['content-encoding'], 'gzip')
      assert.equal(res.headers['cache-control'], 'no-cache')
      assert.match(gunzipSync(res.rawPayload).toString(), /Surety dashboard/)
    }
  })
  test('hashed assets are cached for a year; a missing one is a 404 that says what to do', async () => {
    const app = Fastify()
    serveDashboard(app, { dir: builtDir(), config })
    const js = await app.inject({ url: '/assets/index-abc123.js' })
    assert.equal(js.statusCode, 200)
    assert.match(String(js.headers['content-type']), /javascript/)
    assert.match(String(js.headers['cache-control']), /immutable/)
    assert.equal(js.headers['content-encoding'], undefined, 'no gzip unless asked')
    const gone = await app.inject({ url: '/assets/index-old.js' })
    assert.equal(gone.statusCode, 404)
    assert.match(gone.body, /reload the page/)
  })
  test('paths that are not pages are left to the API (its 404)', async () => {
    const app = Fastify()
    serveDashboard(app, { dir: builtDir(), config })
    assert.equal((await app.inject({ url: '/nothing-here' })).statusCode, 404)
    assert.equal((await app.inject({ url: '/v1/unknown' })).statusCode, 404)
  })
  test('the config route tells the page about the deployment', async () => {
    const app = Fastify()
    serveDashboard(app, { dir: builtDir(), config })
    const res = await app.inject({ url: '/v1/dashboard/config' })
    assert.deepEqual(res.json(), config)
  })
  test('without a build, pages explain how to build instead of failing', async () => {
    const app = Fastify()
    const { built } = serveDashboard(app, { dir: join(tmpdir(), 'surety-no-such-build'), config })
    assert.equal(built, false)
    const res = await app.inject({ url: '/' })
    assert.equal(res.statusCode, 503)
    assert.match(res.body, /npm run build:web/)
  })
})
