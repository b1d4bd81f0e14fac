/**
 * Rendered rows kept across blocks (queries/rowJson.ts). The cache's generation rules as a pure object, and on a
 * real chain on SQLite and PostgreSQL: a long-running server whose rows were rendered at earlier blocks answers a
 * list byte for byte as a server started fresh at the same block does, after a row changed (a deposit) and after
 * rows became final.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { maxUint256, parseEther } from 'viem'
import { setupVault } from '../../test/support/fixtures.ts'
import { openTestStore, type TestStore } from '../../test/support/indexedStores.ts'
import { createWorld, type World } from '../../test/support/world.ts'
import { createIndexer } from '../indexer/engine/runIndexer.ts'
import { approveStake, deposit } from '../sdk/index.ts'
import { createRowJsonCache } from './queries/rowJson.ts'
import { createApiServer } from './server.ts'

describe('the rendered-row cache', () => {
  const g = (reorgs: number, instance = 'a', constants = '18') => ({ instance, reorgs, constants })

  test('serves a row only to snapshots of the generation that rendered it', () => {
    const c = createRowJsonCache()
    c.set(g(0), 'vaults|0x1|5|0', '{"v":1}')
    assert.equal(c.get(g(0), 'vaults|0x1|5|0'), '{"v":1}')
    assert.equal(c.get(g(0), 'vaults|0x1|5|1'), undefined, 'finality is part of the key')
    assert.equal(c.get(g(0, 'b'), 'vaults|0x1|5|0'), undefined, 'another database')
    assert.equal(c.get(g(0, 'a', '6'), 'vaults|0x1|5|0'), undefined, 'other token decimals')
    assert.equal(c.get(g(1), 'vaults|0x1|5|0'), undefined, 'after a reorg')
  })

  test('a reorg empties it; a snapshot from before the reorg neither reads nor fills it', () => {
    const c = createRowJsonCache()
    c.set(g(0), 'k', 'old')
    c.set(g(1), 'k', 'new')
    assert.equal(c.get(g(1), 'k'), 'new')
    assert.equal(c.size, 1)
    c.set(g(0), 'k2', 'stale')
    assert.equal(c.get(g(0), 'k'), undefined)
    assert.equal(c.get(g(1), 'k2'), undefined)
    assert.equal(c.size, 1)
    // a rebuilt database (new instance) starts over even with a lower reorg count
    c.set(g(0, 'b'), 'k3', 'rebuilt')
    assert.equal(c.get(g(0, 'b'), 'k3'), 'rebuilt')
    assert.equal(c.size, 1)
  })

  test('is bounded by bytes, oldest out first', () => {
    const c = createRowJsonCache(10)
    c.set(g(0), 'a', '1234')
    c.set(g(0), 'b', '5678')
    c.set(g(0), 'c', '9012')
    assert.equal(c.get(g(0), 'a'), undefined)
    assert.equal(c.get(g(0), 'b'), '5678')
    assert.equal(c.get(g(0), 'c'), '9012')
  })
})

let w: World
let vault: `0x${string}`
const FINALITY = 3

before(async () => {
  w = await createWorld()
  for (const op of [4, 5]) {
    const v = await setupVault(w, w.accounts[op]!, {
      bond: parseEther('100'),
      delegations: [{ staker: w.accounts[16]!, assets: parseEther('50') }],
    })
    vault = v.vault // the last one: its row is not final yet when first served
  }
})
after(async () => {
  await w?.anvil.stop()
})

for (const name of ['sqlite', 'postgres'] as const) {
  describe(`rows rendered at earlier blocks on ${name}`, () => {
    let store: TestStore
    let longRunning: FastifyInstance
    before(async () => {
      store = await openTestStore(name)
      longRunning = await createApiServer({ db: store.idb.db, dialect: store.idb.dialect, cache: false })
    })
    after(async () => {
      await longRunning.close()
      await store.remove()
    })

    const catchUp = async () =>
      (
        await createIndexer({
          client: w.public,
          idb: store.idb,
          chainId: w.chainId,
          addresses: w.addresses,
          startBlock: 0n,
          finalityDepth: FINALITY,
        })
      ).catchUp()

    async function sameAsFresh(url: string) {
      const fresh = await createApiServer({ db: store.idb.db, dialect: store.idb.dialect, cache: false })
      try {
        const [a, b] = [await longRunning.inject(url), await fresh.inject(url)]
        assert.equal(a.statusCode, 200, a.body)
        assert.equal(a.body, b.body, `${url} from the long-running server`)
        return a.json() as { data: { address: string; poolAssets: { base: string }; final: boolean }[] }
      } finally {
        await fresh.close()
      }
    }

    test('a deposit and then finality re-render exactly the rows they change', async () => {
      await catchUp()
      const before = await sameAsFresh('/v1/vaults?limit=50')
      await sameAsFresh('/v1/vaults?limit=1&sort=poolAssets&order=asc')
      const mine = () => before.data.find((v) => v.address === vault.toLowerCase())!

      const staker = w.accounts[17]!
      await approveStake(w.clientFor(staker), { spender: vault, amount: maxUint256 })
      await deposit(w.clientFor(staker), { vault, assets: parseEther('7') })
      await catchUp()
      const afterDeposit = await sameAsFresh('/v1/vaults?limit=50')
      const changed = afterDeposit.data.find((v) => v.address === vault.toLowerCase())!
      assert.equal(BigInt(changed.poolAssets.base), BigInt(mine().poolAssets.base) + parseEther('7'))
      assert.equal(changed.final, false, 'changed in the last block')

      for (let i = 0; i <= FINALITY; i++) await w.travel(1)
      await catchUp()
      const final = await sameAsFresh('/v1/vaults?limit=50')
      assert.ok(
        final.data.every((v) => v.final),
        'every row final once the chain moved past the depth',
      )
      await sameAsFresh('/v1/vaults?limit=1&sort=poolAssets&order=asc')
    })
  })
}
