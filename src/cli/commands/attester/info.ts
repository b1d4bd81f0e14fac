import type { Address } from 'viem'
import { serviceRegistryAbi } from '../../../sdk/abis.ts'
import type { Context } from '../../lib/connect.ts'

export async function attesterInfo(ctx: Context, serviceId: bigint, attester: Address) {
  const [active, index, bond, exitReadyAt, approvedAt] = await ctx.reader.public.readContract({
    address: ctx.deployment.addresses.registry,
    abi: serviceRegistryAbi,
    functionName: 'attesterInfo',
    args: [serviceId, attester],
  })
  return { active, index, bond, exitReadyAt: BigInt(exitReadyAt), approvedAt: BigInt(approvedAt) }
}
