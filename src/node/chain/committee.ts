/** Reads a service's active committee and quorum from the registry, cached for a short time. */
import type { Address } from 'viem'
import { serviceRegistryAbi } from '../../sdk/abis.ts'
import type { SuretyReader } from '../../sdk/types.ts'
import type { Committee } from './quorum.ts'

export type CommitteeCache = {
  get: (serviceId: bigint) => Promise<Committee>
  /** Drops the cached committee (after a quorum revert: the committee changed under us). */
  invalidate: (serviceId: bigint) => void
  isMember: (serviceId: bigint, who: Address) => Promise<boolean>
}

export async function readCommittee(reader: SuretyReader, serviceId: bigint): Promise<Committee> {
  const registry = reader.addresses.registry
  const [[members, bonds], params] = await Promise.all([
    reader.public.readContract({
      address: registry,
      abi: serviceRegistryAbi,
      functionName: 'committee',
      args: [serviceId],
    }),
    reader.public.readContract({
      address: registry,
      abi: serviceRegistryAbi,
      functionName: 'serviceParams',
      args: [serviceId],
    }),
  ])
  const map = new Map<string, bigint>()
  for (const [i, m] of members.entries()) map.set(m.toLowerCase(), bonds[i]!)
  return {
    serviceId,
    members: map,
    totalWeight: bonds.reduce((a, b) => a + b, 0n),
    quorumBps: params.quorumBps,
  }
}

export function createCommitteeCache(reader: SuretyReader, ttlMs: number, now = Date.now): CommitteeCache {
  const cache = new Map<bigint, { at: number; value: Promise<Committee> }>()
  const get = (serviceId: bigint) => {
    const hit = cache.get(serviceId)
    if (hit && now() - hit.at < ttlMs) return hit.value
    const value = readCommittee(reader, serviceId)
    cache.set(serviceId, { at: now(), value })
    // a failed read must not stay cached
    value.catch(() => cache.delete(serviceId))
    return value
  }
  return {
    get,
    invalidate: (serviceId) => void cache.delete(serviceId),
    isMember: async (serviceId, who) => (await get(serviceId)).members.has(who.toLowerCase()),
  }
}
