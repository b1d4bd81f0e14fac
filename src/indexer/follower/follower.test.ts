/**
 * The chain follower on a real anvil chain, reorganised with anvil_reorg: events inside the confirmation depth are
 * never stored, and a reorg deeper than it rolls the store back to the fork point so nothing acts on orphans.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createPublicClient, http, type PublicClient, zeroAddress } from 'viem'
import { incident, reportSlash, setupService, setupVault } from '../../../test/support/fixtures.ts'
import { useWorld, type World } from '../../../test/support/world.ts'
import { keeperActions } from '../../node/keeper/decide.ts'
import { foldSlashEvents } from '../../node/keeper/slashFold.ts'
import { silentLogger } from '../../node/log.ts'
import { createNodeMetrics } from '../../node/nodeMetrics.ts'
import { reportConfirmations } from '../../node/report/submitter.ts'
import { openStore } from '../../node/store/store.ts'
import { startRpcProxy } from '../../node/testing/rpcProxy.ts'
import { slashingCourtAbi } from '../../sdk/abis.ts'
import { createFollower } from './follower.ts'

const { world, fixture } = useWorld(async (w) => {
  const svc = await setupService(w, { params: { disputeWindow: 60, resolutionDeadline: 60 } })
  const { vault } = await setupVault(w, w.accounts[4]!, {
    bond: 10n ** 21n,
    allocations: [{ serviceId: svc.serviceId, amount: 10n ** 21n }],
  })
  return { svc, vault }
})

function follower(w: World, confirmations: number, startBlock: bigint, client: PublicClient = w.public) {
  const store = openStore(':memory:')
  const metrics = createNodeMetrics()
  const f = createFollower({
    client,
    store: store.chain,
    sources: [{ address: w.addresses.court, abi: slashingCourtAbi }],
    metrics,
    log: silentLogger,
    options: { confirmations, batchBlocks: 3, startBlock, readRetries: 3 },
    listeners: [reportConfirmations(store, metrics, silentLogger)],
  })
  return { f, store, metrics }
}

const report = (label: string) => {
  const { svc, vault } = fixture()
  return reportSlash(world(), svc.attesters.slice(0, 3), {
    serviceId: svc.serviceId,
    vault,
    classId: 0,
    incidentId: incident(label),
    client: zeroAddress,
  })
}

const reorg = (w: World, depth: number) =>
  w.test.request({ method: 'anvil_reorg', params: [depth, []] } as never) as Promise<unknown>

describe('chain follower', () => {
  test('an event inside the confirmation depth is never stored when a reorg drops it', async () => {
    const w = world()
    const start = (await w.public.getBlockNumber({ cacheTime: 0 })) + 1n
    const { f, store } = follower(w, 3, start)
    const tx = await report('shallow')
    await w.test.mine({ blocks: 1 })
    await f.catchUp()
    assert.equal(store.chain.openSlashEvents().length, 0, 'two blocks deep: not yet confirmed')
    // replace the slash's block and the one after it with empty blocks
    const head = await w.public.getBlockNumber({ cacheTime: 0 })
    await reorg(w, Number(head - tx.blockNumber) + 1)
    await w.test.mine({ blocks: 5 })
    await f.catchUp()
    assert.ok(store.chain.cursor()!.number >= tx.blockNumber, 'the follower moved past the orphaned height')
    assert.equal(store.chain.openSlashEvents().length, 0)
    const [status] = await w.public.readContract({
      address: w.addresses.court,
      abi: slashingCourtAbi,
      functionName: 'slashStatus',
      args: [tx.result.slashId],
    })
    assert.equal(status, 0, 'and indeed the chain no longer has the slash')
  })

  test('a reorg deeper than the confirmation depth rolls the store back; the new branch is followed', async () => {
    const w = world()
    const start = (await w.public.getBlockNumber({ cacheTime: 0 })) + 1n
    const { f, store, metrics } = follower(w, 1, start)
    const orphan = await report('orphan')
    store.reports.create({
      digest: orphan.result.slashId,
      slashId: orphan.result.slashId,
      report: { ...orphan.result.details },
      kind: 'downtime',
      subject: '1',
      own: 'signed',
      now: 0,
    })
    await w.test.mine({ blocks: 3 })
    await f.catchUp()
    assert.deepEqual(
      store.chain.openSlashEvents().map((e) => e.slashId),
      [orphan.result.slashId],
    )
    assert.equal(store.reports.get(orphan.result.slashId)!.state, 'confirmed')
    const chainTime = (await w.public.getBlock()).timestamp + 3600n
    const before = keeperActions([...foldSlashEvents(store.chain.openSlashEvents()).values()], chainTime)
    assert.equal(before.length, 1, 'a keeper would execute it')

    const head = await w.public.getBlockNumber({ cacheTime: 0 })
    await reorg(w, Number(head - orphan.blockNumber) + 1)
    const result = await f.tick()
    assert.equal(result.kind, 'reorg')
    assert.equal(metrics.reorgs.get(), 1)
    assert.equal(store.chain.openSlashEvents().length, 0, 'the orphaned slash is gone from the store')
    assert.equal(
      store.reports.get(orphan.result.slashId)!.state,
      'landed',
      'its report is no longer confirmed',
    )
    const after = keeperActions([...foldSlashEvents(store.chain.openSlashEvents()).values()], chainTime)
    assert.deepEqual(after, [], 'and no keeper acts on it')

    const replacement = await report('replacement')
    await w.test.mine({ blocks: 2 })
    await f.catchUp()
    assert.deepEqual(
      store.chain.openSlashEvents().map((e) => e.slashId),
      [replacement.result.slashId],
    )
  })

  test('a flaky RPC during a walk-back, then an RPC outage: no false reorg, no stored event lost', async () => {
    const w = world()
    const proxy = await startRpcProxy(w.anvil.rpcUrl)
    try {
      // no transport retries: every failure the proxy makes reaches the follower
      const client = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) }) as PublicClient
      const start = (await w.public.getBlockNumber({ cacheTime: 0 })) + 1n
      const { f, store, metrics } = follower(w, 1, start, client)
      const kept = await report('kept through a flaky walk-back')
      await w.test.mine({ blocks: 6 })
      await f.catchUp()
      const stored = () => store.chain.openSlashEvents().map((e) => e.slashId)
      assert.deepEqual(stored(), [kept.result.slashId])

      // a real reorg of the empty blocks above the event: the follower must walk back, and every other block
      // read fails while it does
      await reorg(w, 3)
      await w.test.mine({ blocks: 2 })
      let n = 0
      proxy.fail((m) => m === 'eth_getBlockByNumber' && n++ % 2 === 0)
      let result: Awaited<ReturnType<typeof f.tick>> | undefined
      for (let i = 0; i < 20 && result?.kind !== 'reorg'; i++) result = await f.tick().catch(() => undefined)
      assert.equal(result?.kind, 'reorg')
      assert.ok(proxy.failures() > 0, 'reads did fail')
      assert.deepEqual(stored(), [kept.result.slashId], 'the walk-back stopped at the real fork point')
      assert.ok(store.chain.cursor()!.number >= kept.blockNumber)

      // the RPC down altogether: the tick fails (and is retried later); it is not a reorg
      proxy.fail((m) => m === 'eth_getBlockByNumber')
      await assert.rejects(f.tick(), /cannot read block/)
      assert.equal(metrics.reorgs.get(), 1, 'no reorg counted for the outage')
      assert.deepEqual(stored(), [kept.result.slashId], 'no event deleted')
      proxy.fail(undefined)
      await f.catchUp()
      assert.deepEqual(stored(), [kept.result.slashId])
    } finally {
      await proxy.close()
    }
  })
})
