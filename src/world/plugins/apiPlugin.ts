/**
 * The devnet's HTTP API and dashboard on one port (basePort): the indexer (indexerPlugin.ts) fills a SQLite
 * store, `createApiServer` serves it, `mountDashboard` adds the built pages signing with the devnet's test
 * accounts. One plugin, since the API reads the indexer's open store. Without web/dist the API still serves and
 * the dashboard's pages answer 503 naming `npm run build:web`.
 */

import { mountDashboard } from '../../api/mountDashboard.ts'
import { createApiServer } from '../../api/server.ts'
import { InvalidInputError } from '../../errors.ts'
import type { WorldPlugin } from '../plugins.ts'
import { startWorldIndexer } from './indexerPlugin.ts'

export const apiPlugin: WorldPlugin = {
  name: 'api',
  async start(ctx) {
    const indexer = await startWorldIndexer(ctx)
    const stops: (() => Promise<void>)[] = [() => indexer.idb.close(), () => indexer.stop()]
    const stop = async () => {
      // the server first (no reader left), then the indexer, then the database
      for (const s of stops.reverse()) await s()
      stops.length = 0
    }
    try {
      const app = await createApiServer({
        db: indexer.idb.db,
        dialect: indexer.idb.dialect,
        nodes: { urls: ctx.nodeUrls },
      })
      stops.push(() => app.close())
      const { built } = mountDashboard(app, {
        rpcUrl: ctx.rpcUrl,
        chainId: ctx.chainId,
        addresses: ctx.addresses,
        devnet: true,
        labels: ctx.labels,
      })
      if (!built) ctx.log('the dashboard is not built: run `npm run build:web` (the API serves without it)')
      const url = await app
        .listen({ host: '127.0.0.1', port: ctx.basePort })
        .catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EADDRINUSE') throw error
          throw new InvalidInputError(`port ${ctx.basePort} (the API and dashboard) is in use`, {
            details:
              'Stop what listens there, or start the devnet on another --port (the API listens on port + 50).',
          })
        })
      return {
        urls: [
          { label: 'API', url },
          { label: 'Dashboard', url: `${url}/` },
        ],
        stop,
      }
    } catch (error) {
      await stop()
      throw error
    }
  },
}
