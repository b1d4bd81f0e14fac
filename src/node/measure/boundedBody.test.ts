/**
 * Bodies read with a cap, against a real local server (127.0.0.1) serving a gzip bomb: 64 MiB of zeros that are
 * about 64 KiB on the wire. A probe and a result fetch each stop at their cap and say why; nothing is buffered
 * whole. An honest compressed answer under the cap is read and decoded as before.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { fetchResult } from './jobChecker.ts'
import { probeOnce } from './probe.ts'

const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024))
const honest = Buffer.from('the honest result')
let url = ''
const server = createServer((req, res) => {
  if (req.url === '/bomb') {
    // sent compressed whatever the client asked for, with no length to refuse it by
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/octet-stream' })
    res.end(bomb)
  } else if (req.url === '/declared') {
    res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) })
    res.end()
  } else {
    res.writeHead(200, { 'content-encoding': 'gzip' })
    res.end(gzipSync(honest))
  }
})

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
)

describe('bounded bodies', () => {
  test('a probe answered with a gzip bomb is a failed sample with its reason', async () => {
    assert.ok(bomb.length < 128 * 1024, 'a small body on the wire')
    const r = await probeOnce(`${url}/bomb`, 10_000, 64 * 1024)
    assert.equal(r.ok, false)
    assert.match(r.error!, /over the 65536-byte limit/)
    const declared = await probeOnce(`${url}/declared`, 10_000, 64 * 1024)
    assert.match(declared.error!, /10485760 bytes is over/)
  })

  test('a result fetch stops at its cap and says so; an honest compressed result is decoded', async () => {
    const reasons: string[] = []
    const result = await fetchResult(
      `${url}/bomb`,
      10_000,
      1024 * 1024,
      (reason) => void reasons.push(reason),
    )
    assert.equal(result, undefined)
    assert.deepEqual(reasons, ['body over the 1048576-byte limit (after decoding)'])
    const good = await fetchResult(`${url}/honest`, 10_000, 1024)
    assert.deepEqual(Buffer.from(good!), honest)
  })
})
