import assert from 'node:assert/strict'
import { test } from 'node:test'
import { matchRoute } from './router.ts'

test('page paths match their pages with their parameters', () => {
  const slashId = `0x${'ab'.repeat(32)}`
  const vault = `0x${'12'.repeat(20)}`
  assert.deepEqual(matchRoute('/'), { name: 'overview', params: {} })
  assert.deepEqual(matchRoute('/services/3'), { name: 'service', params: { id: '3' } })
  assert.deepEqual(matchRoute(`/vaults/${vault}`), { name: 'vault', params: { address: vault } })
  assert.deepEqual(matchRoute(`/slashes/${slashId}`), { name: 'slash', params: { id: slashId } })
  assert.deepEqual(matchRoute('/orders/12/'), { name: 'order', params: { id: '12' } })
  assert.equal(matchRoute('/position').name, 'position')
  assert.equal(matchRoute(`/position/${vault}`).params.address, vault)
})

test('anything else is the not-found page naming the path', () => {
  assert.deepEqual(matchRoute('/slashes/12'), { name: 'notFound', params: { path: '/slashes/12' } })
  assert.equal(matchRoute('/vaults/0x12').name, 'notFound')
})
