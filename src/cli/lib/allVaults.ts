/** Every vault the deployment's factory made: what the chain-side reads walk when no vault is named. */
import { vaultFactoryAbi } from '../../sdk/abis.ts'
import type { Context } from './connect.ts'

export function allVaults(ctx: Pick<Context, 'reader' | 'deployment'>) {
  return ctx.reader.public.readContract({
    address: ctx.deployment.addresses.factory,
    abi: vaultFactoryAbi,
    functionName: 'allVaults',
  })
}
