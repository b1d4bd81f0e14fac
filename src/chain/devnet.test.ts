import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createSuretyReader } from '../sdk/createSuretyClient.ts'
import { readBids, readOrders } from '../sdk/readOrder.ts'
import { readReputation } from '../sdk/readReputation.ts'
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
      assert.equal(allocation.weight, allocation.amount, 'applied after the exposure delay, counted in full')
      // a new report is sized on the whole allocation (the demo job's collateral is senior at execution instead)
      assert.equal(allocation.slashableStake, allocation.amount)
    }
    // the chain was brought back to the present after the seeding waited out the exposure delay
    const chainNow = Number((await reader.public.getBlock()).timestamp)
    assert.ok(Math.abs(chainNow - Date.now() / 1000) < 120, `chain time ${chainNow} is the present`)
    // a named two-milestone job operator 1 accepted, and an intent operator 2 bid on
    const [job, intent] = await readOrders(reader)
    assert.deepEqual([job?.status, job?.vault, intent?.status], ['Active', devnet.world.vaults[0], 'Open'])
    assert.equal(job!.params.milestones, 4000n | (6000n << 16n))
    const reserved = (await readReputation(reader, devnet.world.vaults[0]!, devnet.world.serviceId)).reserved
    assert.equal(reserved, job!.collateral)
    assert.deepEqual(
      (await readBids(reader, intent!.orderId)).map((b) => b.vault),
      [devnet.world.vaults[1]],
    )
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
