/**
 * The indexer against a real chain, the same suite on SQLite and on PostgreSQL: a deployment that has lived
 * (deposits, withdrawals, rewards, slashes disputed and executed, orders of every outcome) is indexed, and the
 * tables are compared with the contracts' own views (`verify`), with specific stories, with each other, and with
 * a clean rebuild after a reorg.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { maxUint256, parseEther } from 'viem'
import { useWorld, type World } from '../../test/support/world.ts'
import { operatorVaultAbi } from '../generated/contracts.ts'
import { approveStake, deposit } from '../sdk/index.ts'
import type { IndexerDb } from './db/open.ts'
import { createIndexer } from './engine/runIndexer.ts'
import { ReorgTooDeepError } from './follower/follower.ts'
import { exchangeRateHistory } from './queries/exchangeRateHistory.ts'
import { getOrder } from './queries/getOrder.ts'
import { getSlash } from './queries/getSlash.ts'
import { listAllocations } from './queries/listAllocations.ts'
import { listAttesters } from './queries/listAttesters.ts'
import { listPositions } from './queries/listPositions.ts'
import { listRewardEvents } from './queries/listRewardEvents.ts'
import { listWithdrawals } from './queries/listWithdrawals.ts'
import { networkSummary } from './queries/networkSummary.ts'
import { positionExposure } from './queries/positionExposure.ts'
import { isFinal, readIndexState } from './queries/readIndexState.ts'
import { vaultApr } from './queries/vaultApr.ts'
import { buildScenario } from './testing/scenario.ts'
import { dumpTables, testStores } from './testing/stores.ts'
import { verifyIndex } from './verify/verifyIndex.ts'

const { world, fixture } = useWorld(buildScenario)

const indexer = (w: World, idb: IndexerDb, finalityDepth = 3) =>
  createIndexer({
    client: w.public,
    idb,
    chainId: w.chainId,
    addresses: w.addresses,
    startBlock: 0n,
    finalityDepth,
    batchBlocks: 40,
  })

const reorg = (w: World, depth: number) =>
  w.test.request({ method: 'anvil_reorg', params: [depth, []] } as never) as Promise<unknown>

const snapshots: string[] = []

for (const store of testStores()) {
  describe(`indexer on ${store.name}`, () => {
    after(() => store.dropAll())

    test('indexes every event into tables the contracts agree with: verify finds no difference', async () => {
      const w = world()
      const sc = fixture()
      const idb = await store.open()
      try {
        const ix = await indexer(w, idb)
        await ix.catchUp()
        // every handler declared (or loaded) each row it touched: each range was applied in one pass
        assert.equal(ix.stats.restarts, 0)
        const result = await verifyIndex({
          db: idb.db,
          dialect: idb.dialect,
          client: w.public,
          addresses: w.addresses,
        })
        assert.deepEqual(result.differences, [])
        const positionRows = await idb.db.selectFrom('positions').select('staker').execute()
        assert.ok(positionRows.length >= 9)
        assert.deepEqual(result.checked, {
          vaults: 3,
          // every position row, each against the vault's balanceOf and previewRedeem
          positions: positionRows.length,
          // one claimed, one queued
          withdrawals: 2,
          allocations: 3,
          // the report left pending and the failed order's collateral slash
          slashes: 2,
          // the active job and the intent with its bids
          orders: 2,
          services: 1,
          attesters: 4,
        })
        const state = await readIndexState(idb.db)
        assert.equal(state.block!.number, await w.public.getBlockNumber({ cacheTime: 0 }))
        assert.equal(state.finalBlock, state.block!.number - 3n)
        snapshots.push(JSON.stringify(await dumpTables(idb.db)))

        // every staker's position is its vault-token balance
        const positions = (await listPositions(idb.db, { limit: 1000 })).items
        assert.ok(positions.length >= 9)
        for (const p of positions) {
          const balance = await w.public.readContract({
            address: p.vault as `0x${string}`,
            abi: operatorVaultAbi,
            functionName: 'balanceOf',
            args: [p.staker as `0x${string}`],
          })
          assert.equal(p.shares, balance, `${p.staker} in ${p.vault}`)
        }
        const s0 = sc.stakers[0]!.address.toLowerCase()
        const op0 = sc.ops[0]!.vault.toLowerCase()
        const mine = (await listPositions(idb.db, { staker: s0, vault: op0 })).items[0]!
        assert.equal(mine.deposited, parseEther('1500'))
        assert.ok(
          mine.withdrawn > 0n && mine.withdrawn <= parseEther('500'),
          'the claim paid at most the request',
        )

        const withdrawals = (await listWithdrawals(idb.db, {})).items
        assert.deepEqual(
          withdrawals.map((x) => `${x.owner}:${x.claimed}`).sort(),
          [`${s0}:1`, `${sc.stakers[1]!.address.toLowerCase()}:0`].sort(),
        )
        const queued = withdrawals.find((x) => x.claimed === 0)!
        assert.equal(
          queued.readyAt,
          queued.requestedAt + 7 * 86_400,
          'ready one withdrawal delay after the request',
        )
      } finally {
        await idb.close()
      }
    })

    test('one slash row tells the whole story: report, dispute, ruling, execution and payouts', async () => {
      const w = world()
      const sc = fixture()
      const idb = await store.open()
      try {
        await (await indexer(w, idb)).catchUp()
        const ruled = (await getSlash(idb.db, sc.slashes.ruled))!
        assert.equal(ruled.status, 'Executed')
        assert.equal(ruled.vault, sc.ops[1]!.vault.toLowerCase())
        assert.equal(ruled.client, sc.client.address.toLowerCase())
        assert.deepEqual(
          ruled.signerList,
          sc.svc.attesters.slice(0, 3).map((a) => a.address.toLowerCase()),
          'the report named its signers',
        )
        assert.equal(ruled.disputedBy, sc.ops[1]!.operator.address.toLowerCase())
        assert.equal(ruled.amount, ruled.requestedAmount / 2n, 'upheld at half')
        assert.ok(ruled.ruledBlock! > ruled.disputedBlock! && ruled.executedBlock! > ruled.ruledBlock!)
        const taken = ruled.fromBond! + ruled.fromPool!
        assert.equal(ruled.amount, taken)
        assert.equal(
          ruled.toClient! + ruled.toReporter! + ruled.toSink!,
          taken,
          'every unit taken is paid out',
        )
        assert.ok(ruled.toClient! > 0n)

        const pending = (await getSlash(idb.db, sc.slashes.pending))!
        assert.equal(pending.status, 'Pending')
        const failedOrder = (await getOrder(idb.db, Number(sc.orders.failed)))!
        assert.equal(failedOrder.status, 'Failed')
        const orderSlash = (await getSlash(idb.db, failedOrder.slashId!))!
        assert.equal(orderSlash.isOrder, 1)
        assert.equal(orderSlash.orderId, Number(sc.orders.failed))

        const intent = (await getOrder(idb.db, Number(sc.orders.intent)))!
        assert.equal(intent.status, 'Open')
        assert.equal(intent.vault, sc.ops[2]!.vault.toLowerCase(), 'the lower bid leads')
        assert.equal(intent.bids.length, 2)
        const completed = (await getOrder(idb.db, Number(sc.orders.completed)))!
        assert.equal(completed.status, 'Completed')
        assert.equal(completed.milestoneRows.length, 1)
        assert.equal(completed.paidOut, completed.milestoneRows[0]!.amount)

        const alloc = (await listAllocations(idb.db, { vault: sc.ops[2]!.vault })).items[0]!
        assert.equal(alloc.queuedIncrease, parseEther('1000'))
        const attesters = (await listAttesters(idb.db, { serviceId: Number(sc.svc.serviceId) })).items
        assert.equal(
          attesters.find((a) => a.attester === sc.svc.attesters[4]!.address.toLowerCase())!.status,
          'exiting',
        )
        const kinds = new Set((await listRewardEvents(idb.db, {})).items.map((r) => r.kind))
        for (const k of ['fee', 'subsidy', 'claimed'] as const) assert.ok(kinds.has(k), k)
        // derived figures: APR from what the vault's claim paid, over the stake that was there to earn it
        const claim = (await listRewardEvents(idb.db, { kind: 'claimed' })).items[0]!
        const apr = await vaultApr(idb.db, sc.ops[0]!.vault, claim.timestamp - 30 * 86_400, claim.timestamp)
        assert.equal(apr.claims, 1)
        assert.equal(apr.stakerRewards, claim.amount - claim.commission!)
        assert.ok(apr.averageStake > 0n && apr.aprPpm! > 0n)
        assert.equal(apr.aprPpm, (apr.stakerRewards * 365n * 86_400n * 1_000_000n) / apr.stakeSeconds)
        const history = (await exchangeRateHistory(idb.db, sc.ops[0]!.vault)).items
        assert.ok(history.length > 3)
        assert.ok(history.every((h) => h.sharePrice > 0n))
        const now = Number((await w.public.getBlock()).timestamp)
        const exposure = await positionExposure(idb.db, sc.stakers[1]!.address, now)
        const inOp1 = exposure.find((x) => x.vault === sc.ops[1]!.vault.toLowerCase())!
        assert.equal(inOp1.queued.length, 1, 'its queued withdrawal')
        assert.equal(inOp1.queued[0]!.secondsLeft, 0, 'matured: eight days passed since the request')
        assert.equal(inOp1.slashableNow, inOp1.assets + inOp1.queued[0]!.assets)
        assert.equal(inOp1.slashableUntilIfLeavingNow, now + 7 * 86_400)

        const summary = await networkSummary(idb.db)
        assert.equal(summary.vaults, 3)
        assert.equal(summary.executedSlashes, 2)
        assert.equal(summary.pendingSlashes, 2)
      } finally {
        await idb.close()
      }
    })

    test('a reorg inside the finality depth rolls back to the fork point: the same tables as a clean rebuild', async () => {
      const w = world()
      const sc = fixture()
      const idb = await store.open()
      const clean = await store.open()
      try {
        const ix = await indexer(w, idb, 6)
        await ix.catchUp()
        const staker = w.accounts[19]!
        await approveStake(w.clientFor(staker), { spender: sc.ops[0]!.vault, amount: maxUint256 })
        const dep = await deposit(w.clientFor(staker), { vault: sc.ops[0]!.vault, assets: parseEther('42') })
        await w.test.mine({ blocks: 1 })
        await ix.catchUp()
        const before = (await listPositions(idb.db, { staker: staker.address })).items
        assert.equal(before[0]?.deposited, parseEther('42'))
        const state = await readIndexState(idb.db)
        assert.equal(isFinal(state, dep.blockNumber), false, 'inside the finality depth: not final yet')

        const head = await w.public.getBlockNumber({ cacheTime: 0 })
        await reorg(w, Number(head - dep.blockNumber) + 1)
        await w.test.mine({ blocks: 1 })
        await ix.catchUp()
        assert.deepEqual(
          (await listPositions(idb.db, { staker: staker.address })).items,
          [],
          'the orphaned deposit is gone',
        )
        const reorgs = await idb.db.selectFrom('reorgs').selectAll().execute()
        assert.equal(reorgs.length, 1)
        assert.ok(
          (JSON.parse(reorgs[0]!.removed_events) as unknown[]).length >= 2,
          'the deposit and its mint recorded',
        )

        await (await indexer(w, clean, 6)).catchUp()
        assert.deepEqual(await dumpTables(idb.db), await dumpTables(clean.db))
      } finally {
        await idb.close()
        await clean.close()
      }
    })

    test('a reorg deeper than the finality depth halts with a clear error and changes nothing', async () => {
      const w = world()
      const idb = await store.open()
      try {
        // events and blocks above the world's snapshot, so that the reorg below stays above it (anvil cannot
        // revert to a snapshot a reorg cut into)
        const staker = w.accounts[19]!
        await approveStake(w.clientFor(staker), { spender: fixture().ops[1]!.vault, amount: maxUint256 })
        await deposit(w.clientFor(staker), { vault: fixture().ops[1]!.vault, assets: parseEther('5') })
        await w.test.mine({ blocks: 4 })
        const ix = await indexer(w, idb, 2)
        await ix.catchUp()
        const before = await dumpTables(idb.db)
        const stateBefore = await readIndexState(idb.db)
        await reorg(w, 5)
        await w.test.mine({ blocks: 1 })
        await assert.rejects(ix.catchUp(), (e: unknown) => {
          assert.ok(e instanceof ReorgTooDeepError)
          assert.match(e.message, /deeper than the finality depth 2: stopped without changing the index/)
          return true
        })
        assert.deepEqual(await dumpTables(idb.db), before, 'no row changed')
        const stateAfter = await readIndexState(idb.db)
        assert.deepEqual(stateAfter.block, stateBefore.block, 'the cursor did not move')
        assert.match(stateAfter.halted ?? '', /finality depth/)
        await assert.rejects(indexer(w, idb, 2), /halted earlier/)
      } finally {
        await idb.close()
      }
    })
  })
}

describe('both stores', () => {
  test('SQLite and PostgreSQL hold exactly the same rows for the same chain', () => {
    assert.equal(snapshots.length, 2, 'both stores indexed the scenario')
    assert.equal(snapshots[0], snapshots[1])
  })
})
