/**
 * The devnet's indexer, in-process: a SQLite file under the plugin's data directory (inside --state, so a
 * restarted world resumes its index instead of rebuilding it), following the chain from the deployment's block.
 * The API plugin reads the same store; this file only starts and stops the indexing.
 */
import { join } from 'node:path'
import { createPublicClient, http, type PublicClient } from 'viem'
import { type IndexerDb, openIndexerDb } from '../../indexer/db/open.ts'
import { createIndexer } from '../../indexer/engine/runIndexer.ts'
import type { PluginContext } from '../plugins.ts'

/** The CLI's default (docs/indexer.md): anvil never reorganises on its own, but the dashboard's reorg view and
 * /ready read the same depth a real chain would use. */
const FINALITY_DEPTH = 12

export type WorldIndexer = { idb: IndexerDb; file: string; stop: () => Promise<void> }

export async function startWorldIndexer(ctx: PluginContext): Promise<WorldIndexer> {
  const file = join(ctx.dataDir, 'index.sqlite')
  const idb = await openIndexerDb({ url: file })
  try {
    const indexer = await createIndexer({
      client: createPublicClient({ transport: http(ctx.rpcUrl), pollingInterval: 250 }) as PublicClient,
      idb,
      chainId: ctx.chainId,
      addresses: ctx.addresses,
      startBlock: ctx.startBlock,
      finalityDepth: FINALITY_DEPTH,
      pollMs: 250,
      log: {
        debug() {},
        info() {},
        warn: (message, fields) =>
          ctx.log(`${message}${fields ? ` ${JSON.stringify(fields, bigints)}` : ''}`),
      },
    })
    const running = new AbortController()
    // runs in the background: the world does not wait for a (resumed) index to catch up; /ready says when it has
    const indexing = indexer.run(running.signal).catch((error: Error) => {
      if (!running.signal.aborted) ctx.log(`the indexer stopped: ${error.message}`)
    })
    return {
      idb,
      file,
      stop: async () => {
        running.abort()
        await indexing
      },
    }
  } catch (error) {
    await idb.close()
    throw error
  }
}

const bigints = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)
