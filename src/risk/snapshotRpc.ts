/**
 * The RPC glue of `risk snapshot`: reads every vault, service and allocation of a deployment through the SDK's
 * read model and hands them to the pure `buildRiskInput`. A vault's stake is its bond plus pool net of pending
 * slashes (what an attacker could still lose). A service's profit from corruption is the value its owner declared
 * plus the escrow of its open and active orders (in stake-token units).
 */
import { readDeployment } from '../chain/deployment.ts'
import { InvalidInputError } from '../errors.ts'
import { createSuretyReader } from '../sdk/createSuretyClient.ts'
import { readNetwork } from '../sdk/readNetwork.ts'
import { readOpenOrders } from '../sdk/readOrder.ts'
import type { SuretyAddresses } from '../sdk/types.ts'
import type { RiskInput } from './input.ts'
import { buildRiskInput, escrowAtStake, type SnapshotOptions } from './snapshot.ts'

export type SnapshotSource = {
  rpcUrl: string
  chainId?: number
  addresses?: SuretyAddresses
  deployment?: string
}

export async function snapshotFromRpc(
  source: SnapshotSource,
  opts: SnapshotOptions = {},
): Promise<RiskInput> {
  let chainId = source.chainId
  let addresses = source.addresses
  if (!addresses) {
    const path = source.deployment ?? '.surety/deployments/31337.json'
    const deployment = readDeployment(path)
    addresses = deployment.addresses
    chainId ??= deployment.chainId
  }
  if (chainId === undefined) throw new InvalidInputError('the chain id is unknown: pass --deployment FILE')
  const reader = createSuretyReader({ rpcUrl: source.rpcUrl, chainId, addresses })
  const network = await readNetwork(reader)
  const escrowed = new Map<bigint, bigint>()
  for (const order of await readOpenOrders(reader)) {
    const id = order.params.serviceId
    escrowed.set(id, (escrowed.get(id) ?? 0n) + escrowAtStake(order, addresses.stakeToken))
  }
  const operatorOf = new Map(network.vaults.map((v) => [v.vault, v.operator]))
  return buildRiskInput(
    {
      vaults: network.vaults.map((v) => {
        const stake = v.bondAssets + v.poolAssets
        return {
          operator: v.operator,
          stake: stake > v.pendingLiabilities ? stake - v.pendingLiabilities : 0n,
        }
      }),
      services: network.services.map((s) => ({
        id: String(s.id),
        declaredValue: s.declaredValue,
        escrowedOrders: escrowed.get(s.id) ?? 0n,
      })),
      allocations: network.allocations.map((a) => ({
        operator: operatorOf.get(a.vault)!,
        service: String(a.serviceId),
        // the effective allocation the court counts (0 once banned), less what pending slashes already hold
        amount: a.weight > a.pending ? a.weight - a.pending : 0n,
      })),
    },
    opts,
  )
}
