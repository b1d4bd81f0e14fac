import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deploymentSchema } from '../../chain/deployment.ts'
import { classRef, serviceRef } from './labels.ts'

const labelled = {
  deployment: {
    labels: { services: { '2': { name: 'cold-chain', classes: ['temperature excursion', 'lateness'] } } },
  },
}

test('a service and its classes read with their manifest names, and as bare ids without one', () => {
  assert.equal(serviceRef(labelled, 2n), '#2 cold-chain')
  assert.equal(classRef(labelled, 2n, 1), '1 (lateness)')
  assert.equal(classRef(labelled, '2', 5), '5', 'a class the manifest does not name')
  assert.equal(serviceRef(labelled, 1), '#1', 'a service the manifest does not name')
  assert.equal(serviceRef({ deployment: {} }, 3n), '#3', 'a manifest without labels')
})

test('the manifest refuses labels keyed by anything but a service id, naming the field', () => {
  const base = {
    chainId: 31337,
    rpcUrl: 'http://127.0.0.1:8545',
    deployedAt: '2026-12-06T00:00:00.000Z',
    blockNumber: '1',
    paramChangeDelay: 0,
    addresses: Object.fromEntries(
      ['stakeToken', 'registry', 'factory', 'court', 'rewards', 'orders'].map((k) => [
        k,
        `0x${'1'.repeat(40)}`,
      ]),
    ),
  }
  assert.ok(deploymentSchema.safeParse({ ...base, labels: labelled.deployment.labels }).success)
  const bad = deploymentSchema.safeParse({ ...base, labels: { services: { 'cold-chain': { name: 'x' } } } })
  assert.equal(bad.success, false)
  assert.match(bad.error!.issues[0]!.message, /must be a service id/)
  assert.equal(
    deploymentSchema.safeParse({ ...base, labels: { services: { '1': { name: '' } } } }).success,
    false,
  )
})
