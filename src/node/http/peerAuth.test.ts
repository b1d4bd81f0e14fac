import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { PEER_HEADERS, signPeerRequest, verifyPeerRequest } from './peerAuth.ts'

const member = privateKeyToAccount(`0x${'11'.repeat(32)}`)
const self = privateKeyToAccount(`0x${'22'.repeat(32)}`).address
const other = privateKeyToAccount(`0x${'33'.repeat(32)}`).address
const body = '{"kind":"downtime"}'
const request = { method: 'POST', path: '/v1/reports', body }

describe('signed peer requests', () => {
  test('a request signed for this node, with its body, within the window, names its signer', async () => {
    const headers = await signPeerRequest(member, { ...request, to: self, timeMs: 1_000_000 })
    const verify = (h: Record<string, string>, over: Partial<Parameters<typeof verifyPeerRequest>[1]> = {}) =>
      verifyPeerRequest(h, { ...request, self, nowMs: 1_010_000, maxAgeMs: 30_000, ...over })
    assert.deepEqual(await verify(headers), { ok: true, signer: member.address.toLowerCase() })
    assert.equal((await verify(headers, { body: '{"kind":"latency"}' })).ok, false, 'another body')
    assert.equal((await verify(headers, { path: '/v1/outcomes' })).ok, false, 'another path')
    assert.equal((await verify(headers, { self: other })).ok, false, 'addressed to another node')
    assert.equal((await verify(headers, { nowMs: 1_031_000 })).ok, false, 'stale')
    assert.equal((await verify({ ...headers, [PEER_HEADERS.signer]: other })).ok, false, 'another signer')
    const unsigned = await verify({})
    assert.ok(!unsigned.ok && /unsigned request/.test(unsigned.error))
    assert.equal((await verify({ ...headers, [PEER_HEADERS.time]: '1e6' })).ok, false, 'malformed time')
  })
})
