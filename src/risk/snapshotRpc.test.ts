import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { freePort } from '../chain/anvil.ts'
import { startDevnet } from '../chain/devnet.ts'
import { createSuretyReader } from '../sdk/createSuretyClient.ts'
import { readOpenOrders } from '../sdk/readOrder.ts'
import { analyzeNetwork } from './analyze.ts'
import { parseRiskInput } from './input.ts'
import { escrowAtStake } from './snapshot.ts'
import { snapshotFromRpc } from './snapshotRpc.ts'

test('a snapshot of the live devnet lists its operators, service and allocations, and the engine can analyse it', async () => {
  const devnet = await startDevnet({
    port: await freePort(),
    manifestDir: mkdtempSync(join(tmpdir(), 'surety-snap-')),
  })
  try {
    const input = await snapshotFromRpc({ rpcUrl: devnet.anvil.rpcUrl, deployment: devnet.manifestPath })
    const operators = [devnet.accounts[4]!.address, devnet.accounts[5]!.address]
    assert.deepEqual(
      input.operators,
      operators.map((id) => ({ id, stake: (210_000n * 10n ** 18n).toString() })), // 10k bond + 200k delegated
    )
    assert.equal(input.services.length, 1)
    // the declared value plus what the demo orders hold in escrow
    const reader = createSuretyReader({
      rpcUrl: devnet.anvil.rpcUrl,
      chainId: devnet.deployment.chainId,
      addresses: devnet.deployment.addresses,
    })
    const orders = await readOpenOrders(reader)
    const escrow = orders.reduce(
      (sum, o) => sum + escrowAtStake(o, devnet.deployment.addresses.stakeToken),
      0n,
    )
    assert.ok(orders.length > 0 && escrow > 0n, 'the devnet seeds open orders')
    assert.equal(input.services[0]!.profit, (250_000n * 10n ** 18n + escrow).toString())
    assert.deepEqual(input.services[0]!.operators, operators)
    assert.deepEqual(
      input.allocations,
      operators.map((operator) => ({ operator, service: '1', stake: (100_000n * 10n ** 18n).toString() })),
    )
    // 250k of profit against 200k allocated at α = 1/2 (100k needed): corruptible, and the engine says so
    const report = await analyzeNetwork(parseRiskInput(input))
    assert.equal(report.secure, false)
  } finally {
    await devnet.stop()
  }
})
