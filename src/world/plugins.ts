/**
 * Where the indexer, the HTTP API and the dashboard plug into the devnet: each is a WorldPlugin the world starts
 * once the chain is deployed and seeded, while the node processes load, and stops before the nodes and the chain. The world does not depend on any of
 * them; wiring one is a line in `worldPlugins`.
 */

import type { Deployment } from '../chain/deployment.ts'
import type { SuretyAddresses } from '../sdk/types.ts'
import { apiPlugin } from './plugins/apiPlugin.ts'

export type PluginContext = {
  rpcUrl: string
  chainId: number
  addresses: SuretyAddresses
  /** The services' and classes' names the manifest gives (the dashboard shows them beside the ids). */
  labels?: Deployment['labels']
  /** The first block of the deployment (indexers start here). */
  startBlock: bigint
  /** A directory the plugin may keep its state in (inside --state DIR when given, so it survives restarts). */
  dataDir: string
  /** Ports from here on are free for plugins: basePort, basePort + 1, … */
  basePort: number
  /** The attester nodes' HTTP APIs (the API gathers readings and uptime from them). */
  nodeUrls: string[]
  log: (text: string) => void
}

export type RunningPlugin = {
  /** What to print in the banner: `API  http://127.0.0.1:8600`. */
  urls: { label: string; url: string }[]
  stop: () => Promise<void>
}

export type WorldPlugin = { name: string; start: (ctx: PluginContext) => Promise<RunningPlugin> }

/** The plugins the devnet starts, in order: the indexer, the API on its store and the dashboard, as one plugin
 * (plugins/apiPlugin.ts) since the API reads the store the indexer holds open. */
export const worldPlugins: WorldPlugin[] = [apiPlugin]
