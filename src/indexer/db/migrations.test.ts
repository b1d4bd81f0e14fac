/**
 * Migration 0003 on an index built before it, on both stores: a real chain indexed, then taken back to version 2
 * (the column dropped, the migration unrecorded, the undo images without the field), and opened again. The
 * contracts only accept a minAllocationDelay of 0 today, so one ServiceCreated is given 5 in the stored events:
 * the backfill must read it from there, not default it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type Kysely, sql } from 'kysely'
import { setupService } from '../../../test/support/fixtures.ts'
import { createWorld, type World } from '../../../test/support/world.ts'
import { catchUpIndex } from '../testing/catchUpIndex.ts'
import { testStores } from '../testing/stores.ts'
import { openIndexerDb } from './open.ts'
import type { Database } from './schema.ts'

let w: World
let serviceId: bigint
before(async () => {
  w = await createWorld()
  serviceId = (await setupService(w)).serviceId
})
after(async () => {
  await w?.anvil.stop()
})

for (const store of testStores()) {
  describe(`migration 0003 on ${store.name}`, () => {
    after(() => store.dropAll())

    test('fills minAllocationDelay of an index built before it, rows and undo images', async () => {
      const idb = await store.open()
      const { location } = idb
      // every block non-final: the committee's joins leave undo images of the service row
      await catchUpIndex(w, idb, 100_000)
      const db = idb.db as unknown as Kysely<any>
      const id = Number(serviceId)
      const written = await db
        .selectFrom('services')
        .select('min_allocation_delay')
        .where('service_id', '=', id)
        .executeTakeFirstOrThrow()
      assert.equal(Number(written.min_allocation_delay), 0, 'the handler writes the chain value')

      // back to version 2, with the service created under a delay of 5
      const created = await db
        .selectFrom('events')
        .select(['block_number', 'log_index', 'args'])
        .where('name', '=', 'ServiceCreated')
        .executeTakeFirstOrThrow()
      const args = JSON.parse(created.args) as { params: Record<string, unknown> }
      args.params.minAllocationDelay = 5
      await db
        .updateTable('events')
        .set({ args: JSON.stringify(args) })
        .where('block_number', '=', created.block_number)
        .where('log_index', '=', created.log_index)
        .execute()
      const images = await db
        .selectFrom('change_log')
        .select(['block_number', 'seq', 'image'])
        .where('table_name', '=', 'services')
        .where('image', 'is not', null)
        .execute()
      assert.ok(images.length > 0, 'the joins left undo images of the service')
      for (const e of images) {
        const image = JSON.parse(e.image) as Record<string, unknown>
        delete image.min_allocation_delay
        await db
          .updateTable('change_log')
          .set({ image: JSON.stringify(image) })
          .where('block_number', '=', e.block_number)
          .where('seq', '=', e.seq)
          .execute()
      }
      await sql`alter table services drop column min_allocation_delay`.execute(db)
      await db.deleteFrom('kysely_migration').where('name', '=', '0003_service_allocation_delay').execute()
      await idb.close()

      const reopened = await openIndexerDb(location)
      try {
        const rdb = reopened.db as Kysely<Database>
        const row = await rdb
          .selectFrom('services')
          .select('min_allocation_delay')
          .where('service_id', '=', id)
          .executeTakeFirstOrThrow()
        assert.equal(Number(row.min_allocation_delay), 5)
        const migrated = await rdb
          .selectFrom('change_log')
          .select(['block_number', 'image'])
          .where('table_name', '=', 'services')
          .where('image', 'is not', null)
          .execute()
        for (const e of migrated) {
          const image = JSON.parse(e.image!) as { min_allocation_delay?: number }
          // every image is of a block after the creation: the service had the delay by then
          assert.ok(Number(e.block_number) > Number(created.block_number))
          assert.equal(image.min_allocation_delay, 5)
        }
      } finally {
        await reopened.close()
      }
    })
  })
}
