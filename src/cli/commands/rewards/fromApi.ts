/**
 * `rewards show` from the HTTP API: each service's stream (accumulator, stake counted, subsidy rate and balance, as
 * the distributor stores them) and the vaults that earn from it, with their weight, from the index. Two figures the
 * index cannot hold are plain calls to the chain, never a log scan: what a vault can claim now (it accrues every
 * second the subsidy streams) and the order fees the order book holds unswept (it counts fees as orders settle,
 * which no event states). Only vaults that ever allocated to a service can have anything to claim from it, so only
 * those are asked, where the chain path asks every vault.
 */
import { type Address, getAddress } from 'viem'
import { type ApiClient, collect } from '../../../sdk/api/index.ts'
import { readClaimableRewards, readUnsweptFees } from '../../../sdk/readRewards.ts'
import type { Context } from '../../lib/connect.ts'

const big = (a: { base: string }) => BigInt(a.base)

export async function rewardsFromApi(
  ctx: Context,
  api: ApiClient,
  ids: bigint[],
  onlyVault: Address | undefined,
) {
  const [vaults, allocations, services] = await Promise.all([
    collect(api.vaults.all({ sort: 'created', order: 'asc', limit: 500 })),
    collect(api.allocations.all({ ...(onlyVault ? { vault: onlyVault } : {}), limit: 500 })),
    Promise.all(ids.map((id) => api.services.get(id).then((r) => r.data))),
  ])
  // the chain path lists vaults in the factory's order, which is creation order
  const rank = new Map(vaults.map((v, i) => [v.address, i]))
  return Promise.all(
    services.map(async (s) => {
      const serviceId = BigInt(s.id)
      const earners = allocations
        .filter((a) => a.serviceId === s.id)
        .sort((a, b) => (rank.get(a.vault) ?? 0) - (rank.get(b.vault) ?? 0))
      const [unswept, claims] = await Promise.all([
        readUnsweptFees(ctx.reader, serviceId),
        Promise.all(
          earners.map(async (a) => {
            const vault = getAddress(a.vault)
            return {
              vault,
              claimable: await readClaimableRewards(ctx.reader, serviceId, vault),
              weight: big(a.rewardStake),
            }
          }),
        ),
      ])
      return {
        serviceId,
        accPerStake: BigInt(s.rewards.accPerStake),
        totalStake: big(s.rewardStake),
        ratePerSecond: big(s.rewards.subsidyRatePerSecond),
        subsidyBalance: big(s.rewards.subsidyBalance),
        unsweptFees: unswept,
        vaults: claims.filter((c) => c.claimable > 0n || c.weight > 0n),
      }
    }),
  )
}
