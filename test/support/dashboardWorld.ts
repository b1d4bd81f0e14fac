/**
 * What the dashboard's browser tests run against: a real devnet (anvil, Surety deployed, the demo world seeded),
 * and one HTTP server serving the built dashboard with its routes. The server is started on a free port and
 * everything is stopped by `stop()`.
 */
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { registerDashboardRisk } from '../../src/api/dashboardRisk.ts'
import { DEFAULT_DASHBOARD_DIR, serveDashboard } from '../../src/api/serveDashboard.ts'
import { freePort } from '../../src/chain/anvil.ts'
import { type Devnet, startDevnet } from '../../src/chain/devnet.ts'

export type DashboardWorld = {
  devnet: Devnet
  app: FastifyInstance
  url: string
  stop: () => Promise<void>
}

export async function startDashboardWorld(): Promise<DashboardWorld> {
  if (!existsSync(join(DEFAULT_DASHBOARD_DIR, 'index.html')))
    throw new Error(
      `the dashboard is not built (${DEFAULT_DASHBOARD_DIR}): run npm run build:web first (npm test does)`,
    )
  const devnet = await startDevnet({
    port: await freePort(),
    manifestDir: mkdtempSync(join(tmpdir(), 'surety-dash-')),
  })
  const { chainId, addresses } = devnet.deployment
  const app = Fastify()
  try {
    serveDashboard(app, {
      config: {
        chainId,
        rpcUrl: devnet.anvil.rpcUrl,
        devnet: true,
        addresses,
        token: { symbol: 'STK', decimals: 18 },
      },
    })
    registerDashboardRisk(app, { rpcUrl: devnet.anvil.rpcUrl, chainId, addresses, simulation: { runs: 8 } })
    const url = await app.listen({ host: '127.0.0.1', port: 0 })
    return {
      devnet,
      app,
      url,
      stop: async () => {
        await app.close()
        await devnet.stop()
      },
    }
  } catch (error) {
    await app.close()
    await devnet.stop()
    throw error
  }
}
