/**
 * Node clusters on a test world, as every end-to-end file starts them: interval mining on (a block a second, as
 * on a real chain), then one config per attester following the chain from the current block. For files on a
 * `useWorld` chain (a snapshot reverted before each test), `clusterPerTest` also stops what a test started.
 */
import { afterEach } from 'node:test'
import type { World } from '../../../test/support/world.ts'
import { type ClusterNode, prepareCluster, stopAll } from '../testing/cluster.ts'
import { type Endpoints, startEndpoints } from '../testing/endpoints.ts'
import { intervalMining } from './world.ts'

/** prepareCluster's options less those the world decides (its RPC, chain id, addresses, start block). */
export type ClusterOptions = Omit<
  Parameters<typeof prepareCluster>[0],
  'rpcUrl' | 'chainId' | 'addresses' | 'startBlock'
>

/** Interval mining on, and the nodes' configs from the current block; the nodes are not started. */
export async function prepareClusterOn(w: World, options: ClusterOptions) {
  await intervalMining(w, true)
  const startBlock = await w.public.getBlockNumber({ cacheTime: 0 })
  const nodes = await prepareCluster({
    rpcUrl: w.anvil.rpcUrl,
    chainId: w.chainId,
    addresses: w.addresses,
    startBlock,
    ...options,
  })
  return { nodes, startBlock }
}

/**
 * One cluster per test: `prepare` starts an endpoint server for the operators and the nodes' configs (`options`
 * may name the server's URLs); after each test its nodes and server are stopped and interval mining is turned
 * off, so the next test's reverted snapshot is mined on demand again.
 */
export function clusterPerTest(world: () => World) {
  let nodes: ClusterNode[] = []
  let endpoints: Endpoints | undefined
  afterEach(async () => {
    await stopAll(nodes)
    await endpoints?.close()
    nodes = []
    endpoints = undefined
    await intervalMining(world(), false)
  })
  return async function prepare(options: (endpoints: Endpoints) => ClusterOptions) {
    const server = await startEndpoints()
    endpoints = server
    const prepared = await prepareClusterOn(world(), options(server))
    nodes = prepared.nodes
    return { ...prepared, endpoints: server }
  }
}
