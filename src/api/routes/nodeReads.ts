/** The routes that read from the attester nodes rather than the index, registered together (server.ts). */

import type { NodeReadsPlugin } from './nodeReadsShared.ts'
import { orderReadingsRoutes } from './orderReadings.ts'
import { vaultUptimeRoutes } from './vaultUptime.ts'

export const nodeReadsRoutes: NodeReadsPlugin = async (app, opts) => {
  await app.register(orderReadingsRoutes, opts)
  await app.register(vaultUptimeRoutes, opts)
}
