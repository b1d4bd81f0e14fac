/**
 * A test world's chain indexed and served: a fresh store (SQLite file or PostgreSQL schema), the real indexer caught
 * up into it from block 0, and the real API answering from it — in process (`app.inject`) or, with `listen`, over
 * HTTP on a free loopback port. The one set-up the API, stream, node-read, service-APR and CLI read tests share;
 * `close` undoes it (the world's anvil is the caller's).
 */
import type { AddressInfo } from 'node:net'
import { openTestStore, type TestStore } from '../../../test/support/indexedStores.ts'
import type { World } from '../../../test/support/world.ts'
import type { Indexer } from '../../indexer/engine/runIndexer.ts'
import { catchUpIndex } from '../../indexer/testing/catchUpIndex.ts'
import { type ApiServer, type ApiServerOptions, createApiServer } from '../server.ts'

export type IndexedWorldOptions = {
  store: 'sqlite' | 'postgres'
  /** The indexer's finality depth (what the API reports and the CLI compares its lag with). */
  finalityDepth: number
  /** Listen on 127.0.0.1 at a free port and give its `url` (default: in process only). */
  listen?: boolean
  /** More API server options (nodes, stream poll interval); the store is the helper's. */
  server?: Omit<ApiServerOptions, 'db' | 'dialect'>
}

export type IndexedWorld = {
  store: TestStore
  indexer: Indexer
  app: ApiServer
  /** The base URL when `listen` was asked, else undefined. */
  url: string | undefined
  /** Closes the API and drops the store. */
  close: () => Promise<void>
}

export async function indexWorld(w: World, options: IndexedWorldOptions): Promise<IndexedWorld> {
  const store = await openTestStore(options.store)
  try {
    const indexer = await catchUpIndex(w, store.idb, options.finalityDepth)
    const app = await createApiServer({ ...options.server, db: store.idb.db, dialect: store.idb.dialect })
    let url: string | undefined
    if (options.listen) {
      await app.listen({ host: '127.0.0.1', port: 0 })
      url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    }
    return {
      store,
      indexer,
      app,
      url,
      close: async () => {
        await app.close()
        await store.remove()
      },
    }
  } catch (error) {
    // a set-up that failed half-way leaves no store behind
    await store.remove()
    throw error
  }
}
