import type { Address } from 'viem'
import { operatorVaultAbi, serviceRegistryAbi, vaultFactoryAbi } from './abis.ts'
import { readAllocation } from './readVault.ts'
import type { SuretyReader } from './types.ts'

export type NetworkView = {
  vaults: {
    vault: Address
    operator: Address
    bondAssets: bigint
    poolAssets: bigint
    pendingLiabilities: bigint
  }[]
  services: { id: bigint; declaredValue: bigint; quorumBps: number }[]
  /**
   * Every allocation of every vault to every service that has a limit or a queued increase: the limit, what
   * pending slashes hold, the weight (the effective allocation as last synced, 0 once banned) and an increase
   * queued by `allocate` with the time it may apply (0 when none).
   */
  allocations: {
    vault: Address
    serviceId: bigint
    amount: bigint
    pending: bigint
    weight: bigint
    increase: bigint
    increaseReadyAt: bigint
  }[]
}

/**
 * Lists a whole deployment: every vault the factory made, every service of the registry, and each vault's
 * allocation to each service. O(vaults × services) reads: fine for a snapshot, not for a hot path (the indexer
 * serves those).
 */
export async function readNetwork(reader: SuretyReader): Promise<NetworkView> {
  const { factory, registry } = reader.addresses
  const [vaultAddresses, serviceCount] = await Promise.all([
    reader.public.readContract({ address: factory, abi: vaultFactoryAbi, functionName: 'allVaults' }),
    reader.public.readContract({ address: registry, abi: serviceRegistryAbi, functionName: 'serviceCount' }),
  ])
  const serviceIds = Array.from({ length: Number(serviceCount) }, (_, i) => BigInt(i + 1))
  const services = await Promise.all(
    serviceIds.map(async (id) => {
      const p = await reader.public.readContract({
        address: registry,
        abi: serviceRegistryAbi,
        functionName: 'serviceParams',
        args: [id],
      })
      return { id, declaredValue: p.declaredValue, quorumBps: p.quorumBps }
    }),
  )
  const vaults = await Promise.all(
    vaultAddresses.map(async (vault) => {
      const [operator, [bondAssets, poolAssets, pendingLiabilities]] = await Promise.all([
        reader.public.readContract({ address: vault, abi: operatorVaultAbi, functionName: 'OPERATOR' }),
        reader.public.readContract({ address: vault, abi: operatorVaultAbi, functionName: 'totals' }),
      ])
      return { vault, operator, bondAssets, poolAssets, pendingLiabilities }
    }),
  )
  const allocations = (
    await Promise.all(
      vaultAddresses.flatMap((vault) =>
        serviceIds.map(async (serviceId) => {
          const a = await readAllocation(reader, vault, serviceId)
          const { amount, pendingSlashes: pending, weight, queuedIncrease: increase, increaseReadyAt } = a
          return { vault, serviceId, amount, pending, weight, increase, increaseReadyAt }
        }),
      ),
    )
  ).filter((a) => a.amount > 0n || a.increase > 0n)
  return { vaults, services, allocations }
}
