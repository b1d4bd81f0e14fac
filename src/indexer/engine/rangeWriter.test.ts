/**
 * Handlers read and change rows synchronously, from the rows loaded for the range. A handler that touches a row
 * it did not declare costs a second pass over the range, never a wrong table: on both stores, handlers stripped
 * of their `reads` build exactly the tables the declared ones build, and the passes are counted.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { Hex } from 'viem'
import { zeroAddress } from 'viem'
import type { CommittedRange } from '../follower/follower.ts'
import { HANDLERS } from '../handlers/index.ts'
import { dumpTables, testStores } from '../testing/stores.ts'
import { createIndexerStore } from './indexerStore.ts'
import type { Handlers } from './rangeWriter.ts'
import { newIndexerStats } from './stats.ts'

const VAULT = '0x00000000000000000000000000000000000000aa' as Hex
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex
const staker = (i: number) => `0x${(0xb0 + i).toString(16).padStart(40, '0')}` as Hex

/** Blocks `from`..`to`, each with a deposit by a new staker and one by staker 0 (a row an earlier range wrote). */
function range(from: number, to: number, head: number): CommittedRange {
  const events: CommittedRange['events'] = []
  for (let b = from; b <= to; b++) {
    for (const [i, who] of [staker(b), staker(0)].entries()) {
      const base = { blockNumber: BigInt(b), blockHash: hash(b), txHash: hash(1000 + b), address: VAULT }
      const assets = BigInt(b * 10 + i)
      events.push({
        ...base,
        logIndex: 2 * i,
        contract: 'vault',
        name: 'Transfer',
        args: { from: zeroAddress, to: who, value: assets },
        blockTimestamp: BigInt(1_700_000_000 + b),
      })
      events.push({
        ...base,
        logIndex: 2 * i + 1,
        contract: 'vault',
        name: 'Deposited',
        args: { sender: who, receiver: who, assets, shares: assets },
        blockTimestamp: BigInt(1_700_000_000 + b),
      })
    }
  }
  const blocks = Array.from({ length: to - from + 1 }, (_, k) => ({
    number: BigInt(from + k),
    hash: hash(from + k),
  }))
  return { events, blocks, cursor: { number: BigInt(to), hash: hash(to) }, head: BigInt(head) }
}

const { Transfer, Deposited } = HANDLERS.vault
/** The vault's handlers with no declarations: every row is found missing when first touched. */
const undeclared: Handlers = {
  ...HANDLERS,
  vault: { ...HANDLERS.vault, Transfer: { apply: Transfer!.apply }, Deposited: { apply: Deposited!.apply } },
}

for (const store of testStores()) {
  describe(`range writer on ${store.name}`, () => {
    after(() => store.dropAll())

    test('a row no handler declared is loaded and the range applied again: the same tables, passes counted', async () => {
      const dumps: Record<string, string[]>[] = []
      const restarts: number[] = []
      for (const handlers of [HANDLERS, undeclared]) {
        const idb = await store.open()
        try {
          const stats = newIndexerStats()
          const st = createIndexerStore(idb, { finalityDepth: 3, stats, handlers })
          // the second range is partly above the final block (head − 3): its changes log undo images
          await st.commitRange(range(1, 4, 4))
          await st.commitRange(range(5, 8, 8))
          dumps.push(await dumpTables(idb.db))
          restarts.push(stats.restarts)
          const logged = await idb.db.selectFrom('change_log').select('block_number').execute()
          assert.ok(logged.length > 0, 'non-final blocks logged undo images')
          assert.ok(logged.every((r) => Number(r.block_number) > 5))
        } finally {
          await idb.close()
        }
      }
      assert.equal(restarts[0], 0, 'declared reads: one pass a range')
      // each missing row (the vault, staker 0's position, each new staker's) costs a pass
      assert.ok(restarts[1]! >= 2 * 4, `undeclared reads: ${restarts[1]} extra passes`)
      assert.deepEqual(dumps[1], dumps[0])
      const positions = dumps[0]!.positions!.map((r) => JSON.parse(r) as Record<string, string>)
      const first = positions.find((p) => p.staker === staker(0))!
      // staker 0 deposited 1 + 11 + … + 71 over both ranges: the second range read the first's row
      assert.equal(
        first.shares,
        String(Array.from({ length: 8 }, (_, k) => (k + 1) * 10 + 1).reduce((a, b) => a + b)),
      )
      assert.equal(positions.length, 9)
    })
  })
}
