import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createSuretyReader } from '../sdk/createSuretyClient.ts'
import { readAllocation, readVault } from '../sdk/readVault.ts'
import { freePort } from './anvil.ts'
import { readDeployment } from './deployment.ts'
import { startDevnet } from './devnet.ts'

test('the devnet deploys Surety, writes a manifest the tools can read, and seeds a slashable demo world', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'surety-devnet-'))
  const devnet = await startDevnet({ port: await freePort(), manifestDir: dir })
  try {
    const manifest = readDeployment(devnet.manifestPath)
    assert.deepEqual(manifest.addresses, devnet.deployment.addresses)
    const reader = createSuretyReader({
      rpcUrl: manifest.rpcUrl,
      chainId: manifest.chainId,
      addresses: manifest.addresses,
    })
    assert.ok(devnet.world)
    assert.equal(devnet.world.vaults.length, 2)
    for (const vault of devnet.world.vaults) {
      const view = await readVault(reader, vault)
      assert.equal(view.bondAssets, 10_000n * 10n ** 18n)
      assert.equal(view.poolAssets, 200_000n * 10n ** 18n) // 20k + 40k + 60k + 80k from four stakers
      const allocation = await readAllocation(reader, vault, devnet.world.serviceId)
      assert.equal(allocation.amount, 100_000n * 10n ** 18n)
      assert.equal(allocation.slashableStake, allocation.amount)
    }
  } finally {
    await devnet.stop()
  }
})

test('a manifest with a bad field is rejected with a message naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'surety-manifest-'))
  const path = join(dir, 'bad.json')
  writeFileSync(
    path,
    JSON.stringify({
      chainId: 1,
      rpcUrl: 'http://x',
      deployedAt: '',
      blockNumber: '1',
      paramChangeDelay: 1,
      addresses: { stakeToken: '0x1', registry: '0x1', factory: '0x1', court: '0x1' },
    }),
  )
  assert.throws(() => readDeployment(path), /addresses\.stakeToken must be a 0x-prefixed 20-byte address/)
})
