/**
 * Mounts the whole dashboard on an API server: the built pages and /v1/dashboard/config (serveDashboard), the
 * risk route (dashboardRisk) and the vaults' names (vaultNames). What the devnet (or any deployment serving a
 * dashboard) calls after `createApiServer`, with the chain it indexes.
 */
import type { FastifyInstance } from 'fastify'
import type { Deployment } from '../chain/deployment.ts'
import type { SuretyAddresses } from '../sdk/types.ts'
import { registerDashboardRisk } from './dashboardRisk.ts'
import { serveDashboard } from './serveDashboard.ts'
import { registerVaultNames } from './vaultNames.ts'

export type MountDashboardOptions = {
  rpcUrl: string
  chainId: number
  addresses: SuretyAddresses
  /** A local devnet: the page signs with the test accounts through `rpcUrl`. Otherwise a browser wallet signs. */
  devnet: boolean
  token?: { symbol: string; decimals: number }
  /** Names of services and their classes (the deployment manifest's `labels`), shown beside the ids. */
  labels?: Deployment['labels']
  /** The built files (default web/dist). */
  dir?: string
}

export function mountDashboard(app: FastifyInstance, o: MountDashboardOptions): { built: boolean } {
  const token = o.token ?? { symbol: 'STK', decimals: 18 }
  const served = serveDashboard(app, {
    dir: o.dir,
    config: {
      chainId: o.chainId,
      rpcUrl: o.devnet ? o.rpcUrl : null,
      devnet: o.devnet,
      addresses: o.addresses,
      token,
      labels: o.labels ?? { services: {} },
    },
  })
  registerDashboardRisk(app, {
    rpcUrl: o.rpcUrl,
    chainId: o.chainId,
    addresses: o.addresses,
    decimals: token.decimals,
  })
  registerVaultNames(app, { rpcUrl: o.rpcUrl, factory: o.addresses.factory })
  return served
}
